//
// EventOptions.h
//
// The optional parts of a capture, identify, alias, group identify or pageview call.
//

#ifndef PostHog_EventOptions_INCLUDED
#define PostHog_EventOptions_INCLUDED

#include "Poco/Timestamp.h"
#include "PostHog/FeatureFlagEvaluations.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

struct PostHog_API EventOptions
/// posthog-ruby's optional message fields, as a struct:
///
///     EventOptions options;
///     options.timestamp = Poco::Timestamp::fromEpochTime(1735689600);
///     options.groups = {{"company", "acme"}};
///     client.capture("user-1", "report exported", props, options);
{
	std::optional<Poco::Timestamp> timestamp;
	/// When the event happened; now when unset.

	std::string uuid;
	/// The event's uuid (any RFC 4122 form: 8-4-4-4-12 hex); a fresh UUIDv7 when empty. A
	/// malformed uuid makes the call fail.

	std::vector<std::pair<std::string, std::string>> groups;
	/// Group type -> group key, sent as properties.$groups.

	Properties set;
	/// Person properties to set ($set). For identify they are merged with its properties.

	Properties setOnce;
	/// Person properties to set only if unset ($set_once).

	bool personless = false;
	/// Sends $process_person_profile = false: the event creates and updates no person profile.

	std::optional<bool> disableGeoip;
	/// This event only (posthog-python's disable_geoip): true sends $geoip_disable = true, so
	/// PostHog adds no location; false sends $geoip_disable = false, so it does even when
	/// posthog.geoip is false. Unset: posthog.geoip decides.

	bool sendFeatureFlags = false;
	/// capture(): adds $feature/<key> and $active_feature_flags for the distinct id (and
	/// groups): evaluated locally on the caller's thread when definitions are loaded, otherwise
	/// by one remote request on the worker. Ignored when `flags` is set.

	std::optional<FeatureFlagEvaluations> flags;
	/// capture(): adds $feature/<key> and $active_feature_flags from this snapshot, as they are
	/// (no evaluation, no request).
};

} // namespace PostHog

#endif // PostHog_EventOptions_INCLUDED
