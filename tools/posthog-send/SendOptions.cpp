//
// SendOptions.cpp
//

#include "SendOptions.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionSet.h"
#include "ToolApplication.h"
#include <iostream>

using Poco::Util::Option;
using Poco::Util::OptionSet;

namespace PostHogSend
{

void SendOptions::keepFirst(const std::string& error)
{
	if (usageError.empty())
		usageError = error;
}

void SendOptions::define(OptionSet& options) const
{
	options.addOption(Option("help", "h", "print this help and exit").required(false).repeatable(false));
	options.addOption(
	    Option("version", "", "print the versions of posthog-send, the library and Poco, and exit")
	        .required(false)
	        .repeatable(false));
	options.addOption(Option("config", "c", "read settings from FILE (.xml, .properties, .ini or .json)")
	                      .required(false)
	                      .repeatable(false)
	                      .argument("FILE"));
	options.addOption(Option("api-key", "", "the project API key (posthog.apiKey; else POSTHOG_API_KEY)")
	                      .required(false)
	                      .repeatable(false)
	                      .argument("KEY"));
	options.addOption(
	    Option("host", "",
	           "the PostHog host, e.g. https://eu.i.posthog.com (posthog.host; else POSTHOG_HOST)")
	        .required(false)
	        .repeatable(false)
	        .argument("URL"));
	options.addOption(
	    Option("define", "D", "set a configuration key, e.g. -D posthog.batch.size=50; overrides --config")
	        .required(false)
	        .repeatable(true)
	        .argument("key=value"));
	options.addOption(Option("dry-run", "n",
	                         "run the pipeline and print the request bodies that would be sent; send nothing")
	                      .required(false)
	                      .repeatable(false));
	options.addOption(Option("explain", "", "print what each pipeline stage did to each message")
	                      .required(false)
	                      .repeatable(false));
	options.addOption(
	    Option("list-plugins", "", "list every loadable pipeline stage with its options, and exit")
	        .required(false)
	        .repeatable(false));
	options.addOption(
	    Option("list-options", "",
	           "list every posthog.* configuration key with type, default and meaning, and exit")
	        .required(false)
	        .repeatable(false));
}

bool SendOptions::handle(PostHog::ToolApplication& app, const std::string& name, const std::string& value)
{
	if (name == "help")
	{
		help = true;
		return false;
	}
	else if (name == "version")
	{
		version = true;
	}
	else if (name == "config")
	{
		keepFirst(app.loadConfigFile(value));
	}
	else if (name == "api-key")
	{
		app.config().setString("posthog.apiKey", value);
	}
	else if (name == "host")
	{
		app.config().setString("posthog.host", value);
	}
	else if (name == "define")
	{
		keepFirst(app.define(value));
	}
	else if (name == "dry-run")
	{
		dryRun = true;
	}
	else if (name == "explain")
	{
		explain = true;
	}
	else if (name == "list-plugins")
	{
		listPlugins = true;
	}
	else if (name == "list-options")
	{
		listOptions = true;
	}
	return true;
}

void SendOptions::printHelp(const OptionSet& options, const std::string& command)
{
	Poco::Util::HelpFormatter help(options);
	help.setCommand(command);
	help.setUsage("[options] [FILE...]");
	help.setHeader(
	    "Sends NDJSON messages (one JSON object a line) from the FILEs, or from standard input when none "
	    "is given, through the configured pipeline to PostHog.");
	help.setFooter("Each line: {\"type\": \"capture\" (default) | \"identify\" | \"alias\" | "
	               "\"groupidentify\" | \"pageview\", "
	               "\"distinct_id\", \"event\", \"properties\", \"timestamp\" (ISO 8601 with an offset), "
	               "\"uuid\", \"groups\", "
	               "\"set\", \"set_once\", \"alias\", \"group_type\", \"group_key\", \"url\"}. Settings come "
	               "from --config, "
	               "overridden by --api-key, --host and -D; POSTHOG_API_KEY and POSTHOG_HOST apply when "
	               "neither sets them. "
	               "Exit status: 0 every message delivered or dropped on purpose by a stage; 1 a line was "
	               "malformed or invalid, "
	               "or a message was not delivered; 2 usage or configuration error.");
	help.setWidth(100);
	help.format(std::cout);
}

} // namespace PostHogSend
