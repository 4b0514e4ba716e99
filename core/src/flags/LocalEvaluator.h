//
// LocalEvaluator.h
//
// Evaluates feature flags against a definitions snapshot, without any I/O.
//

#ifndef PostHog_Flags_LocalEvaluator_INCLUDED
#define PostHog_Flags_LocalEvaluator_INCLUDED

#include "flags/EvaluationContext.h"
#include "flags/Explain.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalAnswer.h"
#include "flags/LocalResult.h"
#include <string>
#include <vector>

namespace PostHog
{

class LocalEvaluator
/// Decides flags as PostHog's server SDKs do locally (posthog-node's evaluator where they
/// differ): inactive flags are false, experience continuity is left to the server, group flags
/// are bucketed by the group key, conditions are tried in order (filters, then rollout), a match
/// yields its variant override, the hashed variant, or true. Whatever cannot be decided with the
/// definitions and context at hand (a missing property, a cohort or dependency not defined
/// locally, a pattern JavaScript reads differently) is Inconclusive, for the server to answer.
/// The evaluator holds no state: any number of threads use one at once, without a lock.
{
public:
	LocalResult evaluate(const FlagDefinitions& definitions, const std::string& key,
	                     const EvaluationContext& context, Explain* explain = nullptr) const;
	/// One flag; Missing when no flag has that key.

	void evaluateAll(const FlagDefinitions& definitions, const EvaluationContext& context,
	                 std::vector<LocalResult>& results, Explain* explain = nullptr) const;
	/// Every flag, results[i] for definitions.flags()[i]. The vector is resized and its strings
	/// reused, so evaluating many contexts into one vector allocates little.

	std::vector<LocalResult> evaluateAll(const FlagDefinitions& definitions, const EvaluationContext& context,
	                                     Explain* explain = nullptr) const;
	/// As above, into a new vector.

	std::size_t evaluateAll(const FlagDefinitions& definitions, const EvaluationContext& context,
	                        std::vector<LocalAnswer>& answers, Explain* explain = nullptr) const;
	/// Every flag, answers[i] for definitions.flags()[i], in the compact form that copies no
	/// key, reason or payload. Returns how many were decided.

	void evaluateKeys(const FlagDefinitions& definitions, const std::vector<std::string>& keys,
	                  const EvaluationContext& context, std::vector<LocalResult>& results,
	                  Explain* explain = nullptr) const;
	/// The given flags in one run (one property decode, one dependency cache): results[i] for
	/// keys[i], Missing for a key no flag has. The vector is reused as in evaluateAll.
};

} // namespace PostHog

#endif // PostHog_Flags_LocalEvaluator_INCLUDED
