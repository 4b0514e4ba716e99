//
// Encoding.cpp
//

#include "encoding/Encoding.h"
#include "PostHog/Array.h"
#include "PostHog/Properties.h"
#include "encoding/PropertiesAccess.h"

namespace PostHog
{
namespace Encoding
{

void putValue(std::string& out, const Value& value)
{
	switch (value.type())
	{
	case Value::NullType:
		out.push_back(static_cast<char>(TagNull));
		break;
	case Value::BoolType:
		out.push_back(static_cast<char>(value.getBool() ? TagTrue : TagFalse));
		break;
	case Value::IntType:
		out.push_back(static_cast<char>(TagInt));
		putVarint(out, zigzag(value.getInt()));
		break;
	case Value::DoubleType:
	{
		double d = value.getDouble();
		char buf[1 + sizeof d];
		buf[0] = static_cast<char>(TagDouble);
		std::memcpy(buf + 1, &d, sizeof d);
		out.append(buf, sizeof buf);
		break;
	}
	case Value::StringType:
		out.push_back(static_cast<char>(TagString));
		putString(out, value.getString());
		break;
	case Value::ArrayType:
		out.push_back(static_cast<char>(TagArray));
		putVarint(out, value.size());
		out.append(PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		break;
	case Value::ObjectType:
		out.push_back(static_cast<char>(TagObject));
		putVarint(out, value.size());
		out.append(PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		break;
	}
}

char* writeValue(char* o, const Value& value)
{
	switch (value.type())
	{
	case Value::NullType:
		*o++ = static_cast<char>(TagNull);
		return o;
	case Value::BoolType:
		*o++ = static_cast<char>(value.getBool() ? TagTrue : TagFalse);
		return o;
	case Value::IntType:
		*o++ = static_cast<char>(TagInt);
		return writeVarint(o, zigzag(value.getInt()));
	case Value::DoubleType:
	{
		double d = value.getDouble();
		*o++ = static_cast<char>(TagDouble);
		std::memcpy(o, &d, sizeof d);
		return o + sizeof d;
	}
	case Value::StringType:
		*o++ = static_cast<char>(TagString);
		return writeString(o, value.getString());
	case Value::ArrayType:
	case Value::ObjectType:
		*o++ = static_cast<char>(value.type() == Value::ArrayType ? TagArray : TagObject);
		o = writeVarint(o, value.size());
		if (PropertiesAccess::rawSize(value))
			std::memcpy(o, PropertiesAccess::rawData(value), PropertiesAccess::rawSize(value));
		return o + PropertiesAccess::rawSize(value);
	}
	return o;
}

const char* skipValue(const char* p)
{
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagInt:
		return getVarint(p, n);
	case TagDouble:
		return p + sizeof(double);
	case TagString:
		p = getVarint(p, n);
		return p + n;
	case TagArray:
		p = getVarint(p, n);
		while (n--)
			p = skipValue(p);
		return p;
	case TagObject:
		p = getVarint(p, n);
		while (n--)
		{
			std::uint64_t len;
			p = getVarint(p, len);
			p = skipValue(p + len);
		}
		return p;
	default:
		return p;
	}
}

const char* decodeValue(const char* p, Value& value)
{
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagFalse:
		value = Value(false);
		return p;
	case TagTrue:
		value = Value(true);
		return p;
	case TagInt:
		p = getVarint(p, n);
		value = PropertiesAccess::fromInt(unzigzag(n));
		return p;
	case TagDouble:
	{
		double d;
		std::memcpy(&d, p, sizeof d);
		value = Value(d);
		return p + sizeof d;
	}
	case TagString:
		p = getVarint(p, n);
		value = Value(std::string_view(p, static_cast<std::size_t>(n)));
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
		value = PropertiesAccess::fromRaw(tag == TagArray ? Value::ArrayType : Value::ObjectType, children,
		                                  static_cast<std::size_t>(end - children),
		                                  static_cast<std::uint32_t>(n));
		return end;
	}
	default:
		value = Value();
		return p;
	}
}

} // namespace Encoding
} // namespace PostHog
