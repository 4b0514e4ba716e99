//
// SendApplication.cpp
//

#include "SendApplication.h"
#include "DryRunStage.h"
#include "ExplainObserver.h"
#include "NdjsonReader.h"
#include "PluginCatalog.h"
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
#include "PostHog/ClientKeys.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Pipeline.h"
#include "ProgressLine.h"
#include "SendOptions.h"
#include "SendSummary.h"
#include <iostream>
#include <set>

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

} // namespace

SendApplication::SendApplication() : ToolApplication("posthog-send")
{
	// Lowest precedence: what posthog-send changes from the library's defaults.
	Poco::AutoPtr<Poco::Util::MapConfiguration> defaults = new Poco::Util::MapConfiguration;
	defaults->setString("posthog.queue.overflow", "block");
	config().add(defaults, 1000, false);
}

void SendApplication::defineOptions(OptionSet& options)
{
	Poco::Util::Application::defineOptions(options);
	_flags.define(options);
}

void SendApplication::handleOption(const std::string& name, const std::string& value)
{
	Poco::Util::Application::handleOption(name, value);
	if (!_flags.handle(*this, name, value))
		stopOptionsProcessing();
}

void SendApplication::printVersion() const
{
	std::cout << "posthog-send " << POSTHOG_VERSION_STRING << " (posthog-cpp library "
	          << PostHog::libraryVersion() << ", middleware interface " << POSTHOG_MIDDLEWARE_ABI_VERSION
	          << ", Poco " << versionOf(Poco::Environment::libraryVersion()) << ")\n";
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
	bool insecure = PostHog::ClientKeys::read(config(), "posthog.pipeline").getBool("allowInsecurePlugins");
	PluginList::print(std::cout, directories, PostHog::PluginCatalog::scan(directories, insecure));
	return ExitOk;
}

int SendApplication::main(const ArgVec& args)
{
	if (_flags.help)
	{
		SendOptions::printHelp(options(), commandName());
		return ExitOk;
	}
	if (!_flags.usageError.empty())
	{
		printError("posthog-send: " + _flags.usageError);
		return ExitUsage;
	}
	if (_flags.version)
	{
		printVersion();
		return ExitOk;
	}
	if (_flags.listOptions)
	{
		PluginList::printKeys(std::cout);
		return ExitOk;
	}
	try
	{
		applyEnvironment({{"posthog.apiKey", "POSTHOG_API_KEY"}, {"posthog.host", "POSTHOG_HOST"}});
		if (_flags.listPlugins)
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
	bool keyless = _flags.dryRun && config().getString("posthog.apiKey", "").empty();
	if (keyless)
		config().setString("posthog.apiKey", "phc_dry_run_without_key");
	PostHog::ClientOptions options = PostHog::ClientOptions::fromConfiguration(config());
	options.onError = [this](const PostHog::ClientError& e) { onClientError(e); };

	DryRunStage* dryRun = nullptr; // owned by the client's pipeline
	if (_flags.dryRun)
	{
		std::string masked = DryRunStage::maskKey(keyless ? std::string() : options.apiKey);
		options.syncMode = true; // the pipeline runs on this thread, in line order
		dryRun = new DryRunStage(std::cout, masked, options.batchSize, options.geoip);
		options.middleware.add(DryRunStage::kStageName, PostHog::Middleware::Ptr(dryRun));
	}
	PostHog::Client client(options); // throws ConfigurationException / PluginException: exit 2

	std::unique_ptr<ExplainObserver> explain = watch(client);
	bool enabled = client.isEnabled();
	if (!enabled)
		printError("posthog-send: posthog.enabled is false: the lines are checked, nothing is sent");

	readInputs(inputs, client, reader, explain.get(), enabled);
	if (dryRun)
		dryRun->finish();

	client.shutdown();
	client.pipeline().setObserver(nullptr);
	PostHog::ClientStatistics stats = client.statistics();

	SendSummary summary(stats, DryRunStage::kStageName);
	printError(summary.line(_counts.read, _counts.malformed + _counts.rejected, _flags.dryRun,
	                        dryRun ? dryRun->batches() : 0));
	std::size_t invalid = _counts.malformed + _counts.rejected + summary.invalidByStage;
	std::size_t lost = summary.lost;
	if (invalid > 0 || (!_flags.dryRun && lost > 0))
		return ExitFailed;
	return ExitOk;
}

std::unique_ptr<ExplainObserver> SendApplication::watch(PostHog::Client& client)
{
	// The observer explains every stage (--explain), or else reports what a validation stage
	// drops, with the line it came from.
	std::set<std::string> validating;
	for (const auto& stage : client.pipeline().statistics())
	{
		if (SendSummary::isValidation(stage))
			validating.insert(stage.name);
	}
	std::unique_ptr<ExplainObserver> explain;
	if (_flags.explain || !validating.empty())
	{
		explain.reset(new ExplainObserver(std::cout, client.pipeline().stageNames(), validating,
		                                  DryRunStage::kStageName, _flags.dryRun, _flags.explain,
		                                  [this](const std::string& text) { printError(text); }));
		client.pipeline().setObserver(explain.get());
	}
	return explain;
}

void SendApplication::readInputs(const std::vector<std::string>& inputs, PostHog::Client& client,
                                 const PostHog::NdjsonReader& reader, ExplainObserver* explain, bool enabled)
{
	_progress.reset(new ProgressLine(std::cerr, ProgressLine::stderrIsTerminal()));
	if (inputs.empty())
	{
		readInput(std::cin, std::string(), client, reader, explain, enabled);
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
				readInput(std::cin, std::string(), client, reader, explain, enabled);
				continue;
			}
			Poco::FileInputStream in(path);
			readInput(in, path + ": ", client, reader, explain, enabled);
		}
	}
	{
		Poco::FastMutex::ScopedLock lock(_stderrMutex);
		_progress->clear();
	}
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
