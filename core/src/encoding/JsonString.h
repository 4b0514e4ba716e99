//
// JsonString.h
//
// A string as JSON text.
//

#ifndef PostHog_JsonString_INCLUDED
#define PostHog_JsonString_INCLUDED

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace PostHog
{

class JsonString
/// Writes a string as a JSON string: quoted, with '"', '\\' and control bytes escaped and
/// invalid UTF-8 replaced by U+FFFD. Most strings of events need none of that: write() copies
/// them with a few 8-byte checks, inline where the JSON is written, and hands the others to
/// writeEscaped(), out of line.
{
public:
	static char* write(char* o, std::string_view s)
	/// Writes s quoted at o (at most 2 + 6 * s.size() bytes) and returns the position past it.
	{
		*o++ = '"';
		if (copyPlain(o, s.data(), s.size()))
			o += s.size();
		else
			o = writeEscaped(o, s);
		*o++ = '"';
		return o;
	}

	static bool needsCare8(std::uint64_t x)
	/// True when one of the 8 bytes in x needs a closer look: a control byte, '"', '\\' or a byte
	/// >= 0x80 (the usual "has zero byte" bit trick, exact for the answer "any").
	{
		const std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
		std::uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
		std::uint64_t control = (x - ones * 0x20) & ~x;
		return ((control | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs) |
		       (x & highs);
	}

private:
	static bool copyPlain(char* o, const char* s, std::size_t n)
	/// Copies the n bytes at s to o and returns true when none needs a closer look: 8 bytes at
	/// a time, the last 8 (or 4) overlapping what was copied already, as plain bytes are copied
	/// as they are. False, with whatever was copied to be overwritten, otherwise.
	{
		if (n >= 8)
		{
			std::uint64_t x;
			for (std::size_t i = 0; i + 8 < n; i += 8)
			{
				std::memcpy(&x, s + i, 8);
				if (needsCare8(x))
					return false;
				std::memcpy(o + i, &x, 8);
			}
			std::memcpy(&x, s + n - 8, 8);
			if (needsCare8(x))
				return false;
			std::memcpy(o + n - 8, &x, 8);
			return true;
		}
		if (n >= 4)
		{
			std::uint32_t a, b;
			std::memcpy(&a, s, 4);
			std::memcpy(&b, s + n - 4, 4);
			if (needsCare8(a | (std::uint64_t(b) << 32)))
				return false;
			std::memcpy(o, &a, 4);
			std::memcpy(o + n - 4, &b, 4);
			return true;
		}
		for (std::size_t i = 0; i < n; ++i)
		{
			unsigned char c = static_cast<unsigned char>(s[i]);
			if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
				return false;
			o[i] = s[i];
		}
		return true;
	}

	static char* writeEscaped(char* o, std::string_view s);
	/// The bytes of s, escaped where JSON needs it (no quotes); returns the position past them.
};

} // namespace PostHog

#endif // PostHog_JsonString_INCLUDED
