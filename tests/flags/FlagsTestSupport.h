//
// FlagsTestSupport.h
//
// Builds definitions around filters and evaluates them, for the engine's tests.
//

#ifndef PostHogTest_FlagsTestSupport_INCLUDED
#define PostHogTest_FlagsTestSupport_INCLUDED

#include "flags/EvaluationContext.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalEvaluator.h"
#include <memory>
#include <string>

namespace PostHogTest
{

std::shared_ptr<const PostHog::FlagDefinitions> definitionsOf(const std::string& flagsJson,
                                                              const std::string& extra = "");
/// {"flags": [flagsJson], <extra>} parsed.

std::string flagWithFilters(const std::string& key, const std::string& filtersJson, int rollout = 100);
/// A flag with one condition holding the given filters (a JSON array's contents).

std::string outcome(const PostHog::LocalResult& result);
/// "true", "false", the variant, "inconclusive" or "missing".

std::string evaluateOne(const std::string& filterJson, const PostHog::Properties& person,
                        int propertyMatchingVersion = 0);
/// A flag whose only condition is that filter, evaluated for a person with those properties.

PostHog::LocalResult evaluate(const PostHog::FlagDefinitions& definitions, const std::string& key,
                              const std::string& distinctId,
                              const PostHog::Properties& person = PostHog::Properties());

} // namespace PostHogTest

#endif // PostHogTest_FlagsTestSupport_INCLUDED
