//
// FlagsOptions.cpp
//

#include "flags/FlagsOptions.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/ConfigMap.h"
#include "PostHog/Exceptions.h"

namespace PostHog
{

const OptionTable& FlagsOptions::table()
{
	static const OptionTable table = {
	    {"personalApiKey", OptionSpec::String, "",
	     "personal API key (feature flags read): enables local evaluation of feature flags"},
	    {"flags.pollInterval", OptionSpec::Int, "30000", "ms between two fetches of the flag definitions",
	     1000, 24 * 3600 * 1000},
	    {"flags.requestTimeout", OptionSpec::Int, "3000", "ms one flag request may take as a whole (each attempt)", 1,
	     600 * 1000},
	    {"flags.retries", OptionSpec::Int, "1",
	     "retries of a remote flag evaluation (transport errors, 502, 504)", 0, 10},
	    {"flags.sharedCache", OptionSpec::String, "",
	     "file shared by every process on the host: one polls, the others read it"},
	    {"flags.definitionsFile", OptionSpec::String, "",
	     "flag definitions read from this file, with no network (no polling)"},
	    {"flags.calledCacheSize", OptionSpec::Int, "50000",
	     "(distinct id, flag, value) entries remembered to send $feature_flag_called once", 0, 100000000},
	};
	return table;
}

FlagsOptions FlagsOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigMap keys = ClientKeys::read(config, "posthog");
	FlagsOptions o;
	o.personalApiKey = keys.getString("personalApiKey");
	o.pollInterval = keys.getMilliseconds("flags.pollInterval");
	o.requestTimeout = keys.getMilliseconds("flags.requestTimeout");
	o.retries = static_cast<int>(keys.getInt("flags.retries"));
	o.sharedCache = keys.getString("flags.sharedCache");
	o.definitionsFile = keys.getString("flags.definitionsFile");
	o.calledCacheSize = static_cast<std::size_t>(keys.getInt("flags.calledCacheSize"));
	return o;
}

FlagsOptions FlagsOptions::fromClientOptions(const ClientOptions& options)
{
	FlagsOptions o;
	o.personalApiKey = options.personalApiKey;
	o.pollInterval = options.flagsPollInterval;
	o.requestTimeout = options.flagsRequestTimeout;
	o.retries = options.flagsRetries;
	o.sharedCache = options.flagsSharedCache;
	o.definitionsFile = options.flagsDefinitionsFile;
	o.calledCacheSize = options.flagsCalledCacheSize;
	return o;
}

void FlagsOptions::validate(const std::function<void(const std::string&)>& fail) const
{
	// The ranges are the option table's (a struct filled in code is checked like a configuration).
	auto check = [](const std::string& key, Poco::Int64 value)
	{ ConfigMap::checkValue("", ClientKeys::spec(key), std::to_string(value)); };
	try
	{
		check("posthog.flags.pollInterval", pollInterval.totalMilliseconds());
		check("posthog.flags.requestTimeout", requestTimeout.totalMilliseconds());
		check("posthog.flags.retries", retries);
		check("posthog.flags.calledCacheSize", static_cast<Poco::Int64>(calledCacheSize));
	}
	catch (ConfigurationException& e)
	{
		fail(e.message());
	}
}

void FlagsOptions::applyTo(ClientOptions& options) const
{
	options.personalApiKey = personalApiKey;
	options.flagsPollInterval = pollInterval;
	options.flagsRequestTimeout = requestTimeout;
	options.flagsRetries = retries;
	options.flagsSharedCache = sharedCache;
	options.flagsDefinitionsFile = definitionsFile;
	options.flagsCalledCacheSize = calledCacheSize;
}

} // namespace PostHog
