//
// ResultLine.h
//
// One output line of posthog-flags.
//

#ifndef PostHogFlags_ResultLine_INCLUDED
#define PostHogFlags_ResultLine_INCLUDED

#include "PostHog/FeatureFlagEvaluations.h"
#include <string>

namespace PostHogFlags
{

class ResultLine
/// Writes {"distinct_id", "flags": {key: true | false | "variant"}, "payloads": {key: decoded
/// JSON}} for an evaluated context ("payloads" holds the flags that are on and have a payload),
/// with "error" when the remote evaluation failed; or {"line", "error"} for a line that could
/// not be read.
{
public:
	static std::string of(const PostHog::FeatureFlagEvaluations& flags, const std::string& error);
	static std::string failure(std::size_t line, const std::string& error);
};

} // namespace PostHogFlags

#endif // PostHogFlags_ResultLine_INCLUDED
