//
// SendApplication.cpp
//

#include "SendApplication.h"
#include "DeliverySummary.h"
#include "DryRunStage.h"
#include "ExplainObserver.h"
#include "PluginList.h"
#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionException.h"
#include "Poco/Util/OptionSet.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "NdjsonReader.h"
#include "PostHog/Pipeline.h"
#include "PluginCatalog.h"
#include "ProgressLine.h"
#include <iostream>

using Poco::Util::Option;
using Poco::Util::OptionSet;

namespace PostHogSend
{

namespace
{

std::string versionOf(Poco::UInt32 v)
{
	return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xff) + "." +
	       std::to_string((v >> 8) & 0xff);
}

std::string plural(std::size_t n, const char* one, const char* many)
{
	return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

SendApplication::SendApplication()
{
	setUnixOptions(true);
	// Lowest precedence: what posthog-send changes from the library's defaults.
	Poco::AutoPtr<Poco::Util::MapConfiguration> defaults = new Poco::Util::MapConfiguration;
	defaults->setString("posthog.queue.overflow", "block");
	config().add(defaults, 1000, false);
}

int SendApplication::exitCode(int applicationResult)
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

std::string SendApplication::usageError(const Poco::Exception& e)
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
	return e.displayText();
}

void SendApplication::initialize(Poco::Util::Application& self)
{
	Poco::Util::Application::initialize(self);
	// The library logs what it reports to the error callback as well; posthog-send prints the
	// callback's reports itself, once. -D logging.loggers.* can still route the logger.
	if (!config().has("logging.loggers"))
		Poco::Logger::get("PostHog").setLevel(Poco::Message::PRIO_FATAL);
}

void SendApplication::defineOptions(OptionSet& options)
{
	Poco::Util::Application::defineOptions(options);
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
}

void SendApplication::handleOption(const std::string& name, const std::string& value)
{
	Poco::Util::Application::handleOption(name, value);
	if (name == "help")
	{
		_help = true;
		stopOptionsProcessing();
	}
	else if (name == "version")
	{
		_version = true;
	}
	else if (name == "config")
	{
		try
		{
			Poco::File file(value);
			if (!file.exists())
				throw Poco::FileNotFoundException("no such file");
			std::string extension = Poco::toLower(Poco::Path(value).getExtension());
			if (extension != "xml" && extension != "properties" && extension != "ini" && extension != "json")
				_usageError = "configuration file '" + value +
				              "' has an unknown type (use .xml, .properties, .ini or .json)";
			else
				loadConfiguration(value);
		}
		catch (Poco::FileNotFoundException&)
		{
			_usageError = "cannot read configuration file '" + value + "': no such file";
		}
		catch (Poco::Exception& e)
		{
			_usageError = "cannot read configuration file '" + value + "': " + e.displayText();
		}
		catch (std::exception& e)
		{
			_usageError = "cannot read configuration file '" + value + "': " + e.what();
		}
	}
	else if (name == "api-key")
	{
		config().setString("posthog.apiKey", value);
	}
	else if (name == "host")
	{
		config().setString("posthog.host", value);
	}
	else if (name == "define")
	{
		std::string::size_type eq = value.find('=');
		if (eq == std::string::npos || eq == 0)
			_usageError = "--define '" + value + "' is not key=value";
		else
			config().setString(value.substr(0, eq), value.substr(eq + 1));
	}
	else if (name == "dry-run")
	{
		_dryRun = true;
	}
	else if (name == "explain")
	{
		_explain = true;
	}
	else if (name == "list-plugins")
	{
		_listPlugins = true;
	}
}

void SendApplication::printHelp() const
{
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
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

void SendApplication::printVersion() const
{
	std::cout << "posthog-send " << POSTHOG_VERSION_STRING << " (posthog-cpp library "
	          << PostHog::libraryVersion() << ", middleware interface " << POSTHOG_MIDDLEWARE_ABI_VERSION
	          << ", Poco " << versionOf(Poco::Environment::libraryVersion()) << ")\n";
}

void SendApplication::applyEnvironment()
{
	if (!config().has("posthog.apiKey"))
	{
		std::string key = Poco::Environment::get("POSTHOG_API_KEY", "");
		if (!key.empty())
			config().setString("posthog.apiKey", key);
	}
	if (!config().has("posthog.host"))
	{
		std::string host = Poco::Environment::get("POSTHOG_HOST", "");
		if (!host.empty())
			config().setString("posthog.host", host);
	}
}

void SendApplication::printError(const std::string& text)
{
	Poco::FastMutex::ScopedLock lock(_stderrMutex);
	if (_progress)
		_progress->clear();
	std::cerr << text << std::endl;
}

void SendApplication::onClientError(const PostHog::ClientError& error)
{
	switch (error.kind)
	{
	case PostHog::ClientError::InvalidInput:
		// Reported on the reading thread, during the call for _location.
		_rejectedNow = true;
		printError(_location + ": " + error.message);
		break;
	case PostHog::ClientError::StageError:
	case PostHog::ClientError::Warning:
		printError("posthog-send: warning: " + error.message);
		break;
	default:
		printError("posthog-send: error: " + error.message);
		break;
	}
}

int SendApplication::listPlugins()
{
	auto directories = PostHog::PluginCatalog::directories(config());
	bool insecure = config().getBool("posthog.pipeline.allowInsecurePlugins", false);
	PluginList::print(std::cout, directories, PostHog::PluginCatalog::scan(directories, insecure));
	return ExitOk;
}

int SendApplication::main(const ArgVec& args)
{
	if (_help)
	{
		printHelp();
		return ExitOk;
	}
	if (!_usageError.empty())
	{
		printError("posthog-send: " + _usageError);
		return ExitUsage;
	}
	if (_version)
	{
		printVersion();
		return ExitOk;
	}
	try
	{
		applyEnvironment();
		if (_listPlugins)
			return listPlugins();
		std::vector<std::string> inputs(args.begin(), args.end());
		for (const auto& path : inputs)
		{
			if (path == "-")
				continue;
			Poco::File file(path);
			if (!file.exists())
				throw Poco::Util::InvalidArgumentException("cannot read input file '" + path +
				                                           "': no such file");
			if (!file.isFile() || !file.canRead())
				throw Poco::Util::InvalidArgumentException("cannot read input file '" + path +
				                                           "': not a readable file");
		}
		return send(inputs);
	}
	catch (Poco::Exception& e)
	{
		// Configuration (ConfigurationException, PluginException) and usage errors: one sentence.
		printError("posthog-send: " + e.message());
		return ExitUsage;
	}
	catch (std::exception& e)
	{
		printError(std::string("posthog-send: ") + e.what());
		return ExitFailed;
	}
}

int SendApplication::send(const std::vector<std::string>& inputs)
{
	PostHog::NdjsonReader reader(PostHog::NdjsonReader::Limits::fromConfiguration(config()));
	// A dry run needs no key; the client does, so it gets a stand-in that is never printed.
	bool keyless = _dryRun && config().getString("posthog.apiKey", "").empty();
	if (keyless)
		config().setString("posthog.apiKey", "phc_dry_run_without_key");
	PostHog::ClientOptions options = PostHog::ClientOptions::fromConfiguration(config());
	options.onError = [this](const PostHog::ClientError& e) { onClientError(e); };

	DryRunStage* dryRun = nullptr; // owned by the client's pipeline
	if (_dryRun)
	{
		std::string masked = DryRunStage::maskKey(keyless ? std::string() : options.apiKey);
		options.syncMode = true; // the pipeline runs on this thread, in line order
		dryRun = new DryRunStage(std::cout, masked, options.batchSize, options.geoip);
		options.middleware.add(DryRunStage::kStageName, PostHog::Middleware::Ptr(dryRun));
	}
	PostHog::Client client(options); // throws ConfigurationException / PluginException: exit 2

	// The observer explains every stage (--explain), or else reports what a validation stage
	// drops, with the line it came from.
	std::map<std::string, std::string> kinds;
	bool validating = false;
	for (const auto& stage : client.pipeline().statistics())
	{
		kinds[stage.name] = stage.kind;
		validating = validating || stage.kind == "validation";
	}
	std::unique_ptr<ExplainObserver> explain;
	if (_explain || validating)
	{
		explain.reset(new ExplainObserver(std::cout, client.pipeline().stageNames(), kinds,
		                                  DryRunStage::kStageName, _dryRun, _explain,
		                                  [this](const std::string& text) { printError(text); }));
		client.pipeline().setObserver(explain.get());
	}
	bool enabled = client.isEnabled();
	if (!enabled)
		printError("posthog-send: posthog.enabled is false: the lines are checked, nothing is sent");

	_progress.reset(new ProgressLine(std::cerr, ProgressLine::stderrIsTerminal()));
	if (inputs.empty())
	{
		readInput(std::cin, std::string(), client, reader, explain.get(), enabled);
	}
	else
	{
		Poco::UInt64 total = 0;
		for (const auto& path : inputs)
			total += path == "-" ? 0 : Poco::File(path).getSize();
		_progress->setTotal(total);
		for (const auto& path : inputs)
		{
			if (path == "-")
			{
				readInput(std::cin, std::string(), client, reader, explain.get(), enabled);
				continue;
			}
			Poco::FileInputStream in(path);
			readInput(in, path + ": ", client, reader, explain.get(), enabled);
		}
	}
	{
		Poco::FastMutex::ScopedLock lock(_stderrMutex);
		_progress->clear();
	}
	if (dryRun)
		dryRun->finish();

	client.shutdown();
	client.pipeline().setObserver(nullptr);
	PostHog::ClientStatistics stats = client.statistics();

	// Stage drops: a validation stage's are invalid input; the others (sampling, ...) deliberate.
	std::size_t invalidByStage = 0, dropped = 0, wouldSend = 0;
	std::string dropDetail;
	for (const auto& stage : stats.stages)
	{
		if (stage.name == DryRunStage::kStageName)
		{
			wouldSend = static_cast<std::size_t>(stage.dropped);
			continue;
		}
		if (!stage.dropped)
			continue;
		if (stage.kind == "validation")
		{
			invalidByStage += static_cast<std::size_t>(stage.dropped);
			continue;
		}
		dropped += static_cast<std::size_t>(stage.dropped);
		dropDetail += (dropDetail.empty() ? "" : ", ") + stage.name + " " + std::to_string(stage.dropped);
	}
	std::size_t invalid = _counts.malformed + _counts.rejected + invalidByStage;
	PostHog::DeliverySummary delivery(_counts.read, invalid, dropped, stats);
	std::size_t lost = static_cast<std::size_t>(delivery.failed());

	std::string summary = "posthog-send: ";
	if (_dryRun)
		summary += "dry run: ";
	if (_dryRun)
	{
		summary += "read " + std::to_string(_counts.read) + ", invalid " + std::to_string(invalid) +
		           ", dropped by the pipeline " + std::to_string(dropped);
		if (!dropDetail.empty())
			summary += " (" + dropDetail + ")";
		summary += ", would send " + std::to_string(wouldSend) + " in " +
		           plural(dryRun->batches(), "batch", "batches") + "; nothing was sent";
	}
	else
		summary += delivery.text(dropDetail);
	printError(summary);

	if (invalid > 0 || (!_dryRun && lost > 0))
		return ExitFailed;
	return ExitOk;
}

void SendApplication::readInput(std::istream& in, const std::string& prefix, PostHog::Client& client,
                                const PostHog::NdjsonReader& reader, ExplainObserver* explain, bool send)
{
	std::string line;
	std::size_t number = 0;
	for (;;)
	{
		PostHog::NdjsonReader::LineStatus status = reader.readLine(in, line);
		if (status == PostHog::NdjsonReader::End)
			break;
		++number;
		_bytes += line.size() + 1;
		if (number == 1 && line.compare(0, 3, "\xef\xbb\xbf") == 0)
			line.erase(0, 3); // a UTF-8 byte order mark, as some Windows tools write

		_progress->update(_counts.read, _bytes);
		if (status == PostHog::NdjsonReader::Line && PostHog::NdjsonReader::isBlank(line))
			continue;
		++_counts.read;
		if (status == PostHog::NdjsonReader::TooLong)
		{
			++_counts.malformed;
			printError(prefix + reader.tooLongMessage(number));
			continue;
		}
		PostHog::NdjsonReader::Record record;
		try
		{
			record = reader.parse(line, number);
		}
		catch (PostHog::InvalidMessageException& e)
		{
			++_counts.malformed;
			printError(prefix + e.message());
			continue;
		}
		if (!send)
			continue;
		_location = prefix + "line " + std::to_string(number);
		_rejectedNow = false;
		if (explain)
			explain->expect(_location);
		if (!PostHog::NdjsonReader::send(client, std::move(record)))
		{
			// Refused by the Client: counted here when it said why (InvalidInput); otherwise it
			// was dropped (a full queue with overflow = drop) and the client counts it.
			if (_rejectedNow)
				++_counts.rejected;
			if (explain)
				explain->cancel();
		}
	}
}

} // namespace PostHogSend
