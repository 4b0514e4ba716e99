//
// NumberFormat.h
//
// The JSON text of a double.
//

#ifndef PostHog_NumberFormat_INCLUDED
#define PostHog_NumberFormat_INCLUDED

namespace PostHog
{

class NumberFormat
/// Writes doubles as JSON numbers: the shortest text that reads back as the same double, exactly
/// what std::to_chars writes, with a fast path for numbers of up to three decimals (prices,
/// durations, ratings), which events mostly carry. NaN and infinities become null.
{
public:
	static char* writeDouble(char* o, double v);
	/// Writes v at o (at most 32 bytes) and returns the position past it.
};

} // namespace PostHog

#endif // PostHog_NumberFormat_INCLUDED
