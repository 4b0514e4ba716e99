//
// FlagsApplication.cpp
//

#include "FlagsApplication.h"
#include "ParallelLines.h"
#include "Poco/NumberParser.h"
#include "Poco/Timespan.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/OptionSet.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "ResultLine.h"
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

using Poco::Util::Option;
using Poco::Util::OptionSet;

namespace PostHogFlags
{

namespace
{

Option flagOption(const std::string& name, const std::string& help, const std::string& argument = "")
{
	Option option(name, name == "define" ? "D" : (name == "config" ? "c" : ""), help);
	option.required(false).repeatable(name == "define" || name == "flag");
	if (!argument.empty())
		option.argument(argument);
	return option;
}

bool readContext(std::istream& in, std::size_t& number, ContextLine& line)
/// Reads the next line that is not blank (number counts the lines read, from 1) and parses
/// it into line; a line that does not parse comes back with line.error set. False at the end
/// of the input.
{
	std::string text;
	while (std::getline(in, text))
	{
		++number;
		if (text.find_first_not_of(" \t\r") == std::string::npos)
			continue;
		line = ContextLine::parse(text, number);
		return true;
	}
	return false;
}

void tellParseError(const ContextLine& line)
{
	std::cerr << "posthog-flags: line " << line.number << ": " << line.error << std::endl;
}

constexpr std::size_t kBlockLines = 1024; /// lines read, evaluated (in parallel) and written at a time

} // namespace

FlagsApplication::FlagsApplication() : ToolApplication("posthog-flags") {}

void FlagsApplication::keepFirst(const std::string& error)
{
	if (_usageError.empty())
		_usageError = error;
}

void FlagsApplication::defineOptions(OptionSet& options)
{
	Poco::Util::Application::defineOptions(options);
	options.addOption(flagOption("help", "print this help and exit"));
	options.addOption(
	    flagOption("config", "read settings from FILE (.xml, .properties, .ini or .json)", "FILE"));
	options.addOption(
	    flagOption("api-key", "the project API key (posthog.apiKey; else POSTHOG_API_KEY)", "KEY"));
	options.addOption(flagOption("personal-api-key",
	                             "the personal API key that loads the definitions (posthog.personalApiKey; "
	                             "else POSTHOG_PERSONAL_API_KEY)",
	                             "KEY"));
	options.addOption(flagOption("host", "the PostHog host (posthog.host; else POSTHOG_HOST)", "URL"));
	options.addOption(flagOption(
	    "define", "set a configuration key, e.g. -D posthog.flags.definitionsFile=f.json", "key=value"));
	options.addOption(
	    flagOption("local-only", "never ask PostHog: flags not decidable locally are left out"));
	options.addOption(flagOption("flag", "evaluate only this flag (repeatable)", "KEY"));
	options.addOption(flagOption("explain", "print on stderr how each flag was decided"));
	options.addOption(
	    flagOption("threads", "evaluate up to N lines at once (default 1; --explain uses one)", "N"));
	options.addOption(flagOption("bench-rounds",
	                             "evaluate the input N times, write no output lines, "
	                             "print the throughput on stderr",
	                             "N"));
}

void FlagsApplication::handleOption(const std::string& name, const std::string& value)
{
	Poco::Util::Application::handleOption(name, value);
	if (name == "help")
	{
		_help = true;
		stopOptionsProcessing();
	}
	else if (name == "config")
		keepFirst(loadConfigFile(value));
	else if (name == "api-key")
		config().setString("posthog.apiKey", value);
	else if (name == "personal-api-key")
		config().setString("posthog.personalApiKey", value);
	else if (name == "host")
		config().setString("posthog.host", value);
	else if (name == "define")
		keepFirst(define(value));
	else if (name == "local-only")
		_localOnly = true;
	else if (name == "flag")
		_flagKeys.push_back(value);
	else if (name == "explain")
		_explain = true;
	else if (name == "threads")
	{
		if (!Poco::NumberParser::tryParse(value, _threads) || _threads < 1 || _threads > 256)
			keepFirst("--threads '" + value + "' is not a number from 1 to 256");
	}
	else if (name == "bench-rounds")
	{
		if (!Poco::NumberParser::tryParse(value, _benchRounds) || _benchRounds < 1)
			keepFirst("--bench-rounds '" + value + "' is not a positive number");
	}
}

void FlagsApplication::printHelp() const
{
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
	help.setUsage("[options] [FILE | -]");
	help.setHeader(
	    "Evaluates feature flags for NDJSON evaluation contexts (one a line, from FILE or standard "
	    "input) and writes one JSON line per input line, in order.");
	help.setFooter(
	    "Each line: {\"distinct_id\", \"groups\": {type: key}, \"person_properties\": {...}, "
	    "\"group_properties\": {type: {...}}}. Output: {\"distinct_id\", \"flags\": {key: true | false | "
	    "\"variant\"}, \"payloads\": {key: JSON}}. Sends no events. Exit status: 0 done; 1 a line could not "
	    "be "
	    "read or a remote evaluation it needed failed; 2 usage, configuration or definitions that could not "
	    "be "
	    "loaded.");
	help.setWidth(100);
	help.format(std::cout);
}

int FlagsApplication::fail(const std::string& sentence) const
{
	std::cerr << "posthog-flags: " << sentence << std::endl;
	return ExitUsage;
}

std::unique_ptr<PostHog::Client> FlagsApplication::makeClient(std::string& error)
{
	std::unique_ptr<PostHog::Client> client;
	try
	{
		client = std::make_unique<PostHog::Client>(config());
	}
	catch (const Poco::Exception& e)
	{
		error = e.message().empty() ? e.displayText() : e.message();
		return nullptr;
	}
	const bool local =
	    config().has("posthog.personalApiKey") || config().has("posthog.flags.definitionsFile");
	if (!local && _localOnly)
	{
		error = "--local-only needs definitions: set --personal-api-key (or POSTHOG_PERSONAL_API_KEY) or "
		        "posthog.flags.definitionsFile";
		return nullptr;
	}
	const long timeoutMs = config().getInt("posthog.flags.requestTimeout", 3000) + 7000;
	if (local && !client->waitForLocalEvaluationReady(Poco::Timespan(timeoutMs * 1000L)))
	{
		error = "the feature flag definitions could not be loaded from " +
		        (config().has("posthog.flags.definitionsFile")
		             ? "'" + config().getString("posthog.flags.definitionsFile") + "'"
		             : config().getString("posthog.host", "PostHog"));
		return nullptr;
	}
	return client;
}

void FlagsApplication::prepare(ContextLine& line) const
{
	line.options.onlyEvaluateLocally = _localOnly;
	line.options.sendFeatureFlagEvents = false;
	line.options.flagKeys = _flagKeys;
	if (_explain)
	{
		const std::size_t number = line.number;
		line.options.explain = [number](const std::string& text)
		{ std::cerr << "line " << number << ": " << text << "\n"; };
	}
}

int FlagsApplication::evaluateStream(PostHog::Client& client, std::istream& in)
{
	const ParallelLines parallel(_explain ? 1 : _threads);
	// One thread answers each line before reading the next (a script on the other end of a pipe
	// may wait for the answer); several read a block first.
	const std::size_t block = parallel.threads() > 1 ? kBlockLines : 1;
	int status = ExitOk;
	std::size_t number = 0;
	std::vector<ContextLine> lines;
	std::vector<Evaluated> results;
	for (;;)
	{
		lines.clear();
		ContextLine line;
		while (lines.size() < block && readContext(in, number, line))
		{
			if (line.error.empty())
				prepare(line);
			lines.push_back(std::move(line));
		}
		if (lines.empty())
			break;
		results.assign(lines.size(), Evaluated());
		parallel.forEach(lines.size(), [&](std::size_t i) { results[i] = evaluate(client, lines[i]); });
		for (std::size_t i = 0; i < lines.size(); ++i)
		{
			if (!lines[i].error.empty())
				tellParseError(lines[i]);
			else if (!results[i].error.empty())
				std::cerr << "posthog-flags: line " << lines[i].number
				          << ": remote evaluation failed: " << results[i].error << std::endl;
			if (!lines[i].error.empty() || !results[i].error.empty())
				status = ExitFailed;
			std::cout << results[i].json << "\n";
		}
	}
	std::cout.flush();
	return status;
}

FlagsApplication::Evaluated FlagsApplication::evaluate(PostHog::Client& client, const ContextLine& line) const
{
	Evaluated result;
	if (!line.error.empty())
	{
		result.json = ResultLine::failure(line.number, line.error);
		return result;
	}
	const PostHog::FeatureFlagEvaluations flags = client.evaluateFlags(line.distinctId, line.options);
	if (!_localOnly)
		result.error = flags.error();
	result.json = ResultLine::of(flags, result.error);
	return result;
}

int FlagsApplication::bench(PostHog::Client& client, std::istream& in)
{
	std::vector<ContextLine> lines;
	int status = ExitOk;
	std::size_t number = 0;
	ContextLine parsed;
	while (readContext(in, number, parsed))
	{
		if (!parsed.error.empty())
		{
			tellParseError(parsed);
			status = ExitFailed;
			continue;
		}
		prepare(parsed);
		lines.push_back(std::move(parsed));
	}
	const ParallelLines parallel(_explain ? 1 : _threads);
	std::atomic<std::size_t> evaluated{0};
	const std::clock_t cpuStart = std::clock();
	const auto start = std::chrono::steady_clock::now();
	for (int round = 0; round < _benchRounds; ++round)
	{
		parallel.forEach(lines.size(),
		                 [&](std::size_t i)
		                 {
			                 const std::size_t n =
			                     client.evaluateFlags(lines[i].distinctId, lines[i].options).size();
			                 evaluated.fetch_add(n, std::memory_order_relaxed);
		                 });
	}
	const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
	const double requests = static_cast<double>(lines.size()) * _benchRounds;
	std::cerr << "{\"requests\": " << static_cast<long long>(requests) << ", \"seconds\": " << seconds
	          << ", \"requests_per_s\": " << (seconds > 0 ? requests / seconds : 0)
	          << ", \"cpu_seconds\": " << cpuSeconds << ", \"threads\": " << parallel.threads()
	          << ", \"flags\": " << evaluated.load() << "}" << std::endl;
	return status;
}

int FlagsApplication::main(const ArgVec& args)
{
	if (_help)
	{
		printHelp();
		return ExitOk;
	}
	if (!_usageError.empty())
		return fail(_usageError + " (see posthog-flags --help)");
	if (args.size() > 1)
		return fail("give at most one input FILE (or - for standard input)");
	applyEnvironment({{"posthog.apiKey", "POSTHOG_API_KEY"},
	                  {"posthog.personalApiKey", "POSTHOG_PERSONAL_API_KEY"},
	                  {"posthog.host", "POSTHOG_HOST"}});
	if (config().getString("posthog.apiKey", "").empty())
		return fail("no project API key: use --api-key, posthog.apiKey or POSTHOG_API_KEY");
	std::ifstream file;
	if (!args.empty() && args[0] != "-")
	{
		file.open(args[0]);
		if (!file)
			return fail("cannot read input file '" + args[0] + "'");
	}
	std::istream& in = file.is_open() ? static_cast<std::istream&>(file) : std::cin;
	std::string error;
	std::unique_ptr<PostHog::Client> client = makeClient(error);
	if (!client)
		return fail(error);
	const int status = _benchRounds > 0 ? bench(*client, in) : evaluateStream(*client, in);
	client->shutdown();
	return status;
}

} // namespace PostHogFlags
