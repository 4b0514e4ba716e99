//
// MatchResult.h
//
// The three-valued answer of matching a filter, a cohort or a condition locally.
//

#ifndef PostHog_Flags_MatchResult_INCLUDED
#define PostHog_Flags_MatchResult_INCLUDED

namespace PostHog
{

enum class Unresolved : unsigned char
/// Why something could not be decided locally, lowest precedence first (as posthog-node ranks
/// them when several apply).
{
	None,
	MissingContext,
	UnresolvedDependency,
	UnsupportedDefinition,
	ExperienceContinuity
};

inline Unresolved pickUnresolved(Unresolved current, Unresolved next) noexcept
{
	return next > current ? next : current;
}

const char* unresolvedName(Unresolved reason) noexcept;
/// experience_continuity, unsupported_definition, unresolved_dependency, missing_context.

struct MatchResult
/// False or True when decided; Inconclusive when this part cannot be decided (the next
/// condition may still decide the flag); ServerRequired when the whole flag must be sent to the
/// server (a cohort not defined locally). regex marks an answer left open by a pattern only the
/// server can run.
{
	enum Kind : unsigned char
	{
		False,
		True,
		Inconclusive,
		ServerRequired
	};

	Kind kind = False;
	Unresolved reason = Unresolved::None;
	bool regex = false;

	static MatchResult of(bool value) noexcept
	{
		return MatchResult{value ? True : False, Unresolved::None, false};
	}
	static MatchResult inconclusive(Unresolved why, bool regex = false) noexcept
	{
		return MatchResult{Inconclusive, why, regex};
	}
	static MatchResult server(Unresolved why) noexcept { return MatchResult{ServerRequired, why, false}; }

	bool decided() const noexcept { return kind == False || kind == True; }
};

} // namespace PostHog

#endif // PostHog_Flags_MatchResult_INCLUDED
