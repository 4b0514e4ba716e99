//
// PropertyMatcher.h
//
// Matches one property filter against a person's or group's properties.
//

#ifndef PostHog_Flags_PropertyMatcher_INCLUDED
#define PostHog_Flags_PropertyMatcher_INCLUDED

#include "Poco/Timestamp.h"
#include "flags/FlagModel.h"
#include "flags/MatchResult.h"
#include "flags/PropertyIndex.h"

namespace PostHog
{

class PropertyMatcher
/// The 27 operators, as posthog-node's matchPropertyValue reads them: a property absent from
/// the context is inconclusive (is_not_set included), a null property is false except for the
/// string operators (which read it as "null"), and a value the operator cannot read (a date
/// that is no date, a version that is no version) is inconclusive. Comparisons use the forms the
/// parser prepared; the context value is converted without allocating where it is a string.
{
public:
	static MatchResult match(const PropertyFilter& filter, const PropertyIndex& properties,
	                         int propertyMatchingVersion, LazyNow& now);

private:
	static MatchResult matchValue(const PropertyFilter& filter, const PropertyIndex::Entry& entry,
	                              int propertyMatchingVersion, LazyNow& now);
	static MatchResult exact(const PropertyFilter& filter, const PropertyIndex::Entry& entry,
	                         int propertyMatchingVersion);
	static MatchResult text(const PropertyFilter& filter, const Value& value);
	static MatchResult compare(const PropertyFilter& filter, const Value& value);
	static MatchResult date(const PropertyFilter& filter, const PropertyIndex::Entry& entry, LazyNow& now);
	static MatchResult semver(const PropertyFilter& filter, const PropertyIndex::Entry& entry);
	static MatchResult regex(const PropertyFilter& filter, const Value& value);
};

} // namespace PostHog

#endif // PostHog_Flags_PropertyMatcher_INCLUDED
