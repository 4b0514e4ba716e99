//
// ReasonText.h
//
// The words of the validation stage's drop reasons: rule names, quoting, value kinds.
//

#ifndef PostHog_ReasonText_INCLUDED
#define PostHog_ReasonText_INCLUDED

#include "PostHog/Value.h"
#include <string>
#include <string_view>

namespace PostHog
{

namespace ReasonText
/// Every reason starts with the rule that failed ("rule 'maxEventNameLength': ..."); names are
/// quoted cut at a character boundary; lengths count UTF-8 code points as PostHog does.
{

// The identifiers of the rules, as reasons name them.
inline const char* const kRuleEventName = "eventName";
inline const char* const kRuleEventNameLength = "maxEventNameLength";
inline const char* const kRuleDistinctId = "distinctId";
inline const char* const kRuleIllegalDistinctId = "illegalDistinctId";
inline const char* const kRuleDistinctIdLength = "maxDistinctIdLength";
inline const char* const kRuleFuture = "maxFutureHours";
inline const char* const kRuleMinTimestamp = "minTimestamp";
inline const char* const kRuleUuid = "uuid";
inline const char* const kRuleObjectProperty = "objectProperties";
inline const char* const kRulePropertyName = "propertyName";
inline const char* const kRulePropertyNameLength = "maxPropertyNameLength";
inline const char* const kRuleEventBytes = "maxEventBytes";
inline const char* const kRulePattern = "eventNamePattern";
inline const char* const kRuleRequired = "required";
inline const char* const kRuleTypes = "types";

constexpr std::size_t kQuoteLimit = 64; // longest name quoted in a reason, in bytes

inline std::string rule(const char* name)
{
	return std::string("rule '") + name + "': ";
}

// The number of UTF-8 code points (PostHog's limits count characters, not bytes).
inline std::size_t characters(std::string_view s) noexcept
{
	std::size_t n = 0;
	for (unsigned char c : s)
		n += (c & 0xC0) != 0x80;
	return n;
}

inline bool longerThan(const std::string& s, std::size_t limit) noexcept
{
	return s.size() > limit && characters(s) > limit;
}

inline bool isSpace(char c) noexcept
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string quote(std::string_view s);
/// A name for a reason: cut to kQuoteLimit bytes at a character boundary.

const char* describe(const Value& v) noexcept;
/// "null", "a bool", "an int", "a number", "a string", "an array" or "an object".

} // namespace ReasonText

} // namespace PostHog

#endif // PostHog_ReasonText_INCLUDED
