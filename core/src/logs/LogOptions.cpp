//
// LogOptions.cpp
//

#include "logs/LogOptions.h"
#include "config/ConfigReader.h"

namespace PostHog
{

namespace
{

const OptionSpec& spec(const std::string& name)
{
	for (const OptionSpec& s : LogOptions::table())
	{
		if (s.name == name)
			return s;
	}
	throw Poco::NotFoundException("posthog.logs." + name + " is not declared in LogOptions::table()");
}

Poco::Int64 readInt(const ConfigReader& reader, const std::string& name)
{
	const OptionSpec& s = spec(name);
	return reader.getInt(LogOptions::kPrefix + name, std::stoll(s.defaultValue),
	                     static_cast<Poco::Int64>(s.min), static_cast<Poco::Int64>(s.max));
}

std::string readString(const ConfigReader& reader, const std::string& name)
{
	return reader.getString(LogOptions::kPrefix + name, spec(name).defaultValue);
}

// Every leaf under base, keyed by its path below base ("host.name" for base.host.name).
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
	ConfigReader reader(config);
	LogOptions o;
	o.flushInterval = Poco::Timespan(readInt(reader, "flushInterval") * Poco::Timespan::MILLISECONDS);
	o.flushThreshold = static_cast<std::size_t>(readInt(reader, "flushThreshold"));
	o.maxQueue = static_cast<std::size_t>(readInt(reader, "maxQueue"));
	o.maxBatch = static_cast<std::size_t>(readInt(reader, "maxBatch"));
	o.rateMaxLogs = static_cast<std::size_t>(readInt(reader, "rateLimit.maxLogs"));
	o.rateWindow = Poco::Timespan(readInt(reader, "rateLimit.window") * Poco::Timespan::MILLISECONDS);
	o.serviceName = readString(reader, "serviceName");
	o.serviceVersion = readString(reader, "serviceVersion");
	o.environment = readString(reader, "environment");
	const std::string resource = std::string(kPrefix) + "resource";
	collectLeaves(config, resource, "", o.resourceAttributes);
	return o;
}

} // namespace PostHog
