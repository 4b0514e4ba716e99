//
// EventSerializer.h
//
// Writes a Message as the JSON object PostHog's /batch/ endpoint takes.
//

#ifndef PostHog_EventSerializer_INCLUDED
#define PostHog_EventSerializer_INCLUDED

#include "PostHog/Message.h"
#include <string>

namespace PostHog
{

class EventSerializer
/// The one place a Message becomes the JSON of a /batch/ event: the batching sink writes every
/// event through it, straight from the encoded properties into the request body (with
/// JsonWriter), and Message::toJSON() uses it too, so what a stage or a test sees is exactly
/// what goes on the wire.
{
public:
	static void append(std::string& out, const Message& message, bool geoip);
	/// Appends {"uuid","event","distinct_id","timestamp","properties"} to out. Adds $lib,
	/// $lib_version and (unless geoip) $geoip_disable to the properties when absent.
};

} // namespace PostHog

#endif // PostHog_EventSerializer_INCLUDED
