//
// ClientOptionTables.h
//
// The option tables of the client's own configuration sections.
//

#ifndef PostHog_ClientOptionTables_INCLUDED
#define PostHog_ClientOptionTables_INCLUDED

#include "PostHog/OptionSpec.h"

namespace PostHog
{

class ClientOptionTables
/// The keys of each posthog.* section that ClientKeys lists, with their defaults, ranges and
/// descriptions: the single declaration ClientOptions reads with and the README documents.
{
public:
	static OptionTable client();   /// posthog.apiKey, host, enabled, geoip, syncMode, shutdownTimeout
	static OptionTable batch();    /// posthog.batch.*
	static OptionTable queue();    /// posthog.queue.*
	static OptionTable http();     /// posthog.http.*
	static OptionTable spool();    /// posthog.spool.*
	static OptionTable pipeline(); /// posthog.pipeline.* (the stages' own keys excepted)
	static OptionTable ndjson();   /// posthog.ndjson.*, posthog-send's input bounds
};

} // namespace PostHog

#endif // PostHog_ClientOptionTables_INCLUDED
