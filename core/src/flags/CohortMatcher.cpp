//
// CohortMatcher.cpp
//

#include "flags/CohortMatcher.h"
#include "flags/EvaluationRun.h"

namespace PostHog
{

namespace
{

const int kMaxDepth = 32;

/// Folds one member's answer into an AND/OR group; true when the group is decided.
bool fold(bool isAnd, bool matched, bool& decided)
{
	if (isAnd && !matched)
	{
		decided = false;
		return true;
	}
	if (!isAnd && matched)
	{
		decided = true;
		return true;
	}
	return false;
}

} // namespace

MatchResult CohortMatcher::match(EvaluationRun& run, const PropertyFilter& filter,
                                 const PropertyIndex& properties)
{
	return matchCohort(run, filter, properties, 0);
}

MatchResult CohortMatcher::matchCohort(EvaluationRun& run, const PropertyFilter& filter,
                                       const PropertyIndex& properties, int depth)
{
	if (filter.cohortIndex < 0 || depth > kMaxDepth)
		return MatchResult::server(Unresolved::UnsupportedDefinition);
	const Cohort& cohort = run.definitions().cohorts()[static_cast<std::size_t>(filter.cohortIndex)];
	MatchResult result = matchGroup(run, cohort.root, properties, depth + 1);
	if (result.decided() && filter.op == FlagOperator::IsNot)
		result.kind = result.kind == MatchResult::True ? MatchResult::False : MatchResult::True;
	return result;
}

MatchResult CohortMatcher::matchGroup(EvaluationRun& run, const CohortGroup& group,
                                      const PropertyIndex& properties, int depth)
{
	if (group.empty)
		return MatchResult::of(true);
	if (!group.unsupportedType.empty() || depth > kMaxDepth)
		return MatchResult::server(Unresolved::UnsupportedDefinition);
	if (group.groups.empty() && group.filters.empty())
		return MatchResult::of(group.isAnd);
	Unresolved reason = Unresolved::None;
	bool regex = false;
	bool decided = false;
	for (const CohortGroup& member : group.groups)
	{
		const MatchResult result = matchGroup(run, member, properties, depth + 1);
		if (result.kind == MatchResult::ServerRequired)
			return result;
		if (result.kind == MatchResult::Inconclusive)
		{
			reason = pickUnresolved(reason, result.reason);
			regex = regex || result.regex;
		}
		else if (fold(group.isAnd, result.kind == MatchResult::True, decided))
			return MatchResult::of(decided);
	}
	for (const PropertyFilter& filter : group.filters)
	{
		const MatchResult result = filter.kind == PropertyFilter::Cohort
		                               ? matchCohort(run, filter, properties, depth + 1)
		                               : run.matchFilter(filter, properties);
		if (result.kind == MatchResult::ServerRequired)
			return result;
		if (result.kind == MatchResult::Inconclusive)
		{
			reason = pickUnresolved(reason, result.reason);
			regex = regex || result.regex;
		}
		else if (fold(group.isAnd, (result.kind == MatchResult::True) != filter.negation, decided))
			return MatchResult::of(decided);
	}
	if (reason != Unresolved::None)
		return MatchResult::inconclusive(reason, regex);
	return MatchResult::of(group.isAnd);
}

} // namespace PostHog
