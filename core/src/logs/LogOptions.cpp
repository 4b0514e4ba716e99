//
// LogOptions.cpp
//

#include "logs/LogOptions.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/ConfigMap.h"

namespace PostHog
{

namespace
{

// Every leaf under base, keyed by its path below base ("host.name" for base.host.name): resource
// attribute names are dotted (service.namespace), so nested keys count too.
void collectLeaves(const Poco::Util::AbstractConfiguration& config, const std::string& base,
                   const std::string& relative, std::map<std::string, std::string>& out)
{
	Poco::Util::AbstractConfiguration::Keys keys;
	config.keys(base, keys);
	if (keys.empty())
	{
		if (!relative.empty())
			out[relative] = config.getString(base, "");
		return;
	}
	for (const std::string& key : keys)
		collectLeaves(config, base + "." + key, relative.empty() ? key : relative + "." + key, out);
}

} // namespace

const OptionTable& LogOptions::table()
{
	static const OptionTable options = {
	    {"flushInterval", OptionSpec::Int, "3000", "ms between sends of the log queue", 10, 3600000},
	    {"flushThreshold", OptionSpec::Int, "100", "queued records that start a send at once", 1, 100000},
	    {"maxQueue", OptionSpec::Int, "10000", "records held; a full queue drops the oldest", 1, 10000000},
	    {"maxBatch", OptionSpec::Int, "500", "records per request to /i/v1/logs", 1, 10000},
	    {"rateLimit.maxLogs", OptionSpec::Int, "1000", "records accepted per window; 0 disables the cap", 0,
	     100000000},
	    {"rateLimit.window", OptionSpec::Int, "10000",
	     "ms of the rate cap's tumbling window; 0 disables the cap", 0, 86400000},
	    {"serviceName", OptionSpec::String, "", "resource service.name; empty: unknown_service:<program>"},
	    {"serviceVersion", OptionSpec::String, "", "resource service.version (left out when empty)"},
	    {"environment", OptionSpec::String, "", "resource deployment.environment (left out when empty)"},
	    {"resource", OptionSpec::Prefix, "", "resource.<key> = value: more resource attributes"},
	};
	return options;
}

LogOptions LogOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigMap keys = ClientKeys::read(config, "posthog.logs");
	LogOptions o;
	o.flushInterval = keys.getMilliseconds("flushInterval");
	o.flushThreshold = static_cast<std::size_t>(keys.getInt("flushThreshold"));
	o.maxQueue = static_cast<std::size_t>(keys.getInt("maxQueue"));
	o.maxBatch = static_cast<std::size_t>(keys.getInt("maxBatch"));
	o.rateMaxLogs = static_cast<std::size_t>(keys.getInt("rateLimit.maxLogs"));
	o.rateWindow = keys.getMilliseconds("rateLimit.window");
	o.serviceName = keys.getString("serviceName");
	o.serviceVersion = keys.getString("serviceVersion");
	o.environment = keys.getString("environment");
	collectLeaves(config, std::string(kPrefix) + "resource", "", o.resourceAttributes);
	return o;
}

} // namespace PostHog
