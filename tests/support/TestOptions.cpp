//
// TestOptions.cpp
//

#include "TestOptions.h"

namespace PostHogTest
{

PostHog::ClientOptions testOptions(const std::string& host, const std::string& apiKey)
{
	PostHog::ClientOptions o;
	o.apiKey = apiKey;
	o.host = host;
	o.batchInterval = Poco::Timespan(60, 0);
	o.retryBaseDelay = Poco::Timespan(10 * 1000);
	o.shutdownTimeout = Poco::Timespan(10, 0);
	return o;
}

} // namespace PostHogTest
