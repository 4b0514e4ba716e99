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
{
public:
	static void append(std::string& out, const Message& message, bool geoip);
	/// Appends {"uuid","event","distinct_id","timestamp","properties"} to out. Adds $lib,
	/// $lib_version and (unless geoip) $geoip_disable to the properties when absent.
};

} // namespace PostHog

#endif // PostHog_EventSerializer_INCLUDED
