//
// FlagsTestSupport.cpp
//

#include "FlagsTestSupport.h"

using namespace PostHog;

namespace PostHogTest
{

std::shared_ptr<const FlagDefinitions> definitionsOf(const std::string& flagsJson, const std::string& extra)
{
	return FlagDefinitions::parse("{\"flags\": [" + flagsJson + "]" + (extra.empty() ? "" : ", " + extra) +
	                              "}");
}

std::string flagWithFilters(const std::string& key, const std::string& filtersJson, int rollout)
{
	return "{\"id\": 1, \"key\": \"" + key +
	       "\", \"active\": true, \"filters\": {\"groups\": [{\"properties\": [" + filtersJson +
	       "], \"rollout_percentage\": " + std::to_string(rollout) + "}]}}";
}

std::string outcome(const LocalResult& result)
{
	switch (result.outcome)
	{
	case LocalResult::Missing:
		return "missing";
	case LocalResult::Inconclusive:
		return "inconclusive";
	default:
		return result.value.toString();
	}
}

std::string evaluateOne(const std::string& filterJson, const Properties& person, int propertyMatchingVersion)
{
	const std::string extra =
	    propertyMatchingVersion ? "\"property_matching_version\": " + std::to_string(propertyMatchingVersion)
	                            : "";
	const auto definitions = definitionsOf(flagWithFilters("f", filterJson), extra);
	return outcome(evaluate(*definitions, "f", "user-1", person));
}

LocalResult evaluate(const FlagDefinitions& definitions, const std::string& key,
                     const std::string& distinctId, const Properties& person)
{
	EvaluationContext context;
	context.distinctId = distinctId;
	context.personProperties = person;
	return LocalEvaluator().evaluate(definitions, key, context);
}

} // namespace PostHogTest
