//
// EvaluationRun.cpp
//

#include "flags/EvaluationRun.h"
#include "flags/CohortMatcher.h"
#include "flags/FlagHash.h"
#include "flags/PropertyMatcher.h"
#include "flags/PropertyText.h"
#include <algorithm>

namespace PostHog
{

namespace
{

const int kMaxDependencyDepth = 64;

const Properties& emptyProperties()
{
	static const Properties empty;
	return empty;
}

FlagOutcome undecided(MatchResult::Kind kind, Unresolved reason, bool regex = false)
{
	FlagOutcome outcome;
	outcome.kind = kind;
	outcome.reason = reason;
	outcome.regex = regex;
	return outcome;
}

FlagOutcome decided(FlagChoice value, const char* why, int conditionIndex = -1)
{
	FlagOutcome outcome;
	outcome.kind = MatchResult::True;
	outcome.value = value;
	outcome.why = why;
	outcome.conditionIndex = conditionIndex;
	return outcome;
}

const char* kindName(const MatchResult& result)
{
	switch (result.kind)
	{
	case MatchResult::True:
		return "matched";
	case MatchResult::False:
		return "did not match";
	case MatchResult::Inconclusive:
		return "undecidable locally";
	default:
		return "needs the server";
	}
}

} // namespace

EvaluationRun::EvaluationRun(const FlagDefinitions& definitions, const EvaluationContext& context,
                             Explain* explain, bool manyFlags)
    : _definitions(definitions), _context(context), _explain(explain),
      _answerSlots(manyFlags ? definitions.answerSlots() : 0), _person(context.personProperties, _answerSlots)
{
}

const PropertyIndex& EvaluationRun::indexOf(const Properties& properties)
{
	if (&properties == &_context.personProperties)
		return _person;
	for (const auto& group : _groups)
	{
		if (group.first == &properties)
			return group.second;
	}
	_groups.emplace_back(&properties, PropertyIndex(properties, _answerSlots));
	return _groups.back().second;
}

FlagOutcome EvaluationRun::evaluate(int index)
{
	const FlagDefinition& flag = _definitions.flags()[static_cast<std::size_t>(index)];
	if (!flag.active)
		return decided(FlagChoice(false), "flag_disabled");
	if (flag.experienceContinuity)
	{
		if (_explain)
			explain(flag, "experience continuity is on: only the server can decide");
		return undecided(MatchResult::Inconclusive, Unresolved::ExperienceContinuity);
	}
	if (flag.hasAggregation)
	{
		const std::string* groupType = _definitions.groupTypeName(flag.aggregationIndex);
		if (!groupType)
		{
			if (_explain)
				explain(flag, "group type index " + std::to_string(flag.aggregationIndex) +
				                  " is not in group_type_mapping");
			return undecided(MatchResult::Inconclusive, Unresolved::UnsupportedDefinition);
		}
		const auto group = _context.groups.find(*groupType);
		if (group == _context.groups.end())
		{
			if (_explain)
				explain(flag, "group '" + *groupType + "' was not passed: false");
			return decided(FlagChoice(false), "no_group_type");
		}
		const auto properties = _context.groupProperties.find(*groupType);
		const Properties& groupProperties =
		    properties == _context.groupProperties.end() ? emptyProperties() : properties->second;
		return matchConditions(flag, group->second, indexOf(groupProperties));
	}
	const std::string* bucketing = flag.deviceBucketing ? deviceBucketing() : &_context.distinctId;
	if (!bucketing)
	{
		if (_explain)
			explain(flag, "bucketed by device id, and no device id was given");
		return undecided(MatchResult::Inconclusive, Unresolved::MissingContext);
	}
	return matchConditions(flag, *bucketing, _person);
}

const std::string* EvaluationRun::deviceBucketing()
{
	if (!_context.deviceId.empty())
		return &_context.deviceId;
	if (!_context.personProperties.has("$device_id"))
		return nullptr;
	const Value device = _context.personProperties.get("$device_id");
	_scratch.clear();
	if (device.isNull())
		return nullptr;
	PropertyText::appendString(device, _scratch);
	return _scratch.empty() ? nullptr : &_scratch;
}

bool EvaluationRun::conditionScope(const FlagDefinition& flag, std::size_t index, Unresolved& reason,
                                   const std::string*& bucketing, const PropertyIndex*& properties)
{
	const Condition& condition = flag.conditions[index];
	if (condition.aggregation != Condition::Index ||
	    (flag.hasAggregation && condition.aggregationIndex == flag.aggregationIndex))
		return true;
	const std::string* groupType = _definitions.groupTypeName(condition.aggregationIndex);
	const auto group = groupType ? _context.groups.find(*groupType) : _context.groups.end();
	if (group == _context.groups.end())
	{
		if (_explain)
			explain(flag, "condition " + std::to_string(index) + ": its group was not passed, skipped");
		return false;
	}
	const auto groupProperties = _context.groupProperties.find(*groupType);
	if (groupProperties == _context.groupProperties.end())
	{
		reason = pickUnresolved(reason, Unresolved::MissingContext);
		if (_explain)
			explain(flag,
			        "condition " + std::to_string(index) + ": no properties for group '" + *groupType + "'");
		return false;
	}
	bucketing = &group->second;
	properties = &indexOf(groupProperties->second);
	return true;
}

FlagOutcome EvaluationRun::matchConditions(const FlagDefinition& flag, const std::string& bucketing,
                                           const PropertyIndex& properties)
{
	if (heldOut(flag, bucketing))
	{
		if (_explain)
			explain(flag, "held out: " + flag.holdoutVariant);
		return decided(FlagChoice(flag.holdoutVariant), "holdout");
	}
	Unresolved reason = Unresolved::None;
	bool regexUncertain = false;
	bool anyOutOfRollout = false;
	std::vector<FlagChoice> deferred;
	for (std::size_t i = 0; i < flag.conditions.size(); ++i)
	{
		const Condition& condition = flag.conditions[i];
		const std::string* effectiveBucketing = &bucketing;
		const PropertyIndex* effectiveProperties = &properties;
		const bool ownScope = condition.aggregation != Condition::Index ||
		                      (flag.hasAggregation && condition.aggregationIndex == flag.aggregationIndex);
		if (!ownScope && !conditionScope(flag, i, reason, effectiveBucketing, effectiveProperties))
			continue;
		bool outOfRollout = false;
		const MatchResult result =
		    matchCondition(flag, condition, *effectiveBucketing, *effectiveProperties, outOfRollout);
		if (result.kind == MatchResult::True)
			return conditionMatched(flag, i, *effectiveBucketing, regexUncertain, deferred, reason);
		if (result.kind == MatchResult::ServerRequired)
		{
			if (_explain)
				explain(flag, "condition " + std::to_string(i) + ": needs the server");
			return undecided(MatchResult::ServerRequired, pickUnresolved(reason, result.reason));
		}
		if (result.kind == MatchResult::Inconclusive)
		{
			reason = pickUnresolved(reason, result.reason);
			if (result.regex)
			{
				regexUncertain = true;
				const bool excluded = flag.earlyExit && outsideRollout(flag, condition, *effectiveBucketing);
				deferred.push_back(excluded ? FlagChoice(false)
				                            : matchedValue(flag, condition, *effectiveBucketing));
			}
			continue;
		}
		anyOutOfRollout = anyOutOfRollout || outOfRollout;
		if (outOfRollout && flag.earlyExit)
		{
			if (reason != Unresolved::None)
				break;
			return decided(FlagChoice(false), "out_of_rollout_bound", static_cast<int>(i));
		}
	}
	if (reason != Unresolved::None)
		return undecided(MatchResult::Inconclusive, reason, regexUncertain);
	if (_explain)
		explain(flag, "no condition matched: false");
	return decided(FlagChoice(false), anyOutOfRollout ? "out_of_rollout_bound" : "no_condition_match");
}

bool EvaluationRun::heldOut(const FlagDefinition& flag, const std::string& bucketing)
{
	return flag.hasHoldout && (flag.holdoutPercentage >= 100 ||
	                           FlagHash::hash("holdout-", bucketing, "") <= flag.holdoutPercentage / 100);
}

FlagOutcome EvaluationRun::conditionMatched(const FlagDefinition& flag, std::size_t index,
                                            const std::string& bucketing, bool regexUncertain,
                                            const std::vector<FlagChoice>& deferred, Unresolved reason)
{
	const FlagChoice value = matchedValue(flag, flag.conditions[index], bucketing);
	const bool conflicts =
	    regexUncertain && std::any_of(deferred.begin(), deferred.end(),
	                                  [&value](const FlagChoice& other) { return other != value; });
	if (conflicts)
		return undecided(MatchResult::Inconclusive, pickUnresolved(reason, Unresolved::UnsupportedDefinition),
		                 true);
	if (_explain)
		explain(flag, "condition " + std::to_string(index) + " matched: " + value.value().toString());
	return decided(value, "condition_match", static_cast<int>(index));
}

MatchResult EvaluationRun::matchCondition(const FlagDefinition& flag, const Condition& condition,
                                          const std::string& bucketing, const PropertyIndex& properties,
                                          bool& outOfRollout)
{
	if (!condition.filters.empty())
	{
		Unresolved reason = Unresolved::None;
		bool regex = false;
		bool serverRequired = false;
		Unresolved serverReason = Unresolved::None;
		for (const PropertyFilter& filter : condition.filters)
		{
			const MatchResult result = matchFilter(filter, properties);
			if (_explain)
				explain(flag, "  filter " + describe(filter, result));
			if (result.kind == MatchResult::False)
				return result;
			if (result.kind == MatchResult::ServerRequired)
			{
				if (reason == Unresolved::None && !serverRequired)
				{
					serverRequired = true;
					serverReason = result.reason;
				}
				reason = pickUnresolved(reason, result.reason);
			}
			else if (result.kind == MatchResult::Inconclusive)
			{
				reason = pickUnresolved(reason, result.reason);
				regex = regex || result.regex;
			}
		}
		if (serverRequired)
			return MatchResult::server(serverReason);
		if (reason != Unresolved::None)
			return MatchResult::inconclusive(reason, regex);
		if (!condition.hasRollout)
			return MatchResult::of(true);
	}
	if (outsideRollout(flag, condition, bucketing))
	{
		outOfRollout = true;
		if (_explain)
			explain(flag, "  outside the rollout of " + std::to_string(condition.rollout) + "%");
		return MatchResult::of(false);
	}
	return MatchResult::of(true);
}

bool EvaluationRun::outsideRollout(const FlagDefinition& flag, const Condition& condition,
                                   const std::string& bucketing)
{
	// The hash is at most 1, so a rollout of 100% or more admits everyone without hashing; the
	// conditions of one flag share their rollout hash, computed once per bucketing value.
	if (!condition.hasRollout || condition.rollout >= 100)
		return false;
	if (_rolloutFlag != &flag || _rolloutBucketing != &bucketing)
	{
		_rolloutFlag = &flag;
		_rolloutBucketing = &bucketing;
		_rolloutHash = FlagHash::hash(flag.hashPrefix, bucketing, "");
	}
	return _rolloutHash > condition.rollout / 100.0;
}

FlagChoice EvaluationRun::matchedValue(const FlagDefinition& flag, const Condition& condition,
                                       const std::string& bucketing) const
{
	if (!condition.variant.empty())
		return FlagChoice(condition.variant);
	if (flag.variants.empty())
		return FlagChoice(true);
	const double hash = FlagHash::hash(flag.hashPrefix, bucketing, "variant");
	for (const Variant& variant : flag.variants)
	{
		if (hash >= variant.min && hash < variant.max)
			return FlagChoice(variant.key);
	}
	return FlagChoice(true);
}

MatchResult EvaluationRun::matchFilter(const PropertyFilter& filter, const PropertyIndex& properties)
{
	switch (filter.kind)
	{
	case PropertyFilter::Cohort:
		return CohortMatcher::match(*this, filter, properties);
	case PropertyFilter::Flag:
		return matchDependency(filter);
	default:
		break;
	}
	MatchResult answer;
	if (properties.recall(filter.answerSlot, answer))
		return answer;
	answer = PropertyMatcher::match(filter, properties, _definitions.propertyMatchingVersion(), _now);
	properties.remember(filter.answerSlot, answer);
	return answer;
}

MatchResult EvaluationRun::matchDependency(const PropertyFilter& filter)
{
	if (!filter.hasChain || filter.chain.empty())
		return MatchResult::inconclusive(Unresolved::UnsupportedDefinition);
	for (int index : filter.chain)
	{
		if (index < 0)
			return MatchResult::inconclusive(Unresolved::UnsupportedDefinition);
	}
	if (_cache.empty())
		_cache.resize(_definitions.size());
	for (int index : filter.chain)
	{
		MatchResult failure;
		if (!resolveDependency(index, failure))
			return failure;
	}
	if (filter.target < 0 || _cache[static_cast<std::size_t>(filter.target)].state != CacheState::Done)
		return MatchResult::of(false);
	const FlagChoice& value = _cache[static_cast<std::size_t>(filter.target)].value;
	switch (filter.expected)
	{
	case PropertyFilter::ExpectBool:
		return MatchResult::of(filter.expectedBool ? value.isEnabled()
		                                           : (value.hasValue() && !value.isEnabled()));
	case PropertyFilter::ExpectString:
		return MatchResult::of(value.isVariant() && value.variant() == filter.expectedString);
	default:
		return MatchResult::of(false);
	}
}

bool EvaluationRun::resolveDependency(int index, MatchResult& failure)
{
	CacheEntry& entry = _cache[static_cast<std::size_t>(index)];
	if (entry.state == CacheState::Done)
		return true;
	if (entry.state == CacheState::Failed)
	{
		failure = entry.failure;
		return false;
	}
	if (entry.state == CacheState::Running || _depth >= kMaxDependencyDepth)
	{
		failure = MatchResult::inconclusive(Unresolved::UnresolvedDependency);
		return false;
	}
	entry.state = CacheState::Running;
	++_depth;
	const FlagOutcome outcome = evaluate(index);
	--_depth;
	CacheEntry& done = _cache[static_cast<std::size_t>(index)];
	if (outcome.kind == MatchResult::True)
	{
		done.state = CacheState::Done;
		done.value = outcome.value;
		return true;
	}
	done.state = CacheState::Failed;
	done.failure = outcome.kind == MatchResult::ServerRequired
	                   ? MatchResult::server(Unresolved::UnresolvedDependency)
	                   : MatchResult::inconclusive(Unresolved::UnresolvedDependency, outcome.regex);
	failure = done.failure;
	return false;
}

void EvaluationRun::explain(const FlagDefinition& flag, const std::string& text) const
{
	if (_explain)
		_explain->line(flag.key, text);
}

std::string EvaluationRun::describe(const PropertyFilter& filter, const MatchResult& result) const
{
	std::string text;
	if (filter.kind == PropertyFilter::Cohort)
		text = "cohort " + filter.valueText;
	else if (filter.kind == PropertyFilter::Flag)
		text = "flag '" + filter.key + "'";
	else
		text = "'" + filter.key + "' " + (filter.operatorName.empty() ? "exact" : filter.operatorName) + " " +
		       filter.valueText;
	text += ": ";
	text += kindName(result);
	if (!result.decided())
		text += std::string(" (") + unresolvedName(result.reason) + ")";
	if (!filter.unsupported.empty())
		text += ": " + filter.unsupported;
	return text;
}

} // namespace PostHog
