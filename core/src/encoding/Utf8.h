//
// Utf8.h
//
// UTF-8 validation for the JSON writer.
//

#ifndef PostHog_Utf8_INCLUDED
#define PostHog_Utf8_INCLUDED

#include <cstddef>
#include <string_view>

namespace PostHog
{

class Utf8
/// Tells valid UTF-8 from invalid (overlong forms, surrogates, code points above U+10FFFF and
/// truncated sequences are invalid), so that JsonWriter can replace what JSON may not carry.
{
public:
	static std::size_t sequenceLength(const unsigned char* p, const unsigned char* end);
	/// The length (1 to 4) of the valid UTF-8 sequence starting at p, or 0 if it is invalid.

	static bool isValid(std::string_view s);
	/// True when all of s is valid UTF-8.
};

} // namespace PostHog

#endif // PostHog_Utf8_INCLUDED
