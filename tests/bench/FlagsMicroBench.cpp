//
// FlagsMicroBench.cpp
//
// posthog-flags-microbench: the cost of local feature flag evaluation, on one thread.
//
//     posthog-flags-microbench [--rounds R] [--flags N] [--contexts C]
//     posthog-flags-microbench --write-definitions FILE --write-contexts FILE [--flags N] [--contexts C]
//
// Two figures, each the median over R rounds in thread CPU time: one evaluation of a flag with
// three property filters (exact list, icontains, gt) and a 50% rollout; and every flag of an
// N-flag project (default 80) for each of C contexts (default 2,000), per context and per flag.
// The second form writes those definitions and contexts (NDJSON) for scripts/bench-flags.sh.
//

#include "FlagsBenchData.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalEvaluator.h"
#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <vector>

using namespace PostHog;

namespace
{

double threadSeconds()
{
	timespec now{};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

EvaluationContext contextOf(const std::string& line)
{
	Poco::JSON::Parser parser;
	const Poco::JSON::Object::Ptr object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
	EvaluationContext context;
	context.distinctId = object->getValue<std::string>("distinct_id");
	context.personProperties = Properties::fromVar(object->get("person_properties"));
	context.personProperties.set("distinct_id", context.distinctId);
	const Poco::JSON::Object::Ptr groups = object->getObject("groups");
	const Poco::JSON::Object::Ptr groupProperties = object->getObject("group_properties");
	for (const std::string& type : groups->getNames())
	{
		context.groups[type] = groups->getValue<std::string>(type);
		Properties properties = groupProperties && groupProperties->has(type)
		                            ? Properties::fromVar(groupProperties->get(type))
		                            : Properties();
		properties.set("$group_key", context.groups[type]);
		context.groupProperties[type] = properties;
	}
	return context;
}

double median(std::vector<double> values)
{
	std::sort(values.begin(), values.end());
	return values[values.size() / 2];
}

int argument(int argc, char** argv, const char* name, int fallback)
{
	for (int i = 1; i + 1 < argc; ++i)
	{
		if (std::strcmp(argv[i], name) == 0)
			return std::atoi(argv[i + 1]);
	}
	return fallback;
}

const char* text(int argc, char** argv, const char* name)
{
	for (int i = 1; i + 1 < argc; ++i)
	{
		if (std::strcmp(argv[i], name) == 0)
			return argv[i + 1];
	}
	return nullptr;
}

} // namespace

int main(int argc, char** argv)
{
	const int rounds = std::max(1, argument(argc, argv, "--rounds", 5));
	const int flagCount = std::max(2, argument(argc, argv, "--flags", 80));
	const int contextCount = std::max(1, argument(argc, argv, "--contexts", 2000));
	if (const char* path = text(argc, argv, "--write-definitions"))
		std::ofstream(path) << PostHogBench::benchDefinitions(flagCount) << "\n";
	if (const char* path = text(argc, argv, "--write-contexts"))
	{
		std::ofstream out(path);
		for (int i = 0; i < contextCount; ++i)
			out << PostHogBench::benchContext(i) << "\n";
	}
	if (text(argc, argv, "--write-definitions") || text(argc, argv, "--write-contexts"))
		return 0;

	std::vector<EvaluationContext> contexts;
	for (int i = 0; i < contextCount; ++i)
		contexts.push_back(contextOf(PostHogBench::benchContext(i)));
	const LocalEvaluator evaluator;

	const auto three = FlagDefinitions::parse(PostHogBench::threeFilterDefinitions());
	const std::string key = "three-filters";
	std::vector<double> oneFlag;
	long enabled = 0;
	for (int round = 0; round < rounds; ++round)
	{
		const double start = threadSeconds();
		for (int repeat = 0; repeat < 50; ++repeat)
		{
			for (const EvaluationContext& context : contexts)
				enabled += evaluator.evaluate(*three, key, context).value.isEnabled();
		}
		oneFlag.push_back((threadSeconds() - start) / (50.0 * static_cast<double>(contexts.size())));
	}

	const auto definitions = FlagDefinitions::parse(PostHogBench::benchDefinitions(flagCount));
	// The compact answers, as Client::evaluateFlags and posthog-flags evaluate every flag.
	std::vector<LocalAnswer> answers;
	std::vector<double> perContext;
	long decided = 0;
	for (int round = 0; round < rounds; ++round)
	{
		const double start = threadSeconds();
		for (const EvaluationContext& context : contexts)
			decided += static_cast<long>(evaluator.evaluateAll(*definitions, context, answers));
		perContext.push_back((threadSeconds() - start) / static_cast<double>(contexts.size()));
	}
	const double contextSeconds = median(perContext);
	std::cout << "one flag, three filters:  " << median(oneFlag) * 1e9 << " ns per evaluation (median of "
	          << rounds << " rounds; " << enabled << " enabled)\n";
	std::cout << flagCount << " flags x " << contexts.size() << " contexts: " << contextSeconds * 1e6
	          << " us per context, " << contextSeconds * 1e9 / flagCount << " ns per flag, "
	          << 1.0 / contextSeconds << " contexts/s (" << decided / rounds << " of "
	          << static_cast<long>(flagCount) * static_cast<long>(contexts.size()) << " decided locally)\n";
	std::cout << "{\"one_flag_ns\": " << median(oneFlag) * 1e9 << ", \"context_us\": " << contextSeconds * 1e6
	          << ", \"flag_ns\": " << contextSeconds * 1e9 / flagCount
	          << ", \"contexts_per_s\": " << 1.0 / contextSeconds << "}" << std::endl;
	return 0;
}
