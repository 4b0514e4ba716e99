//
// PropertyText.h
//
// Property values as text, the way the flag operators compare them.
//

#ifndef PostHog_Flags_PropertyText_INCLUDED
#define PostHog_Flags_PropertyText_INCLUDED

#include "PostHog/Value.h"
#include <string>
#include <string_view>

namespace PostHog
{

class PropertyText
/// Converts property values to the text the operators compare, as the SDKs do: the string
/// operators use JavaScript's String(value) (true, 1.5, "a,b" for an array, "null"); exact and
/// is_not use the value's JSON spelling with object keys sorted, and fail for a number whose
/// spelling is ambiguous (an integral double: 5.0 may be "5" or "5.0"); lower-casing is ASCII
/// for substring operators and Unicode for exact; parseFloat reads a leading number as
/// JavaScript does.
{
public:
	static void appendString(const Value& value, std::string& out);
	/// Appends String(value).

	static bool exactText(const Value& value, std::string& out);
	/// Sets out to the text exact compares; false when the value has no unambiguous spelling.

	static void asciiLower(std::string& text) noexcept;
	static std::string lower(std::string_view text);
	/// Unicode lower case (ASCII fast path).

	static bool isAscii(std::string_view text) noexcept;

	static bool parseFloat(std::string_view text, double& out) noexcept;
	/// JavaScript's parseFloat: leading whitespace, then the longest decimal number prefix.
	/// False when there is none or it is not finite.

	static void appendNumber(double value, std::string& out);
	/// A double as JavaScript's String(number) writes it.

	static bool truthyOrFalsy(const Value& value) noexcept;
	/// A boolean, "true"/"false" in any case, or an array of only those.

	static bool truthy(const Value& value) noexcept;
	/// true, "true" in any case, or an array of only those.

private:
	static bool appendJson(const Value& value, std::string& out, int depth);
	static bool appendJsonObject(const Value& value, std::string& out, int depth);
	/// Members sorted by key, as the JSON text the SDKs compare against.
	static void appendJsonString(std::string_view text, std::string& out);
};

} // namespace PostHog

#endif // PostHog_Flags_PropertyText_INCLUDED
