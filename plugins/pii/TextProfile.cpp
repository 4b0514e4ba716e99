//
// TextProfile.cpp
//

#include "TextProfile.h"

namespace PostHog
{
namespace Chars
{

// Generated: the class bits of each byte value (ASCII; bytes >= 0x80 have none).
// clang-format off
const std::uint16_t table[256] = {
	0, 0, 0, 0, 0, 0, 0, 0,
	0, Space|UrlEnd, Space|UrlEnd, 0, 0, Space|UrlEnd, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	Space|UrlEnd, 0, UrlEnd, Query, 0, Percent, 0, UrlEnd,
	Paren, Paren, 0, Plus, 0, Dash, Dot, Slash,
	Digit, Digit, Digit, Digit, Digit, Digit, Digit, Digit,
	Digit, Digit, Colon, 0, UrlEnd, Query, UrlEnd, Query,
	At, Upper|HexLetter, Upper|HexLetter, Upper|HexLetter, Upper|HexLetter, Upper|HexLetter, Upper|HexLetter, Upper,
	Upper, Upper, Upper, Upper, Upper, Upper, Upper, Upper,
	Upper, Upper, Upper, Upper, Upper, Upper, Upper, Upper,
	Upper, Upper, Upper, 0, 0, 0, 0, Underscore,
	UrlEnd, Lower|HexLetter, Lower|HexLetter, Lower|HexLetter, Lower|HexLetter, Lower|HexLetter, Lower|HexLetter, Lower,
	Lower, Lower, Lower, Lower, Lower, Lower, Lower, Lower,
	Lower, Lower, Lower, Lower, Lower, Lower, Lower, Lower,
	Lower, Lower, Lower, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
};
// clang-format on

} // namespace Chars

TextProfile TextProfile::of(std::string_view text) noexcept
{
	// Counts add up in three 16-bit lanes of one 64-bit word (digits, dots, colons), so each
	// byte costs one OR and one ADD; chunks of 65535 bytes keep the lanes from overflowing.
	struct Lanes
	{
		std::uint64_t add[256] = {};
		Lanes()
		{
			for (unsigned c = '0'; c <= '9'; ++c)
				add[c] = 1;
			add[static_cast<unsigned char>('.')] = std::uint64_t(1) << 16;
			add[static_cast<unsigned char>(':')] = std::uint64_t(1) << 32;
		}
	};
	static const Lanes lanes;
	TextProfile p;
	p.length = text.size();
	std::uint16_t classes = 0;
	const unsigned char* b = reinterpret_cast<const unsigned char*>(text.data());
	std::size_t left = text.size();
	while (left > 0)
	{
		std::size_t chunk = left < 65535 ? left : 65535;
		std::uint64_t sums = 0;
		// two independent accumulators halve the loop-carried dependency chain
		std::uint64_t sums2 = 0;
		std::uint16_t classes2 = 0;
		std::size_t i = 0;
		for (; i + 1 < chunk; i += 2)
		{
			classes |= Chars::table[b[i]];
			sums += lanes.add[b[i]];
			classes2 |= Chars::table[b[i + 1]];
			sums2 += lanes.add[b[i + 1]];
		}
		if (i < chunk)
		{
			classes |= Chars::table[b[i]];
			sums += lanes.add[b[i]];
		}
		classes |= classes2;
		sums += sums2;
		p.digits += static_cast<std::uint32_t>(sums & 0xffff);
		p.dots += static_cast<std::uint32_t>((sums >> 16) & 0xffff);
		p.colons += static_cast<std::uint32_t>((sums >> 32) & 0xffff);
		b += chunk;
		left -= chunk;
	}
	p.classes = classes;
	return p;
}

} // namespace PostHog
