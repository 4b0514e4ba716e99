//
// EvaluationRun.h
//
// The state of one local evaluation call: definitions, context, dependency cache, explain sink.
//

#ifndef PostHog_Flags_EvaluationRun_INCLUDED
#define PostHog_Flags_EvaluationRun_INCLUDED

#include "Poco/Timestamp.h"
#include "flags/EvaluationContext.h"
#include "flags/Explain.h"
#include "flags/FlagChoice.h"
#include "flags/FlagDefinitions.h"
#include "flags/MatchResult.h"
#include "flags/PropertyIndex.h"
#include <list>
#include <string>
#include <vector>

namespace PostHog
{

struct FlagOutcome
/// What one flag evaluated to within a run.
{
	MatchResult::Kind kind = MatchResult::False;
	/// True: decided (value holds it); Inconclusive / ServerRequired: not decided locally.
	Unresolved reason = Unresolved::None;
	bool regex = false;
	FlagChoice value;
	const char* why = "no_condition_match";
	int conditionIndex = -1;
};

class EvaluationRun
/// Evaluates flags for one context as posthog-node's computeFlagValueLocally does: the flag's
/// switches (active, experience continuity, group), the holdout, then each condition (its
/// aggregation, its filters, its rollout) until one matches. Flag dependencies are evaluated
/// once per run and cached, with a guard against cycles the definitions did not mark.
{
public:
	EvaluationRun(const FlagDefinitions& definitions, const EvaluationContext& context, Explain* explain,
	              bool manyFlags = false);
	/// manyFlags: the run evaluates several flags, so the answers of property filters that flags
	/// share are kept for the run (one allocation) instead of being worked out again.

	FlagOutcome evaluate(int index);
	/// The flag definitions.flags()[index].

	MatchResult matchFilter(const PropertyFilter& filter, const PropertyIndex& properties);
	/// A property, cohort or flag filter.

	const FlagDefinitions& definitions() const noexcept { return _definitions; }

private:
	enum class CacheState : unsigned char
	{
		Unset,
		Running,
		Done,
		Failed
	};

	struct CacheEntry
	{
		CacheState state = CacheState::Unset;
		MatchResult failure;
		FlagChoice value;
	};

	bool conditionScope(const FlagDefinition& flag, std::size_t index, Unresolved& reason,
	                    const std::string*& bucketing, const PropertyIndex*& properties);
	/// For a condition aggregated by another group than its flag: that group's key and
	/// properties; false when the condition is skipped (group not passed or without properties).
	FlagOutcome matchConditions(const FlagDefinition& flag, const std::string& bucketing,
	                            const PropertyIndex& properties);
	FlagOutcome conditionMatched(const FlagDefinition& flag, std::size_t index, const std::string& bucketing,
	                             bool regexUncertain, const std::vector<FlagChoice>& deferred,
	                             Unresolved reason);
	/// The outcome when condition index matched: its value, unless an earlier condition left
	/// undecided by a regex could have given another one (then the server decides).
	static bool heldOut(const FlagDefinition& flag, const std::string& bucketing);
	MatchResult matchCondition(const FlagDefinition& flag, const Condition& condition,
	                           const std::string& bucketing, const PropertyIndex& properties,
	                           bool& outOfRollout);
	bool outsideRollout(const FlagDefinition& flag, const Condition& condition, const std::string& bucketing);
	/// Whether the bucketing value hashes outside the condition's rollout percentage.
	FlagChoice matchedValue(const FlagDefinition& flag, const Condition& condition,
	                        const std::string& bucketing) const;
	MatchResult matchDependency(const PropertyFilter& filter);
	bool resolveDependency(int index, MatchResult& failure);
	const std::string* deviceBucketing();
	const PropertyIndex& indexOf(const Properties& properties);
	void explain(const FlagDefinition& flag, const std::string& text) const;
	std::string describe(const PropertyFilter& filter, const MatchResult& result) const;

	const FlagDefinitions& _definitions;
	const EvaluationContext& _context;
	Explain* _explain;
	std::size_t _answerSlots;
	PropertyIndex _person;
	std::list<std::pair<const Properties*, PropertyIndex>> _groups;
	/// A list: references to its entries stay valid as groups are added, and an evaluation
	/// without groups allocates nothing for it.
	LazyNow _now;
	std::vector<CacheEntry> _cache;
	std::string _scratch;
	int _depth = 0;
	const FlagDefinition* _rolloutFlag = nullptr;
	const std::string* _rolloutBucketing = nullptr;
	double _rolloutHash = 0;
	/// The last rollout hash and what it was computed for.
};

} // namespace PostHog

#endif // PostHog_Flags_EvaluationRun_INCLUDED
