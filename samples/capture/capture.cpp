// The smallest program that captures an event. Run: POSTHOG_API_KEY=phc_... ./posthog-capture-sample
#include "PostHog/Client.h"
#include <cstdlib>

int main()
{
	PostHog::ClientOptions options;
	options.apiKey = std::getenv("POSTHOG_API_KEY") ? std::getenv("POSTHOG_API_KEY") : "";
	if (const char* host = std::getenv("POSTHOG_HOST"))
		options.host = host; // default: https://us.i.posthog.com
	PostHog::Client client(options);
	client.capture("user-42", "movie played", {{"title", "Heat"}, {"minutes", 170}});
	return client.shutdown() ? 0 : 1; // flushes: true when PostHog accepted everything
}
