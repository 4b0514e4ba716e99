//
// MinimalCalledEvent.h
//
// The server-gated minimal form of $feature_flag_called.
//

#ifndef PostHog_MinimalCalledEvent_INCLUDED
#define PostHog_MinimalCalledEvent_INCLUDED

#include "PostHog/Message.h"
#include <string_view>

namespace PostHog
{

class MinimalCalledEvent
/// PostHog can ask for smaller $feature_flag_called events: when the definitions say
/// minimal_flag_called_events: true (or a /flags answer says minimalFlagCalledEvents: true) and
/// the flag is known not to be linked to an experiment (has_experiment: false), the event keeps
/// only an allowlist of properties: the flag's identity, value and evaluation details, $groups,
/// $process_person_profile, $geoip_disable, the page ($current_url, $pathname), the session and
/// library identity, the platform identity and the session-attribution keys. Anything unknown (no gate,
/// has_experiment missing or true) sends the full event. The pipeline's stages may still add properties
/// (super properties, for example), so the event is marked when it is queued and cut down after the stages
/// ran.
{
public:
	static bool applies(bool gate, signed char hasExperiment) noexcept { return gate && hasExperiment == 0; }
	/// Whether an event for a flag with this has_experiment (1, 0, -1 unknown) is minimal.

	static void mark(Message& message);
	/// Marks a $feature_flag_called message for minimize().

	static bool minimize(Message& message);
	/// For a marked message: removes the mark and every property outside the allowlist. Returns
	/// whether the message was marked.

	static bool allowed(std::string_view property) noexcept;
	/// Whether a property stays in a minimal event.

	static constexpr const char* kMarkProperty = "$__posthog_minimal_flag_called";
};

} // namespace PostHog

#endif // PostHog_MinimalCalledEvent_INCLUDED
