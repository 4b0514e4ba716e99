//
// FlagsBenchData.h
//
// The feature flag definitions and evaluation contexts the flag benchmarks use.
//

#ifndef PostHogBench_FlagsBenchData_INCLUDED
#define PostHogBench_FlagsBenchData_INCLUDED

#include <string>

namespace PostHogBench
{

std::string benchDefinitions(int flags);
/// Definitions of that many flags, a mix as a project has them: person filters of the common
/// operators (exact lists, icontains, gt, semver, regex, is_set, dates), rollouts, multivariate
/// flags with payloads, a cohort and a group flag; all decidable locally for benchContext().

std::string benchContext(int index);
/// One NDJSON context line: {"distinct_id", "groups", "person_properties", "group_properties"}.

std::string threeFilterDefinitions();
/// One flag, "three-filters": one condition with three person filters and a 50% rollout.

} // namespace PostHogBench

#endif // PostHogBench_FlagsBenchData_INCLUDED
