//
// EvaluationContext.h
//
// Who a flag is evaluated for: ids, groups and the properties the caller knows.
//

#ifndef PostHog_Flags_EvaluationContext_INCLUDED
#define PostHog_Flags_EvaluationContext_INCLUDED

#include "PostHog/Properties.h"
#include <map>
#include <string>

namespace PostHog
{

struct EvaluationContext
/// The input of a local evaluation. The caller has already added distinct_id to the person
/// properties and $group_key to each group's properties, as the official SDKs do. deviceId
/// buckets flags whose bucketing_identifier is "device_id"; when it is empty the person
/// property $device_id is used instead.
{
	std::string distinctId;
	std::string deviceId;
	std::map<std::string, std::string> groups;
	/// Group type -> group key.

	Properties personProperties;
	std::map<std::string, Properties> groupProperties;
	/// Group type -> that group's properties.
};

} // namespace PostHog

#endif // PostHog_Flags_EvaluationContext_INCLUDED
