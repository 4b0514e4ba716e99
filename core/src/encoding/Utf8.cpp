//
// Utf8.cpp
//

#include "encoding/Utf8.h"

namespace PostHog
{

std::size_t Utf8::sequenceLength(const unsigned char* p, const unsigned char* end)
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

bool Utf8::isValid(std::string_view s)
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
		std::size_t n = sequenceLength(p, end);
		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

} // namespace PostHog
