//
// LocalResult.h
//
// The outcome of evaluating one flag locally.
//

#ifndef PostHog_Flags_LocalResult_INCLUDED
#define PostHog_Flags_LocalResult_INCLUDED

#include "PostHog/FlagValue.h"
#include <string>

namespace PostHog
{

struct LocalResult
/// What LocalEvaluator decided for one flag. Decided carries a value (possibly false);
/// Inconclusive means the definitions or the context do not allow a local answer and the
/// server must be asked (inconclusiveReason says why: experience_continuity,
/// unsupported_definition, unresolved_dependency or missing_context); Missing means no flag of
/// that key is defined.
{
	enum Outcome
	{
		Decided,
		Inconclusive,
		Missing
	};

	Outcome outcome = Missing;
	FlagValue value;
	std::string payload;
	/// The payload's JSON text for the value; empty when there is none (or the value is false).

	std::string reason;
	/// condition_match, no_condition_match, out_of_rollout_bound, flag_disabled, holdout or
	/// no_group_type (a group flag whose group was not passed).

	int conditionIndex = -1;
	/// The index of the condition that decided the value; -1 when none did.

	std::string inconclusiveReason;
	long flagId = 0;
	long version = 0;
};

} // namespace PostHog

#endif // PostHog_Flags_LocalResult_INCLUDED
