//
// JsonString.cpp
//

#include "encoding/JsonString.h"
#include "encoding/Utf8.h"

namespace PostHog
{

namespace
{

// 1 for bytes that must be escaped or need a closer look (control, quote, backslash, non-ASCII).
struct EscapeTable
{
	unsigned char special[256];
	EscapeTable()
	{
		for (int i = 0; i < 256; ++i)
			special[i] = (i < 0x20 || i == '"' || i == '\\' || i >= 0x80) ? 1 : 0;
	}
};
const EscapeTable escapeTable;

const char hexDigits[] = "0123456789abcdef";

bool plainTail(const unsigned char*& p, const unsigned char* begin, const unsigned char* end, char*& o)
/// Most strings are plain text: the bytes the 8-byte steps left over are checked and copied
/// with one more 8-byte step that overlaps what was copied already (plain bytes are copied as
/// they are, so the overlap is rewritten with the same bytes); strings of 4 to 7 bytes with
/// two overlapping 4-byte loads. False when a byte needs a closer look.
{
	std::size_t left = static_cast<std::size_t>(end - p), length = static_cast<std::size_t>(end - begin);
	if (length >= 8)
	{
		std::uint64_t x;
		std::memcpy(&x, end - 8, 8);
		if (JsonString::needsCare8(x))
			return false;
		std::memcpy(o - (8 - left), end - 8, 8);
	}
	else if (length >= 4 && p == begin)
	{
		std::uint32_t a, b;
		std::memcpy(&a, p, 4);
		std::memcpy(&b, end - 4, 4);
		if (JsonString::needsCare8(a | (std::uint64_t(b) << 32)))
			return false;
		std::memcpy(o, p, 4);
		std::memcpy(o + left - 4, end - 4, 4);
	}
	else
		return false;
	o += left;
	p = end;
	return true;
}

} // namespace

char* JsonString::writeEscaped(char* o, std::string_view s)
{
	auto p = reinterpret_cast<const unsigned char*>(s.data());
	auto begin = p;
	auto end = p + s.size();
	while (p < end)
	{
		while (end - p >= 8)
		{
			std::uint64_t x;
			std::memcpy(&x, p, 8);
			if (needsCare8(x))
				break;
			std::memcpy(o, p, 8);
			o += 8;
			p += 8;
		}
		if (end - p < 8 && p < end && plainTail(p, begin, end, o))
			break;
		while (p < end && !escapeTable.special[*p])
			*o++ = static_cast<char>(*p++);
		if (p == end)
			break;
		unsigned char c = *p;
		if (c >= 0x80)
		{
			std::size_t n = Utf8::sequenceLength(p, end);
			if (n == 0)
			{
				std::memcpy(o, "\xEF\xBF\xBD", 3); // U+FFFD
				o += 3;
				++p;
			}
			else
			{
				std::memcpy(o, p, n);
				o += n;
				p += n;
			}
			continue;
		}
		*o++ = '\\';
		switch (c)
		{
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		default:
			o[0] = 'u';
			o[1] = '0';
			o[2] = '0';
			o[3] = hexDigits[c >> 4];
			o[4] = hexDigits[c & 15];
			o += 5;
		}
		++p;
	}
	return o;
}

} // namespace PostHog
