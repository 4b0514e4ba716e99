//
// JsonWriter.cpp
//

#include "JsonWriter.h"
#include "Encoding.h"
#include <charconv>
#include <cmath>

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

// Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid.
std::size_t utf8SequenceLength(const unsigned char* p, const unsigned char* end)
{
	unsigned char c = p[0];
	std::size_t avail = static_cast<std::size_t>(end - p);
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF)
	{
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0; // overlong
		if (c == 0xED && p[1] >= 0xA0)
			return 0; // surrogates
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0; // overlong
		if (c == 0xF4 && p[1] >= 0x90)
			return 0; // above U+10FFFF
		return 4;
	}
	return 0;
}

const char hexDigits[] = "0123456789abcdef";

} // namespace

bool JsonWriter::isValidUtf8(std::string_view s)
{
	auto p = reinterpret_cast<const unsigned char*>(s.data());
	auto end = p + s.size();
	while (p < end)
	{
		if (*p < 0x80)
		{
			++p;
			continue;
		}
		std::size_t n = utf8SequenceLength(p, end);
		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

void JsonWriter::appendString(std::string& out, std::string_view s)
{
	out.push_back('"');
	auto p = reinterpret_cast<const unsigned char*>(s.data());
	auto end = p + s.size();
	while (p < end)
	{
		const unsigned char* run = p;
		while (p < end && !escapeTable.special[*p])
			++p;
		if (p > run)
			out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
		if (p == end)
			break;
		unsigned char c = *p;
		if (c >= 0x80)
		{
			std::size_t n = utf8SequenceLength(p, end);
			if (n == 0)
			{
				out.append("\xEF\xBF\xBD"); // U+FFFD
				++p;
			}
			else
			{
				out.append(reinterpret_cast<const char*>(p), n);
				p += n;
			}
			continue;
		}
		switch (c)
		{
		case '"':
			out.append("\\\"");
			break;
		case '\\':
			out.append("\\\\");
			break;
		case '\n':
			out.append("\\n");
			break;
		case '\r':
			out.append("\\r");
			break;
		case '\t':
			out.append("\\t");
			break;
		case '\b':
			out.append("\\b");
			break;
		case '\f':
			out.append("\\f");
			break;
		default:
		{
			char esc[6] = {'\\', 'u', '0', '0', hexDigits[c >> 4], hexDigits[c & 15]};
			out.append(esc, 6);
		}
		}
		++p;
	}
	out.push_back('"');
}

void JsonWriter::appendInt(std::string& out, std::int64_t v)
{
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonWriter::appendDouble(std::string& out, double v)
{
	if (!std::isfinite(v))
	{
		out.append("null");
		return;
	}
	char buf[32];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

const char* JsonWriter::appendEncodedValue(std::string& out, const char* p)
{
	using namespace Encoding;
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagNull:
		out.append("null");
		return p;
	case TagFalse:
		out.append("false");
		return p;
	case TagTrue:
		out.append("true");
		return p;
	case TagInt:
		p = getVarint(p, n);
		appendInt(out, unzigzag(n));
		return p;
	case TagDouble:
	{
		double d;
		std::memcpy(&d, p, sizeof d);
		appendDouble(out, d);
		return p + sizeof d;
	}
	case TagString:
		p = getVarint(p, n);
		appendString(out, std::string_view(p, static_cast<std::size_t>(n)));
		return p + n;
	case TagArray:
		p = getVarint(p, n);
		out.push_back('[');
		for (std::uint64_t i = 0; i < n; ++i)
		{
			if (i)
				out.push_back(',');
			p = appendEncodedValue(out, p);
		}
		out.push_back(']');
		return p;
	case TagObject:
		p = getVarint(p, n);
		out.push_back('{');
		for (std::uint64_t i = 0; i < n; ++i)
		{
			if (i)
				out.push_back(',');
			std::string_view key;
			p = decodeKey(p, key);
			appendString(out, key);
			out.push_back(':');
			p = appendEncodedValue(out, p);
		}
		out.push_back('}');
		return p;
	default:
		out.append("null");
		return p;
	}
}

void JsonWriter::appendEncodedObject(std::string& out, const char* p, const char* end)
{
	out.push_back('{');
	bool first = true;
	while (p < end)
	{
		if (!first)
			out.push_back(',');
		first = false;
		std::string_view key;
		p = Encoding::decodeKey(p, key);
		appendString(out, key);
		out.push_back(':');
		p = appendEncodedValue(out, p);
	}
	out.push_back('}');
}

void JsonWriter::appendTimestamp(std::string& out, const Poco::Timestamp& ts)
{
	// Days-from-civil inverse (H. Hinnant's public-domain algorithm), UTC.
	std::int64_t us = ts.epochMicroseconds();
	std::int64_t ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
	std::int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int millis = static_cast<int>(ms - secs * 1000);
	std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int sod = static_cast<int>(secs - days * 86400);
	std::int64_t z = days + 719468;
	std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = static_cast<unsigned>(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		++y;
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	int hh = sod / 3600, mi = (sod / 60) % 60, ss = sod % 60;
	char buf[26];
	auto put2 = [](char* at, int v) {
		at[0] = static_cast<char>('0' + v / 10);
		at[1] = static_cast<char>('0' + v % 10);
	};
	buf[0] = '"';
	buf[1] = static_cast<char>('0' + (y / 1000) % 10);
	buf[2] = static_cast<char>('0' + (y / 100) % 10);
	buf[3] = static_cast<char>('0' + (y / 10) % 10);
	buf[4] = static_cast<char>('0' + y % 10);
	buf[5] = '-';
	put2(buf + 6, static_cast<int>(m));
	buf[8] = '-';
	put2(buf + 9, static_cast<int>(d));
	buf[11] = 'T';
	put2(buf + 12, hh);
	buf[14] = ':';
	put2(buf + 15, mi);
	buf[17] = ':';
	put2(buf + 18, ss);
	buf[20] = '.';
	buf[21] = static_cast<char>('0' + millis / 100);
	buf[22] = static_cast<char>('0' + (millis / 10) % 10);
	buf[23] = static_cast<char>('0' + millis % 10);
	buf[24] = 'Z';
	buf[25] = '"';
	out.append(buf, sizeof buf);
}

void JsonWriter::appendUuid(std::string& out, const unsigned char* b)
{
	char buf[38];
	char* o = buf;
	*o++ = '"';
	for (int i = 0; i < 16; ++i)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hexDigits[b[i] >> 4];
		*o++ = hexDigits[b[i] & 15];
	}
	*o++ = '"';
	out.append(buf, static_cast<std::size_t>(o - buf));
}

} // namespace PostHog
