//
// PropertyMatcher.cpp
//

#include "flags/PropertyMatcher.h"
#include "flags/PropertyText.h"
#include <cmath>
#include <string>
#include <string_view>

namespace PostHog
{

namespace
{

inline char asciiLower(char c) noexcept
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// text equals the lower-cased word, ignoring ASCII case.
bool equalsAsciiLower(std::string_view text, std::string_view word) noexcept
{
	if (text.size() != word.size())
		return false;
	for (std::size_t i = 0; i < text.size(); ++i)
	{
		if (asciiLower(text[i]) != word[i])
			return false;
	}
	return true;
}

bool containsAsciiLower(std::string_view text, std::string_view needle) noexcept
{
	if (needle.empty())
		return true;
	if (needle.size() > text.size())
		return false;
	const std::size_t last = text.size() - needle.size();
	for (std::size_t i = 0; i <= last; ++i)
	{
		if (asciiLower(text[i]) == needle[0] && equalsAsciiLower(text.substr(i, needle.size()), needle))
			return true;
	}
	return false;
}

/// The context value as String(value), in scratch unless it is already a string.
std::string_view stringOf(const Value& value, std::string& scratch)
{
	if (value.isString())
		return value.getString();
	PropertyText::appendString(value, scratch);
	return scratch;
}

bool isNegated(FlagOperator op) noexcept
{
	return op == FlagOperator::IsNot || op == FlagOperator::NotIContains ||
	       op == FlagOperator::NotStartsWith || op == FlagOperator::NotEndsWith ||
	       op == FlagOperator::NotRegex;
}

template<typename T>
bool ordered(FlagOperator op, const T& left, const T& right)
{
	switch (op)
	{
	case FlagOperator::Gt:
		return left > right;
	case FlagOperator::Gte:
		return left >= right;
	case FlagOperator::Lt:
		return left < right;
	default:
		return left <= right;
	}
}

} // namespace

MatchResult PropertyMatcher::match(const PropertyFilter& filter, const PropertyIndex& properties,
                                   int propertyMatchingVersion, LazyNow& now)
{
	const PropertyIndex::Entry* found = properties.findEntry(filter.key);
	if (!found)
	{
		// A filter that is unusable whatever the context holds outranks the missing property.
		return MatchResult::inconclusive(filter.unsupported.empty() ? Unresolved::MissingContext
		                                                            : Unresolved::UnsupportedDefinition);
	}
	if (filter.op == FlagOperator::IsNotSet)
		return MatchResult::of(false);
	if (filter.op == FlagOperator::IsSet)
		return MatchResult::of(true);
	if (!filter.unsupported.empty())
		return MatchResult::inconclusive(Unresolved::UnsupportedDefinition);
	const Value& value = found->value();
	if (value.isNull() && !flagOperatorAcceptsNull(filter.op))
		return MatchResult::of(false);
	if (value.isDouble() && !std::isfinite(value.getDouble()))
		return MatchResult::inconclusive(Unresolved::MissingContext);
	return matchValue(filter, *found, propertyMatchingVersion, now);
}

MatchResult PropertyMatcher::matchValue(const PropertyFilter& filter, const PropertyIndex::Entry& entry,
                                        int propertyMatchingVersion, LazyNow& now)
{
	const Value& value = entry.value();
	switch (filter.op)
	{
	case FlagOperator::Exact:
	case FlagOperator::IsNot:
		return exact(filter, entry, propertyMatchingVersion);
	case FlagOperator::IContains:
	case FlagOperator::NotIContains:
	case FlagOperator::StartsWith:
	case FlagOperator::NotStartsWith:
	case FlagOperator::EndsWith:
	case FlagOperator::NotEndsWith:
		return text(filter, value);
	case FlagOperator::Regex:
	case FlagOperator::NotRegex:
		return regex(filter, value);
	case FlagOperator::Gt:
	case FlagOperator::Gte:
	case FlagOperator::Lt:
	case FlagOperator::Lte:
		return compare(filter, value);
	case FlagOperator::IsDateBefore:
	case FlagOperator::IsDateAfter:
		return date(filter, entry, now);
	case FlagOperator::IsSet:
		return MatchResult::of(true);
	case FlagOperator::IsNotSet:
		return MatchResult::of(false);
	case FlagOperator::Unknown:
		return MatchResult::inconclusive(Unresolved::UnsupportedDefinition);
	default:
		return semver(filter, entry);
	}
}

MatchResult PropertyMatcher::exact(const PropertyFilter& filter, const PropertyIndex::Entry& entry,
                                   int propertyMatchingVersion)
{
	const Value& value = entry.value();
	const bool negate = filter.op == FlagOperator::IsNot;
	if (filter.exactTruthy)
		return MatchResult::of((PropertyText::truthy(value) == filter.truthyValue) != negate);
	if (propertyMatchingVersion == 2 && (value.isInt() || value.isDouble()) && filter.valueIsBooleanLike)
		return MatchResult::of(negate);
	bool matched = false;
	if (entry.asciiString())
	{
		for (const std::string& accepted : filter.exactLower)
		{
			if (equalsAsciiLower(value.getString(), accepted))
			{
				matched = true;
				break;
			}
		}
	}
	else
	{
		std::string spelled;
		if (!PropertyText::exactText(value, spelled))
			return MatchResult::inconclusive(Unresolved::MissingContext);
		const std::string lowered = PropertyText::lower(spelled);
		for (const std::string& accepted : filter.exactLower)
		{
			if (lowered == accepted)
			{
				matched = true;
				break;
			}
		}
	}
	return MatchResult::of(matched != negate);
}

MatchResult PropertyMatcher::text(const PropertyFilter& filter, const Value& value)
{
	std::string scratch;
	const std::string_view subject = stringOf(value, scratch);
	const std::string_view needle = filter.valueAscii;
	bool matched = false;
	switch (filter.op)
	{
	case FlagOperator::IContains:
	case FlagOperator::NotIContains:
		matched = containsAsciiLower(subject, needle);
		break;
	case FlagOperator::StartsWith:
	case FlagOperator::NotStartsWith:
		matched =
		    subject.size() >= needle.size() && equalsAsciiLower(subject.substr(0, needle.size()), needle);
		break;
	default:
		matched = subject.size() >= needle.size() &&
		          equalsAsciiLower(subject.substr(subject.size() - needle.size()), needle);
		break;
	}
	return MatchResult::of(matched != isNegated(filter.op));
}

MatchResult PropertyMatcher::regex(const PropertyFilter& filter, const Value& value)
{
	std::string scratch;
	const std::string_view subject = stringOf(value, scratch);
	switch (filter.regex->search(subject))
	{
	case FlagRegex::Matched:
		return MatchResult::of(filter.op == FlagOperator::Regex);
	case FlagRegex::NoMatch:
		return MatchResult::of(filter.op == FlagOperator::NotRegex);
	case FlagRegex::Invalid:
		return MatchResult::of(false);
	default:
		return MatchResult::inconclusive(Unresolved::UnsupportedDefinition, true);
	}
}

MatchResult PropertyMatcher::compare(const PropertyFilter& filter, const Value& value)
{
	double number = 0;
	bool numeric = false;
	std::string scratch;
	if (value.isInt())
	{
		number = static_cast<double>(value.getInt());
		numeric = true;
	}
	else if (value.isDouble())
	{
		number = value.getDouble();
		numeric = true;
	}
	else
		numeric = PropertyText::parseFloat(stringOf(value, scratch), number);
	if (numeric && filter.valueIsNumber)
		return MatchResult::of(ordered(filter.op, number, filter.number));
	scratch.clear();
	const std::string_view left = stringOf(value, scratch);
	return MatchResult::of(ordered(filter.op, left, std::string_view(filter.valueText)));
}

MatchResult PropertyMatcher::date(const PropertyFilter& filter, const PropertyIndex::Entry& entry,
                                  LazyNow& now)
{
	Poco::Timestamp when(0);
	if (!entry.date(when))
		return MatchResult::inconclusive(Unresolved::MissingContext);
	const Poco::Timestamp bound = filter.date.resolve(now.get());
	return MatchResult::of(filter.op == FlagOperator::IsDateBefore ? when < bound : when > bound);
}

MatchResult PropertyMatcher::semver(const PropertyFilter& filter, const PropertyIndex::Entry& entry)
{
	const Semver* version = entry.version();
	if (!version)
		return MatchResult::inconclusive(Unresolved::MissingContext);
	const int order = version->compare(filter.lower);
	switch (filter.op)
	{
	case FlagOperator::SemverEq:
		return MatchResult::of(order == 0);
	case FlagOperator::SemverNeq:
		return MatchResult::of(order != 0);
	case FlagOperator::SemverGt:
		return MatchResult::of(order > 0);
	case FlagOperator::SemverGte:
		return MatchResult::of(order >= 0);
	case FlagOperator::SemverLt:
		return MatchResult::of(order < 0);
	case FlagOperator::SemverLte:
		return MatchResult::of(order <= 0);
	default:
		return MatchResult::of(order >= 0 && version->compare(filter.upper) < 0);
	}
}

} // namespace PostHog
