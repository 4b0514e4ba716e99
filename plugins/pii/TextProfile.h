//
// TextProfile.h
//
// One cheap pass over a string that tells the detectors whether they need to look at all.
//

#ifndef PostHog_TextProfile_INCLUDED
#define PostHog_TextProfile_INCLUDED

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace PostHog
{

namespace Chars
/// Byte classes (ASCII only: any byte >= 0x80 is "other", so UTF-8 text never matches a class).
{
enum : std::uint16_t
{
	Digit = 1 << 0,
	Upper = 1 << 1,
	Lower = 1 << 2,
	At = 1 << 3,
	Colon = 1 << 4,
	Dot = 1 << 5,
	Plus = 1 << 6,
	Dash = 1 << 7,
	Underscore = 1 << 8,
	Slash = 1 << 9,
	Space = 1 << 10,
	Query = 1 << 11, /// '?' or '#' or '='
	Paren = 1 << 12,
	HexLetter = 1 << 13, /// a-f, A-F
	Percent = 1 << 14,
	UrlEnd = 1 << 15 /// whitespace, quotes, < > `: where a URL in text ends
};

extern const std::uint16_t table[256];

inline std::uint16_t of(char c) noexcept
{
	return table[static_cast<unsigned char>(c)];
}
inline bool isDigit(char c) noexcept
{
	return c >= '0' && c <= '9';
}
inline bool isAlpha(char c) noexcept
{
	return (of(c) & (Upper | Lower)) != 0;
}
inline bool isAlnum(char c) noexcept
{
	return (of(c) & (Upper | Lower | Digit)) != 0;
}
inline bool isHex(char c) noexcept
{
	return (of(c) & (Digit | HexLetter)) != 0;
}
inline char lower(char c) noexcept
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
} // namespace Chars

struct TextProfile
/// Counts and byte classes of one string, from a single table-driven pass (about a
/// nanosecond per 2-3 bytes). Each detector's worthScanning() reads it and most strings are
/// skipped by every detector without being scanned.
{
	std::uint16_t classes = 0; /// OR of Chars:: classes of every byte
	std::uint32_t digits = 0;
	std::uint32_t dots = 0;
	std::uint32_t colons = 0;
	std::size_t length = 0;

	static TextProfile of(std::string_view text) noexcept;

	bool has(std::uint16_t cls) const noexcept { return (classes & cls) != 0; }
};

} // namespace PostHog

#endif // PostHog_TextProfile_INCLUDED
