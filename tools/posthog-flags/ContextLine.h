//
// ContextLine.h
//
// One input line of posthog-flags: an evaluation context.
//

#ifndef PostHogFlags_ContextLine_INCLUDED
#define PostHogFlags_ContextLine_INCLUDED

#include "PostHog/FlagOptions.h"
#include <string>

namespace PostHogFlags
{

struct ContextLine
/// {"distinct_id": "...", "groups": {type: key}, "person_properties": {...},
/// "group_properties": {type: {...}}} read into the distinct id and FlagOptions of a call.
{
	std::size_t number = 0;
	std::string distinctId;
	PostHog::FlagOptions options;
	std::string error;
	/// Why the line could not be read (one sentence, without the line number); empty when it was.

	static ContextLine parse(const std::string& text, std::size_t number);
	/// Never throws: a malformed line comes back with error set.
};

} // namespace PostHogFlags

#endif // PostHogFlags_ContextLine_INCLUDED
