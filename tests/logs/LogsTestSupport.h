//
// LogsTestSupport.h
//
// A loopback PostHog with a strict /i/v1/logs, and clients aimed at it, for the logs suites.
//

#ifndef PostHogTest_LogsTestSupport_INCLUDED
#define PostHogTest_LogsTestSupport_INCLUDED

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "OtlpLogsEndpoint.h"
#include "Poco/AutoPtr.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Client.h"
#include <map>
#include <memory>
#include <string>

namespace PostHogTest
{

class LogsHarness
/// One CaptureServer with an OtlpLogsEndpoint on /i/v1/logs, and clients built from posthog.*
/// keys (long intervals by default, so only thresholds, flush() and shutdown() send).
{
public:
	static constexpr const char* kApiKey = "phc_test_key_1234";

	LogsHarness() : logs(kApiKey) { server.route("/i/v1/logs", logs.route()); }

	std::unique_ptr<PostHog::Client> client(const std::map<std::string, std::string>& keys = {},
	                                        PostHog::LogBeforeSendChain hooks = {})
	{
		Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
		config->setString("posthog.apiKey", kApiKey);
		config->setString("posthog.host", server.url());
		config->setString("posthog.batch.interval", "60000");
		config->setString("posthog.http.retryDelay", "10");
		config->setString("posthog.shutdownTimeout", "10000");
		config->setString("posthog.logs.flushInterval", "60000");
		config->setString("posthog.logs.serviceName", "checkout");
		for (const auto& kv : keys)
			config->setString(kv.first, kv.second);
		PostHog::ClientOptions options = PostHog::ClientOptions::fromConfiguration(*config);
		options.onError = errors.callback();
		options.logBeforeSend = std::move(hooks);
		return std::unique_ptr<PostHog::Client>(new PostHog::Client(std::move(options)));
	}

	// Declared so that the server stops before the endpoint and the recorder go away.
	ErrorRecorder errors;
	OtlpLogsEndpoint logs;
	CaptureServer server;
};

} // namespace PostHogTest

#endif // PostHogTest_LogsTestSupport_INCLUDED
