//
// FlagsOptions.cpp
//

#include "flags/FlagsOptions.h"
#include "config/ConfigReader.h"

namespace PostHog
{

const OptionTable& FlagsOptions::table()
{
	static const OptionTable table = {
	    {"personalApiKey", OptionSpec::String, "",
	     "personal API key (feature flags read): enables local evaluation of feature flags"},
	    {"flags.pollInterval", OptionSpec::Int, "30000", "ms between two fetches of the flag definitions",
	     1000, 24 * 3600 * 1000},
	    {"flags.requestTimeout", OptionSpec::Int, "3000", "ms a remote flag evaluation request may take", 1,
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
	ConfigReader r(config);
	FlagsOptions o;
	o.personalApiKey = r.getString("posthog.personalApiKey", o.personalApiKey);
	o.pollInterval = r.getMilliseconds("posthog.flags.pollInterval", o.pollInterval, 1000, 24 * 3600 * 1000);
	o.requestTimeout = r.getMilliseconds("posthog.flags.requestTimeout", o.requestTimeout, 1, 600 * 1000);
	o.retries = static_cast<int>(r.getInt("posthog.flags.retries", o.retries, 0, 10));
	o.sharedCache = r.getString("posthog.flags.sharedCache", o.sharedCache);
	o.definitionsFile = r.getString("posthog.flags.definitionsFile", o.definitionsFile);
	o.calledCacheSize = static_cast<std::size_t>(
	    r.getInt("posthog.flags.calledCacheSize", static_cast<Poco::Int64>(o.calledCacheSize), 0, 100000000));
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
