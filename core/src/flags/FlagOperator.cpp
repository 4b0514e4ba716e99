//
// FlagOperator.cpp
//

#include "flags/FlagOperator.h"
#include <utility>

namespace PostHog
{

namespace
{

const std::pair<std::string_view, FlagOperator> kOperators[] = {
    {"exact", FlagOperator::Exact},
    {"is_not", FlagOperator::IsNot},
    {"is_set", FlagOperator::IsSet},
    {"is_not_set", FlagOperator::IsNotSet},
    {"icontains", FlagOperator::IContains},
    {"not_icontains", FlagOperator::NotIContains},
    {"starts_with", FlagOperator::StartsWith},
    {"not_starts_with", FlagOperator::NotStartsWith},
    {"ends_with", FlagOperator::EndsWith},
    {"not_ends_with", FlagOperator::NotEndsWith},
    {"regex", FlagOperator::Regex},
    {"not_regex", FlagOperator::NotRegex},
    {"gt", FlagOperator::Gt},
    {"gte", FlagOperator::Gte},
    {"lt", FlagOperator::Lt},
    {"lte", FlagOperator::Lte},
    {"is_date_before", FlagOperator::IsDateBefore},
    {"is_date_after", FlagOperator::IsDateAfter},
    {"semver_eq", FlagOperator::SemverEq},
    {"semver_neq", FlagOperator::SemverNeq},
    {"semver_gt", FlagOperator::SemverGt},
    {"semver_gte", FlagOperator::SemverGte},
    {"semver_lt", FlagOperator::SemverLt},
    {"semver_lte", FlagOperator::SemverLte},
    {"semver_tilde", FlagOperator::SemverTilde},
    {"semver_caret", FlagOperator::SemverCaret},
    {"semver_wildcard", FlagOperator::SemverWildcard},
};

} // namespace

FlagOperator flagOperatorFromName(std::string_view name) noexcept
{
	if (name.empty())
		return FlagOperator::Exact;
	for (const auto& entry : kOperators)
	{
		if (entry.first == name)
			return entry.second;
	}
	return FlagOperator::Unknown;
}

bool flagOperatorAcceptsNull(FlagOperator op) noexcept
{
	return op <= FlagOperator::NotRegex && op != FlagOperator::IsSet && op != FlagOperator::IsNotSet;
}

} // namespace PostHog
