//
// LogOptions.h
//
// The posthog.logs.* settings: queue, flush timer, rate cap and resource attributes.
//

#ifndef PostHog_LogOptions_INCLUDED
#define PostHog_LogOptions_INCLUDED

#include "Poco/Timespan.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/OptionSpec.h"
#include <cstddef>
#include <map>
#include <string>

namespace PostHog
{

struct LogOptions
/// The settings of the logs pipeline, read from the posthog.logs.* keys of a configuration.
/// table() declares every key once (name relative to posthog.logs., type, default, range,
/// description); fromConfiguration() reads them through it, so the ranges live in one place.
{
	Poco::Timespan flushInterval = Poco::Timespan(3 * Poco::Timespan::SECONDS); /// flushInterval (ms)
	std::size_t flushThreshold = 100; /// flushThreshold: queued records that start a send at once
	std::size_t maxQueue = 10000;     /// maxQueue: records held; a full queue drops the oldest
	std::size_t maxBatch = 500;       /// maxBatch: records per request
	std::size_t rateMaxLogs = 1000;   /// rateLimit.maxLogs: records per window; 0 disables the cap
	Poco::Timespan rateWindow =
	    Poco::Timespan(10 * Poco::Timespan::SECONDS); /// rateLimit.window (ms); 0 disables
	std::string serviceName;                          /// serviceName; empty: "unknown_service:<program>"
	std::string serviceVersion;                       /// serviceVersion; left out when empty
	std::string environment; /// environment: deployment.environment; left out when empty
	std::map<std::string, std::string> resourceAttributes; /// resource.<key> = value

	static constexpr const char* kPrefix = "posthog.logs.";

	static const OptionTable& table();
	/// Every posthog.logs.* key (names without the prefix).

	static LogOptions fromConfiguration(const Poco::Util::AbstractConfiguration& config);
	/// Reads the keys of table(), missing ones keeping their defaults. Throws
	/// ConfigurationException naming the key and value for a value of the wrong type or range.
};

} // namespace PostHog

#endif // PostHog_LogOptions_INCLUDED
