//
// LocalEvaluator.cpp
//

#include "flags/LocalEvaluator.h"
#include "flags/EvaluationRun.h"

namespace PostHog
{

namespace
{

const std::string& trueKey()
{
	static const std::string key("true");
	return key;
}

const std::string* payloadOf(const FlagDefinition& flag, const FlagChoice& value)
{
	if (!value.isEnabled() || flag.payloads.empty())
		return nullptr;
	return flag.payloadFor(value.isVariant() ? value.variant() : trueKey());
}

void fill(const FlagDefinition& flag, const FlagOutcome& outcome, LocalResult& result)
{
	result.flagId = flag.id;
	result.version = flag.version;
	result.conditionIndex = outcome.conditionIndex;
	result.payload.clear();
	result.inconclusiveReason.clear();
	if (outcome.kind != MatchResult::True)
	{
		result.outcome = LocalResult::Inconclusive;
		result.value = FlagValue();
		result.reason.clear();
		result.inconclusiveReason = unresolvedName(outcome.reason);
		return;
	}
	result.outcome = LocalResult::Decided;
	result.reason = outcome.why;
	if (const std::string* payload = payloadOf(flag, outcome.value))
		result.payload = *payload;
	result.value = outcome.value.value();
}

} // namespace

LocalResult LocalEvaluator::evaluate(const FlagDefinitions& definitions, const std::string& key,
                                     const EvaluationContext& context, Explain* explain) const
{
	LocalResult result;
	const int index = definitions.indexOf(key);
	if (index < 0)
	{
		result.outcome = LocalResult::Missing;
		return result;
	}
	EvaluationRun run(definitions, context, explain);
	FlagOutcome outcome = run.evaluate(index);
	fill(definitions.flags()[static_cast<std::size_t>(index)], outcome, result);
	return result;
}

void LocalEvaluator::evaluateAll(const FlagDefinitions& definitions, const EvaluationContext& context,
                                 std::vector<LocalResult>& results, Explain* explain) const
{
	results.resize(definitions.size());
	EvaluationRun run(definitions, context, explain, true);
	for (std::size_t i = 0; i < definitions.size(); ++i)
	{
		const FlagOutcome outcome = run.evaluate(static_cast<int>(i));
		fill(definitions.flags()[i], outcome, results[i]);
	}
}

void LocalEvaluator::evaluateKeys(const FlagDefinitions& definitions, const std::vector<std::string>& keys,
                                  const EvaluationContext& context, std::vector<LocalResult>& results,
                                  Explain* explain) const
{
	results.resize(keys.size());
	EvaluationRun run(definitions, context, explain, keys.size() > 1);
	for (std::size_t i = 0; i < keys.size(); ++i)
	{
		const int index = definitions.indexOf(keys[i]);
		if (index < 0)
		{
			results[i] = LocalResult();
			continue;
		}
		const FlagOutcome outcome = run.evaluate(index);
		fill(definitions.flags()[static_cast<std::size_t>(index)], outcome, results[i]);
	}
}

std::size_t LocalEvaluator::evaluateAll(const FlagDefinitions& definitions, const EvaluationContext& context,
                                        std::vector<LocalAnswer>& answers, Explain* explain) const
{
	answers.clear();
	answers.reserve(definitions.size());
	EvaluationRun run(definitions, context, explain, true);
	std::size_t decided = 0;
	for (std::size_t i = 0; i < definitions.size(); ++i)
	{
		const FlagOutcome outcome = run.evaluate(static_cast<int>(i));
		if (outcome.kind != MatchResult::True)
		{
			answers.emplace_back();
			continue;
		}
		++decided;
		answers.push_back(LocalAnswer{outcome.value.value(), outcome.why,
		                              payloadOf(definitions.flags()[i], outcome.value)});
	}
	return decided;
}

std::vector<LocalResult> LocalEvaluator::evaluateAll(const FlagDefinitions& definitions,
                                                     const EvaluationContext& context, Explain* explain) const
{
	std::vector<LocalResult> results;
	evaluateAll(definitions, context, results, explain);
	return results;
}

} // namespace PostHog
