//
// ToolApplication.cpp
//

#include "ToolApplication.h"
#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "Poco/Util/OptionException.h"
#include <iostream>

namespace PostHog
{

ToolApplication::ToolApplication(const std::string& command) : _command(command)
{
	setUnixOptions(true);
}

int ToolApplication::exitCode(int applicationResult)
{
	switch (applicationResult)
	{
	case ExitOk:
	case ExitFailed:
	case ExitUsage:
		return applicationResult;
	case EXIT_USAGE:
	case EXIT_CONFIG:
		return ExitUsage;
	default:
		return ExitFailed;
	}
}

std::string ToolApplication::usageError(const Poco::Exception& e)
{
	std::string what = e.message();
	if (dynamic_cast<const Poco::Util::UnknownOptionException*>(&e))
		return "unknown option '" + what + "'";
	if (dynamic_cast<const Poco::Util::MissingArgumentException*>(&e))
	{
		// Poco says "config requires FILE".
		std::string::size_type at = what.find(" requires ");
		if (at != std::string::npos)
			return "option --" + what.substr(0, at) + " needs a value (" + what.substr(at + 10) + ")";
		return "an option needs a value (" + what + ")";
	}
	if (dynamic_cast<const Poco::Util::DuplicateOptionException*>(&e))
		return "option '" + what + "' may be given only once";
	if (dynamic_cast<const Poco::Util::UnexpectedArgumentException*>(&e))
		return "option '" + what + "' takes no value";
	if (dynamic_cast<const Poco::Util::AmbiguousOptionException*>(&e))
		return "option '" + what + "' is ambiguous";
	return what.empty() ? e.displayText() : what;
}

int ToolApplication::runMain(Poco::AutoPtr<ToolApplication> app, int argc, char** argv)
{
	try
	{
		app->init(argc, argv);
	}
	catch (Poco::Exception& e)
	{
		std::cerr << app->command() << ": " << usageError(e) << " (see " << app->command() << " --help)"
		          << std::endl;
		return ExitUsage;
	}
	return exitCode(app->run());
}

std::string ToolApplication::loadConfigFile(const std::string& path)
{
	const std::string prefix = "cannot read configuration file '" + path + "': ";
	try
	{
		if (!Poco::File(path).exists())
			return prefix + "no such file";
		std::string extension = Poco::toLower(Poco::Path(path).getExtension());
		if (extension != "xml" && extension != "properties" && extension != "ini" && extension != "json")
			return "configuration file '" + path +
			       "' has an unknown type (use .xml, .properties, .ini or .json)";
		loadConfiguration(path);
		return std::string();
	}
	catch (Poco::Exception& e)
	{
		return prefix + e.displayText();
	}
	catch (std::exception& e)
	{
		return prefix + e.what();
	}
}

std::string ToolApplication::define(const std::string& assignment)
{
	std::string::size_type eq = assignment.find('=');
	if (eq == std::string::npos || eq == 0)
		return "--define '" + assignment + "' is not key=value";
	config().setString(assignment.substr(0, eq), assignment.substr(eq + 1));
	return std::string();
}

void ToolApplication::applyEnvironment(
    const std::vector<std::pair<std::string, std::string>>& keysAndVariables)
{
	for (const auto& [key, variable] : keysAndVariables)
	{
		std::string value = Poco::Environment::get(variable, "");
		if (!config().has(key) && !value.empty())
			config().setString(key, value);
	}
}

void ToolApplication::initialize(Poco::Util::Application& self)
{
	Poco::Util::Application::initialize(self);
	// The library logs what it reports to the error callback as well; the tools print those
	// reports themselves, once. -D logging.loggers.* can still route the logger.
	if (!config().has("logging.loggers"))
		Poco::Logger::get("PostHog").setLevel(Poco::Message::PRIO_FATAL);
}

} // namespace PostHog
