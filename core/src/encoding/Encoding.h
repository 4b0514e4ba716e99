//
// Encoding.h
//
// The compact byte encoding behind Properties, Array and Value (private to the library).
//
// A value is a tag byte followed by its payload:
//   Null, False, True   nothing
//   Int                 zig-zag LEB128 varint
//   Double              8 bytes, host order
//   String              varint byte length, then the bytes
//   Array               varint element count, then the elements
//   Object              varint entry count, then the entries
// An entry is a varint key length, the key bytes, then the value. A Properties buffer is a
// sequence of entries with no count in front (the count is a member).
//
// The buffers are only ever written by this library, so the decoder trusts them.
//

#ifndef PostHog_Encoding_INCLUDED
#define PostHog_Encoding_INCLUDED

#include "PostHog/Value.h"
#include "encoding/PropertiesAccess.h"
#include <cstdint>
#include <cstring>
#include <string>

namespace PostHog
{
namespace Encoding
{

enum Tag : unsigned char
{
	TagNull = 0,
	TagFalse = 1,
	TagTrue = 2,
	TagInt = 3,
	TagDouble = 4,
	TagString = 5,
	TagArray = 6,
	TagObject = 7
};

inline void putVarint(std::string& out, std::uint64_t v)
{
	char buf[10];
	int n = 0;
	while (v >= 0x80)
	{
		buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
		v >>= 7;
	}
	buf[n++] = static_cast<char>(v);
	out.append(buf, static_cast<std::size_t>(n));
}

inline char* writeVarint(char* o, std::uint64_t v)
/// putVarint() through a pointer into room the caller made; returns the position past it.
{
	while (v >= 0x80)
	{
		*o++ = static_cast<char>((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*o++ = static_cast<char>(v);
	return o;
}

inline std::size_t varintSize(std::uint64_t v)
{
	std::size_t n = 1;
	while (v >= 0x80)
	{
		v >>= 7;
		++n;
	}
	return n;
}

inline const char* getVarint(const char* p, std::uint64_t& v)
{
	std::uint64_t result = 0;
	unsigned shift = 0;
	for (;;)
	{
		auto b = static_cast<unsigned char>(*p++);
		result |= static_cast<std::uint64_t>(b & 0x7F) << shift;
		if (!(b & 0x80))
			break;
		shift += 7;
	}
	v = result;
	return p;
}

inline std::uint64_t zigzag(std::int64_t v)
{
	return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline std::int64_t unzigzag(std::uint64_t v)
{
	return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

inline void putString(std::string& out, std::string_view s)
{
	putVarint(out, s.size());
	out.append(s.data(), s.size());
}

void putValue(std::string& out, const Value& value);
/// Appends the encoding of value (tag and payload).

char* writeValue(char* o, const Value& value);
/// Writes what putValue() appends through a pointer into encodedSize(value) bytes of room the
/// caller made (one resize for a whole literal instead of an append per tag, length and
/// payload); returns the position past it.

inline char* writeString(char* o, std::string_view s)
/// putString() through a pointer; returns the position past it.
{
	o = writeVarint(o, s.size());
	if (!s.empty())
		std::memcpy(o, s.data(), s.size());
	return o + s.size();
}

inline std::size_t encodedSize(const Value& value)
/// The number of bytes putValue() appends for value.
{
	switch (value.type())
	{
	case Value::IntType:
		return 1 + varintSize(zigzag(value.getInt()));
	case Value::DoubleType:
		return 1 + sizeof(double);
	case Value::StringType:
		return 1 + varintSize(PropertiesAccess::rawSize(value)) + PropertiesAccess::rawSize(value);
	case Value::ArrayType:
	case Value::ObjectType:
		return 1 + varintSize(value.size()) + PropertiesAccess::rawSize(value);
	default:
		return 1;
	}
}

const char* skipValue(const char* p);
/// Returns the position just past the value starting at p.

inline const char* decodeValue(const char* p, Value& value)
/// Decodes the value at p into a view; returns the position past it. Inline, with the view's
/// fields set in place: every walk over properties (the pipeline stages, the iterators) calls it
/// once per value.
{
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagFalse:
	case TagTrue:
		PropertiesAccess::setBool(value, tag == TagTrue);
		return p;
	case TagInt:
		p = getVarint(p, n);
		PropertiesAccess::setInt(value, unzigzag(n));
		return p;
	case TagDouble:
	{
		double d;
		std::memcpy(&d, p, sizeof d);
		PropertiesAccess::setDouble(value, d);
		return p + sizeof d;
	}
	case TagString:
		p = getVarint(p, n);
		PropertiesAccess::setRaw(value, Value::StringType, p, static_cast<std::size_t>(n), 0);
		return p + n;
	case TagArray:
	case TagObject:
	{
		const char* children = getVarint(p, n);
		const char* end = children;
		if (tag == TagArray)
		{
			for (std::uint64_t i = 0; i < n; ++i)
				end = skipValue(end);
		}
		else
		{
			for (std::uint64_t i = 0; i < n; ++i)
			{
				std::uint64_t len;
				end = getVarint(end, len);
				end = skipValue(end + len);
			}
		}
		PropertiesAccess::setRaw(value, tag == TagArray ? Value::ArrayType : Value::ObjectType, children,
		                         static_cast<std::size_t>(end - children), static_cast<std::uint32_t>(n));
		return end;
	}
	default:
		PropertiesAccess::setNull(value);
		return p;
	}
}

inline const char* decodeKey(const char* p, std::string_view& key)
{
	std::uint64_t len;
	p = getVarint(p, len);
	key = std::string_view(p, static_cast<std::size_t>(len));
	return p + len;
}

} // namespace Encoding
} // namespace PostHog

#endif // PostHog_Encoding_INCLUDED
