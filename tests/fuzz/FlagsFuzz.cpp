//
// FlagsFuzz.cpp
//
// libFuzzer target: feature flag definitions through FlagDefinitions::parse, then every flag
// evaluated locally for a few contexts (person properties of every type, a group, a device id).
// The input is either loaded or rejected with a DataException; anything else (another
// exception, a crash, a hang, undefined behaviour) is a finding.
//

#include "PostHog/Exceptions.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalEvaluator.h"
#include <cstdint>
#include <cstdlib>
#include <string>

namespace
{

std::vector<PostHog::EvaluationContext> contexts()
{
	using PostHog::Properties;
	std::vector<PostHog::EvaluationContext> result(3);
	result[0].distinctId = "user-1";
	result[0].personProperties = Properties{{"distinct_id", "user-1"}, {"email", "a@b.com"}, {"age", 31},
		{"plan", "pro"}, {"beta", true}, {"version", "1.2.3"}, {"joined", "2024-01-01T00:00:00Z"}, {"score", 1.5},
		{"nothing", nullptr}};
	result[1].distinctId = "user-2";
	result[1].deviceId = "device-2";
	result[1].groups["company"] = "acme";
	result[1].groupProperties["company"] = Properties{{"$group_key", "acme"}, {"name", "Acme"}, {"seats", 12}};
	result[2].distinctId = "";
	return result;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	static const std::vector<PostHog::EvaluationContext> kContexts = contexts();
	std::shared_ptr<const PostHog::FlagDefinitions> definitions;
	try
	{
		definitions = PostHog::FlagDefinitions::parse(std::string(reinterpret_cast<const char*>(data), size));
	}
	catch (const PostHog::DataException& e)
	{
		if (e.message().empty() || e.message().find('\n') != std::string::npos)
			std::abort();
		return 0;
	}
	PostHog::LocalEvaluator evaluator;
	std::vector<PostHog::LocalResult> results;
	PostHog::ExplainLines explain;
	for (const PostHog::EvaluationContext& context : kContexts)
	{
		evaluator.evaluateAll(*definitions, context, results, &explain);
		if (results.size() != definitions->size())
			std::abort();
		for (const PostHog::FlagDefinition& flag : definitions->flags())
			evaluator.evaluate(*definitions, flag.key, context);
	}
	return 0;
}
