//
// FlagModel.h
//
// The parsed form of flag definitions: flags, conditions, filters and cohorts, with everything
// an evaluation needs computed once at load time.
//

#ifndef PostHog_Flags_FlagModel_INCLUDED
#define PostHog_Flags_FlagModel_INCLUDED

#include "flags/DateFilter.h"
#include "flags/FlagOperator.h"
#include "flags/FlagRegex.h"
#include "flags/Semver.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

struct PropertyFilter
/// One filter of a condition or cohort. Strings the operators compare with are stored in the
/// form they are compared in (lower-cased, stringified as JavaScript writes them); numbers,
/// versions, dates and patterns are parsed. A filter that cannot be decided locally whatever
/// the context holds (unknown operator, unparsable value) carries the reason in unsupported.
/// What every evaluation reads (kind, operator, answer slot) comes first.
{
	enum Kind : unsigned char
	{
		Property,
		Cohort,
		Flag
	};

	Kind kind = Property;
	FlagOperator op = FlagOperator::Exact;
	bool negation = false;
	int answerSlot = -1;
	/// Property filters: a number shared by every property filter of the definitions with the same
	/// key, operator and value, whose answers for one set of properties are therefore equal; an
	/// evaluation run keeps the first answer in that slot. -1 for cohort and flag filters.
	std::string key;
	std::string operatorName;
	std::string unsupported;

	std::string valueText;
	/// String(value) as JavaScript writes it.
	std::string valueAscii;
	/// valueText with A-Z lower-cased (icontains, starts_with, ends_with).

	std::vector<std::string> exactLower;
	/// exact / is_not: each accepted value, lower-cased.
	bool exactTruthy = false;
	/// exact / is_not compare by truthiness (the value is a boolean or "true"/"false").
	bool truthyValue = false;
	bool valueIsBooleanLike = false;

	bool valueIsNumber = false;
	double number = 0;

	DateFilter date;
	Semver lower;
	Semver upper;
	std::shared_ptr<FlagRegex> regex;

	int cohortIndex = -1;
	/// Cohort filters: the cohort in FlagDefinitions::cohorts(), -1 when not defined locally.

	bool hasChain = false;
	std::vector<int> chain;
	/// Flag filters: the dependency chain as flag indices (-1 for a flag not defined locally).
	int target = -1;
	enum Expected : unsigned char
	{
		ExpectBool,
		ExpectString,
		ExpectNothing
	};
	Expected expected = ExpectNothing;
	bool expectedBool = false;
	std::string expectedString;
};

struct CohortGroup
/// A cohort's property group: AND/OR over nested groups or over filters. An empty group matches.
{
	bool empty = false;
	bool isAnd = true;
	std::string unsupportedType;
	/// Non-empty for a group type other than AND, OR and property.
	std::vector<CohortGroup> groups;
	std::vector<PropertyFilter> filters;
};

struct Cohort
/// A cohort shipped with the definitions (send_cohorts).
{
	std::string id;
	CohortGroup root;
};

struct Condition
/// One release condition: all filters must match, then the rollout.
{
	enum Aggregation : unsigned char
	{
		Inherit,
		/// As the flag.
		Null,
		/// Explicitly null.
		Index
	};

	std::vector<PropertyFilter> filters;
	bool hasRollout = false;
	double rollout = 100;
	std::string variant;
	/// A variant override naming a defined variant; empty otherwise.
	Aggregation aggregation = Inherit;
	int aggregationIndex = -1;
};

struct Variant
{
	std::string key;
	double min = 0;
	double max = 0;
};

struct FlagDefinition
/// One flag of the definitions; what every evaluation reads comes first.
{
	bool active = false;
	bool experienceContinuity = false;
	bool deviceBucketing = false;
	signed char hasExperiment = -1;
	/// has_experiment: 1 linked to an experiment, 0 not, -1 not reported.
	bool earlyExit = false;
	bool hasAggregation = false;
	bool hasHoldout = false;
	int aggregationIndex = -1;
	std::vector<Condition> conditions;
	std::vector<Variant> variants;
	std::string hashPrefix;
	/// "<key>." for the rollout and variant hashes.
	double holdoutPercentage = 0;
	long id = 0;
	long version = 0;
	std::string key;
	std::vector<std::pair<std::string, std::string>> payloads;
	/// "true" or a variant -> the payload's JSON text.
	std::string holdoutVariant;
	/// "holdout-<id>".

	const std::string* payloadFor(const std::string& valueKey) const noexcept;
};

} // namespace PostHog

#endif // PostHog_Flags_FlagModel_INCLUDED
