//
// NumberFormat.cpp
//

#include "encoding/NumberFormat.h"
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace PostHog
{

namespace
{

const double powersOf10[] = {1, 10, 100, 1000};

inline std::size_t decimalDigits(std::uint64_t v)
{
	std::size_t n = 1;
	while (v >= 10)
	{
		v /= 10;
		++n;
	}
	return n;
}

} // namespace

char* NumberFormat::writeDouble(char* o, double v)
{
	if (!std::isfinite(v))
	{
		std::memcpy(o, "null", 4);
		return o + 4;
	}
	// Fast path for what events mostly carry, numbers with up to 3 decimals (prices, durations,
	// ratings): std::to_chars's shortest form costs ~570 instructions a double (callgrind), this
	// ~60. It writes exactly what std::to_chars writes: k is the fewest decimals with which the
	// text reads back as v (n / 10^k is correctly rounded, as parsing is), and fixed notation is
	// used only where it is not longer than the scientific one, as std::to_chars chooses.
	double a = std::fabs(v);
	if (v != 0 && a < 1e15)
	{
		for (int k = 0; k <= 3; ++k)
		{
			double scaled = std::nearbyint(a * powersOf10[k]);
			if (scaled >= 9007199254740992.0) // 2^53: beyond, n would not be exact
				break;
			if (scaled / powersOf10[k] != a)
				continue;
			auto n = static_cast<std::uint64_t>(scaled);
			std::uint64_t div = static_cast<std::uint64_t>(powersOf10[k]);
			std::uint64_t whole = n / div, frac = n % div;
			std::size_t intDigits = decimalDigits(whole);
			std::size_t fixedLength = intDigits + (k ? 1 + static_cast<std::size_t>(k) : 0);
			std::uint64_t significant = n;
			while (significant % 10 == 0)
				significant /= 10;
			std::size_t digits = decimalDigits(significant);
			int exponent = static_cast<int>(intDigits) - 1;
			if (whole == 0)
				exponent = static_cast<int>(decimalDigits(n)) - k - 1;
			std::size_t sciLength =
			    (digits == 1 ? 1 : digits + 1) + (exponent <= -100 || exponent >= 100 ? 5 : 4);
			if (fixedLength > sciLength)
				break;
			if (v < 0)
				*o++ = '-';
			o = std::to_chars(o, o + 24, whole).ptr;
			if (k)
			{
				*o++ = '.';
				for (int i = k - 1; i >= 0; --i)
				{
					o[i] = static_cast<char>('0' + frac % 10);
					frac /= 10;
				}
				o += k;
			}
			return o;
		}
	}
	return std::to_chars(o, o + 32, v).ptr;
}

} // namespace PostHog
