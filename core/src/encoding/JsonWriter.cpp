//
// JsonWriter.cpp
//

#include "encoding/JsonWriter.h"
#include "encoding/Encoding.h"
#include "encoding/JsonString.h"
#include "encoding/NumberFormat.h"
#include "encoding/Utf8.h"
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

namespace PostHog
{

namespace
{

const char hexDigits[] = "0123456789abcdef";

} // namespace

bool JsonWriter::isValidUtf8(std::string_view s)
{
	return Utf8::isValid(s);
}

namespace
{

inline char* putString(char* o, std::string_view s)
{
	return JsonString::write(o, s);
}

inline char* putInt(char* o, std::int64_t v)
{
	return std::to_chars(o, o + 24, v).ptr;
}

char* putEncodedValue(char* o, const char*& p)
{
	using namespace Encoding;
	auto tag = static_cast<unsigned char>(*p++);
	std::uint64_t n;
	switch (tag)
	{
	case TagNull:
		std::memcpy(o, "null", 4);
		return o + 4;
	case TagFalse:
		std::memcpy(o, "false", 5);
		return o + 5;
	case TagTrue:
		std::memcpy(o, "true", 4);
		return o + 4;
	case TagInt:
		p = getVarint(p, n);
		return putInt(o, unzigzag(n));
	case TagDouble:
	{
		double d;
		std::memcpy(&d, p, sizeof d);
		p += sizeof d;
		return NumberFormat::writeDouble(o, d);
	}
	case TagString:
	{
		p = getVarint(p, n);
		o = putString(o, std::string_view(p, static_cast<std::size_t>(n)));
		p += n;
		return o;
	}
	case TagArray:
		p = getVarint(p, n);
		*o++ = '[';
		for (std::uint64_t i = 0; i < n; ++i)
		{
			if (i)
				*o++ = ',';
			o = putEncodedValue(o, p);
		}
		*o++ = ']';
		return o;
	case TagObject:
		p = getVarint(p, n);
		*o++ = '{';
		for (std::uint64_t i = 0; i < n; ++i)
		{
			if (i)
				*o++ = ',';
			std::string_view key;
			p = decodeKey(p, key);
			o = putString(o, key);
			*o++ = ':';
			o = putEncodedValue(o, p);
		}
		*o++ = '}';
		return o;
	default:
		std::memcpy(o, "null", 4);
		return o + 4;
	}
}

} // namespace

char* JsonWriter::writeString(char* o, std::string_view s)
{
	return putString(o, s);
}

char* JsonWriter::writeInt(char* o, std::int64_t v)
{
	return putInt(o, v);
}

char* JsonWriter::writeDouble(char* o, double v)
{
	return NumberFormat::writeDouble(o, v);
}

char* JsonWriter::writeEncodedValue(char* o, const char*& p)
{
	return putEncodedValue(o, p);
}

char* JsonWriter::scratch(std::size_t size)
{
	thread_local std::unique_ptr<char[]> buffer;
	thread_local std::size_t capacity = 0;
	if (capacity < size)
	{
		capacity = std::max<std::size_t>({size, capacity * 2, 4096});
		buffer.reset(new char[capacity]);
	}
	return buffer.get();
}

void JsonWriter::appendString(std::string& out, std::string_view s)
{
	char local[kExpansion * 64 + kSlack];
	char* base = s.size() <= 64 ? local : scratch(kExpansion * s.size() + kSlack);
	out.append(base, static_cast<std::size_t>(writeString(base, s) - base));
}

void JsonWriter::appendInt(std::string& out, std::int64_t v)
{
	char buf[24];
	out.append(buf, static_cast<std::size_t>(writeInt(buf, v) - buf));
}

void JsonWriter::appendDouble(std::string& out, double v)
{
	char buf[32];
	out.append(buf, static_cast<std::size_t>(writeDouble(buf, v) - buf));
}

const char* JsonWriter::appendEncodedValue(std::string& out, const char* p)
{
	std::size_t size = static_cast<std::size_t>(Encoding::skipValue(p) - p);
	char* base = scratch(kExpansion * size + kSlack);
	out.append(base, static_cast<std::size_t>(writeEncodedValue(base, p) - base));
	return p;
}

void JsonWriter::appendEncodedObject(std::string& out, const char* p, const char* end)
{
	char* base = scratch(kExpansion * static_cast<std::size_t>(end - p) + kSlack);
	char* o = base;
	*o++ = '{';
	o = writeEncodedMembers(o, p, end, [](std::string_view) {});
	*o++ = '}';
	out.append(base, static_cast<std::size_t>(o - base));
}

namespace
{

// The last second written on this thread, as `"YYYY-MM-DDTHH:MM:SS`: the events of a batch
// mostly fall in the same second, which then costs a 20-byte copy instead of the calendar
// arithmetic. Initial-exec TLS, as UuidGenerator's generator: no __tls_get_addr call per event.
struct SecondText
{
	std::int64_t secs = INT64_MIN;
	char text[20];
};
thread_local SecondText lastSecond __attribute__((tls_model("initial-exec")));

void writeSecond(char* buf, std::int64_t secs)
/// `"YYYY-MM-DDTHH:MM:SS` (20 bytes) of secs since the epoch, UTC.
{
	// Days-from-civil inverse (H. Hinnant's public-domain algorithm), UTC.
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
	auto put2 = [](char* at, int v)
	{
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
}

} // namespace

char* JsonWriter::writeTimestamp(char* buf, const Poco::Timestamp& ts)
{
	std::int64_t us = ts.epochMicroseconds();
	std::int64_t ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
	std::int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int millis = static_cast<int>(ms - secs * 1000);
	int micros = static_cast<int>(us - ms * 1000);
	SecondText& last = lastSecond;
	if (last.secs != secs)
	{
		writeSecond(last.text, secs);
		last.secs = secs;
	}
	std::memcpy(buf, last.text, sizeof last.text);
	buf[20] = '.';
	buf[21] = static_cast<char>('0' + millis / 100);
	buf[22] = static_cast<char>('0' + (millis / 10) % 10);
	buf[23] = static_cast<char>('0' + millis % 10);
	char* o = buf + 24;
	if (micros != 0)
	{
		// Sub-millisecond precision the timestamp carries is kept (microseconds).
		o[0] = static_cast<char>('0' + micros / 100);
		o[1] = static_cast<char>('0' + (micros / 10) % 10);
		o[2] = static_cast<char>('0' + micros % 10);
		o += 3;
	}
	o[0] = 'Z';
	o[1] = '"';
	return o + 2;
}

void JsonWriter::appendTimestamp(std::string& out, const Poco::Timestamp& ts)
{
	char buf[kTimestampMax];
	out.append(buf, static_cast<std::size_t>(writeTimestamp(buf, ts) - buf));
}

char* JsonWriter::writeUuid(char* o, const unsigned char* b)
{
	*o++ = '"';
	for (int i = 0; i < 16; ++i)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hexDigits[b[i] >> 4];
		*o++ = hexDigits[b[i] & 15];
	}
	*o++ = '"';
	return o;
}

void JsonWriter::appendUuid(std::string& out, const unsigned char* b)
{
	char buf[38];
	out.append(buf, static_cast<std::size_t>(writeUuid(buf, b) - buf));
}

} // namespace PostHog
