//
// FlagOptions.h
//
// The optional parts of a feature flag call: groups, properties, evaluation scope.
//

#ifndef PostHog_FlagOptions_INCLUDED
#define PostHog_FlagOptions_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace PostHog
{

struct PostHog_API FlagOptions
/// What a feature flag call knows about the person beside the distinct id, and how far it may
/// go to decide a flag:
///
///     FlagOptions options;
///     options.groups = {{"company", "acme"}};
///     options.personProperties = Properties{{"plan", "enterprise"}};
///     options.groupProperties["company"] = Properties{{"seats", 120}};
///     bool on = client.isFeatureEnabled("new-billing", "user-42", options);
///
/// As the official SDKs do, the client adds `distinct_id` to the person properties and
/// `$group_key` to each group's properties (a value given here wins). Properties set with
/// Client::setPersonPropertiesForFlags() / setGroupPropertiesForFlags() are defaults below
/// these.
{
	std::map<std::string, std::string> groups;
	/// Group type -> group key ("company" -> "acme"), for group flags.

	Properties personProperties;
	/// Person properties for local evaluation and the remote request.

	std::map<std::string, Properties> groupProperties;
	/// Group type -> that group's properties.

	bool onlyEvaluateLocally = false;
	/// Never ask PostHog: a flag that cannot be decided from the local definitions has no value.

	bool sendFeatureFlagEvents = true;
	/// Capture $feature_flag_called (deduplicated) for the flags this call reads.

	std::vector<std::string> flagKeys;
	/// getAllFlags / getAllFlagsAndPayloads / evaluateFlags: only these keys (all when empty).
	/// The remote request, when one is needed, asks for these keys only.

	std::optional<bool> disableGeoip;
	/// Ask PostHog not to use the request's IP address for person properties; when unset, the
	/// client's posthog.geoip setting decides (disabled by default).

	std::function<void(const std::string& line)> explain;
	/// When set, local evaluation reports here, one line per condition tried, why each flag
	/// was decided as it was (for debugging tools such as posthog-flags --explain). Slow.
};

} // namespace PostHog

#endif // PostHog_FlagOptions_INCLUDED
