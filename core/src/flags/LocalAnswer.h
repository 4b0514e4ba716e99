//
// LocalAnswer.h
//
// One flag's locally decided value in the compact form of a whole-context evaluation.
//

#ifndef PostHog_Flags_LocalAnswer_INCLUDED
#define PostHog_Flags_LocalAnswer_INCLUDED

#include "PostHog/FlagValue.h"
#include <string>

namespace PostHog
{

struct LocalAnswer
/// What LocalEvaluator decided for one flag when every flag of a context is evaluated at once:
/// the value and views into the definitions it was evaluated against (the reason is static
/// text, the payload the definitions' JSON text), so nothing but the value is copied. The
/// definitions must outlive the answer; the flag's key, id and version are read from them.
{
	FlagValue value;
	/// No value when the flag was not decided locally.

	const char* reason = nullptr;
	/// condition_match, no_condition_match, ... as LocalResult::reason; null when not decided.

	const std::string* payload = nullptr;
	/// The payload's JSON text for the value, or null (none, or the value is false).

	bool decided() const noexcept { return value.hasValue(); }
};

} // namespace PostHog

#endif // PostHog_Flags_LocalAnswer_INCLUDED
