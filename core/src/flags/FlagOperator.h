//
// FlagOperator.h
//
// The property operators of flag filters.
//

#ifndef PostHog_Flags_FlagOperator_INCLUDED
#define PostHog_Flags_FlagOperator_INCLUDED

#include <string_view>

namespace PostHog
{

enum class FlagOperator : unsigned char
/// The 27 operators of PostHog's property filters, and Unknown for any other name.
{
	Exact,
	IsNot,
	IsSet,
	IsNotSet,
	IContains,
	NotIContains,
	StartsWith,
	NotStartsWith,
	EndsWith,
	NotEndsWith,
	Regex,
	NotRegex,
	Gt,
	Gte,
	Lt,
	Lte,
	IsDateBefore,
	IsDateAfter,
	SemverEq,
	SemverNeq,
	SemverGt,
	SemverGte,
	SemverLt,
	SemverLte,
	SemverTilde,
	SemverCaret,
	SemverWildcard,
	Unknown
};

FlagOperator flagOperatorFromName(std::string_view name) noexcept;
/// The operator of that name; an empty name is exact.

bool flagOperatorAcceptsNull(FlagOperator op) noexcept;
/// The string operators, which read a null property as the text "null".

} // namespace PostHog

#endif // PostHog_Flags_FlagOperator_INCLUDED
