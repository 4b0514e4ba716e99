//
// CohortMatcher.h
//
// Whether a person is in a cohort shipped with the definitions.
//

#ifndef PostHog_Flags_CohortMatcher_INCLUDED
#define PostHog_Flags_CohortMatcher_INCLUDED

#include "flags/FlagModel.h"
#include "flags/MatchResult.h"
#include "flags/PropertyIndex.h"

namespace PostHog
{

class EvaluationRun;

class CohortMatcher
/// Matches a cohort filter (in / not_in) as posthog-node's matchCohort does: nested AND/OR
/// groups, per-filter negation, an empty group matching; a cohort not shipped with the
/// definitions (a static cohort) or a group type other than AND/OR sends the whole flag to the
/// server; a filter that cannot be decided leaves the group undecided unless another member
/// decides it.
{
public:
	static MatchResult match(EvaluationRun& run, const PropertyFilter& filter,
	                         const PropertyIndex& properties);

private:
	static MatchResult matchGroup(EvaluationRun& run, const CohortGroup& group,
	                              const PropertyIndex& properties, int depth);
	static MatchResult matchCohort(EvaluationRun& run, const PropertyFilter& filter,
	                               const PropertyIndex& properties, int depth);
};

} // namespace PostHog

#endif // PostHog_Flags_CohortMatcher_INCLUDED
