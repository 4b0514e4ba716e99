//
// ExceptionOptions.cpp
//

#include "errors/ExceptionOptions.h"
#include "Poco/Environment.h"
#include "Poco/Path.h"
#include "PostHog/ClientKeys.h"
#include <unistd.h>

namespace PostHog
{

const OptionTable& ExceptionOptions::table()
{
	static const OptionTable options = {
	    {"autocapture", OptionSpec::Bool, "false",
	     "capture uncaught exceptions, exceptions escaping Poco threads and fatal signals"},
	    {"crashDir", OptionSpec::String, "",
	     "directory for crash records (default: <spool>/crashes, else ~/.cache/posthog-cpp/crashes)"},
	    {"rateLimit", OptionSpec::Int, "10", "$exception events per exception type per minute (0: no limit)",
	     0, 1000000},
	    {"contextLines", OptionSpec::Int, "5",
	     "source lines sent on each side of a frame's line, when its file is readable (0: none)", 0, 10},
	};
	return options;
}

ExceptionOptions ExceptionOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigMap keys = ClientKeys::read(config, "posthog.exceptions");
	ExceptionOptions o;
	o.autocapture = keys.getBool("autocapture");
	o.crashDir = keys.getString("crashDir");
	o.rateLimit = static_cast<int>(keys.getInt("rateLimit"));
	o.contextLines = static_cast<int>(keys.getInt("contextLines"));
	return o;
}

void ExceptionOptions::applyTo(ClientOptions& options) const
{
	options.exceptionAutocapture = autocapture;
	options.exceptionCrashDir = crashDir;
	options.exceptionRateLimit = rateLimit;
	options.exceptionContextLines = contextLines;
}

std::string ExceptionOptions::resolveCrashDir(const ClientOptions& options)
{
	if (!options.exceptionCrashDir.empty())
		return options.exceptionCrashDir;
	if (!options.spoolPath.empty())
		return Poco::Path(options.spoolPath).makeDirectory().pushDirectory("crashes").toString();
	std::string cache = Poco::Environment::get("XDG_CACHE_HOME", "");
	if (cache.empty())
	{
		std::string home = Poco::Environment::get("HOME", "");
		if (!home.empty())
			cache = Poco::Path(home).makeDirectory().pushDirectory(".cache").toString();
	}
	if (cache.empty())
		return "/tmp/posthog-cpp-" + std::to_string(::getuid()) + "/crashes/";
	return Poco::Path(cache).makeDirectory().pushDirectory("posthog-cpp").pushDirectory("crashes").toString();
}

} // namespace PostHog
