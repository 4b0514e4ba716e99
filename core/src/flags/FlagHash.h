//
// FlagHash.h
//
// The SHA-1 bucketing every PostHog SDK shares.
//

#ifndef PostHog_Flags_FlagHash_INCLUDED
#define PostHog_Flags_FlagHash_INCLUDED

#include <string_view>

namespace PostHog
{

class FlagHash
/// Maps (flag key, bucketing value, salt) to a number in [0, 1]: the first 15 hex digits of
/// SHA-1("<key><separator><bucketing value><salt>") divided by 0xFFFFFFFFFFFFFFF. Rollouts
/// compare it with the percentage / 100, variants walk their cumulative ranges with the salt
/// "variant", and holdouts hash "holdout-<bucketing value>". Thread-safe without a lock.
{
public:
	static double hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt);
	/// prefix is "<flag key>." (key and separator, computed once per flag).
};

} // namespace PostHog

#endif // PostHog_Flags_FlagHash_INCLUDED
