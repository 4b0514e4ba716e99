//
// DefinitionsParser.cpp
//

#include "flags/DefinitionsParser.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Parser.h"
#include "Poco/JSON/Stringifier.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Properties.h"
#include "flags/FilterCompiler.h"
#include "flags/PropertyText.h"
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace PostHog
{

namespace
{

const int kMaxCohortDepth = 32;

using Poco::Dynamic::Var;
using JsonArray = Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr asObject(const Var& var)
{
	if (!var.isEmpty() && var.type() == typeid(Object::Ptr))
		return var.extract<Object::Ptr>();
	return nullptr;
}

JsonArray::Ptr asArray(const Var& var)
{
	if (!var.isEmpty() && var.type() == typeid(JsonArray::Ptr))
		return var.extract<JsonArray::Ptr>();
	return nullptr;
}

/// JavaScript truthiness of a JSON value.
bool truthy(const Var& var)
{
	if (var.isEmpty())
		return false;
	try
	{
		if (var.isBoolean())
			return var.convert<bool>();
		if (var.isNumeric())
			return var.convert<double>() != 0;
		if (var.isString())
			return !var.extract<std::string>().empty();
	}
	catch (const Poco::Exception&)
	{
		return false;
	}
	return true;
}

/// An explicit JSON boolean: 1 for true, 0 for false, -1 for anything else (absent included).
signed char boolean(const Var& var)
{
	if (var.isEmpty() || !var.isBoolean())
		return -1;
	return var.extract<bool>() ? 1 : 0;
}

/// A JSON number, or a string that is one number (JavaScript's Number()).
bool number(const Var& var, double& out)
{
	if (var.isEmpty() || var.isBoolean())
		return false;
	try
	{
		if (var.isNumeric())
		{
			out = var.convert<double>();
			return std::isfinite(out);
		}
		if (var.isString())
		{
			const std::string text = var.extract<std::string>();
			char* end = nullptr;
			out = std::strtod(text.c_str(), &end);
			return !text.empty() && end && *end == '\0' && std::isfinite(out);
		}
	}
	catch (const Poco::Exception&)
	{
	}
	return false;
}

std::string string(const Object& object, const std::string& key)
{
	const Var var = object.get(key);
	if (var.isString())
		return var.extract<std::string>();
	return std::string();
}

long integer(const Object& object, const std::string& key)
{
	double value = 0;
	return number(object.get(key), value) ? static_cast<long>(value) : 0;
}

std::string jsonText(const Var& var)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(var, out);
	return out.str();
}

bool decodePayload(const std::string& raw, std::string& text)
{
	// A payload is any JSON value encoded as a string. Poco's parser takes only an object or an
	// array at the top, so the value is parsed as the one element of an array.
	try
	{
		Poco::JSON::Parser parser;
		const Poco::JSON::Array::Ptr parsed = parser.parse("[" + raw + "]").extract<Poco::JSON::Array::Ptr>();
		if (!parsed || parsed->size() != 1)
			return false;
		text = jsonText(parsed->get(0));
		return true;
	}
	catch (const Poco::Exception&)
	{
		return false;
	}
}

} // namespace

DefinitionsParser::DefinitionsParser(FlagDefinitions& target) : _target(target) {}

void DefinitionsParser::parse(const std::string& json)
{
	Var root;
	try
	{
		Poco::JSON::Parser parser;
		root = parser.parse(json);
	}
	catch (const Poco::Exception& e)
	{
		// Poco's message may quote the input, line breaks included: keep the sentence on one line.
		std::string reason = e.message();
		for (char& c : reason)
		{
			if (static_cast<unsigned char>(c) < 0x20)
				c = ' ';
		}
		throw DataException("Feature flag definitions are not valid JSON: " + reason + ".");
	}
	const Object::Ptr object = asObject(root);
	if (!object)
		throw DataException("Feature flag definitions must be a JSON object with a \"flags\" array.");
	const JsonArray::Ptr flags = asArray(object->get("flags"));
	if (!flags)
		throw DataException("Feature flag definitions have no \"flags\" array.");
	double version = 0;
	if (number(object->get("property_matching_version"), version) ||
	    number(object->get("propertyMatchingVersion"), version))
		_target._propertyMatchingVersion = static_cast<int>(version);
	_target._minimalFlagCalledEvents = boolean(object->get("minimal_flag_called_events")) == 1;
	readIndex(*flags);
	readGroupTypes(*object);
	readCohorts(*object);
	_target._flags.resize(flags->size());
	for (std::size_t i = 0; i < flags->size(); ++i)
	{
		FlagDefinition& flag = _target._flags[i];
		const Object::Ptr flagObject = asObject(flags->get(static_cast<unsigned>(i)));
		if (flagObject)
			readFlag(*flagObject, flag);
		else
			flag.key = "";
	}
}

void DefinitionsParser::readIndex(const JsonArray& flags)
{
	for (std::size_t i = 0; i < flags.size(); ++i)
	{
		const Object::Ptr flag = asObject(flags.get(static_cast<unsigned>(i)));
		if (flag)
			_target._index[string(*flag, "key")] = static_cast<int>(i);
	}
}

void DefinitionsParser::readGroupTypes(const Object& root)
{
	Object::Ptr mapping = asObject(root.get("group_type_mapping"));
	if (!mapping)
		mapping = asObject(root.get("groupTypeMapping"));
	if (!mapping)
		return;
	for (const std::string& name : mapping->getNames())
	{
		const Var value = mapping->get(name);
		char* end = nullptr;
		const long index = std::strtol(name.c_str(), &end, 10);
		if (value.isString() && end && *end == '\0' && !name.empty() && !value.extract<std::string>().empty())
			_target._groupTypes[static_cast<int>(index)] = value.extract<std::string>();
	}
}

void DefinitionsParser::readCohorts(const Object& root)
{
	const Object::Ptr cohorts = asObject(root.get("cohorts"));
	if (!cohorts)
		return;
	const std::vector<std::string> names = cohorts->getNames();
	// Ids first, so that a cohort filter inside a cohort finds any cohort by index.
	_target._cohorts.resize(names.size());
	for (std::size_t i = 0; i < names.size(); ++i)
		_target._cohorts[i].id = names[i];
	for (std::size_t i = 0; i < names.size(); ++i)
		_target._cohorts[i].root = readCohortGroup(cohorts->get(names[i]), 0);
}

CohortGroup DefinitionsParser::readCohortGroup(const Var& group, int depth)
{
	CohortGroup result;
	const Object::Ptr object = asObject(group);
	if (!object || object->size() == 0)
	{
		result.empty = true;
		return result;
	}
	const std::string type = string(*object, "type");
	if (depth > kMaxCohortDepth)
		result.unsupportedType = "nesting deeper than " + std::to_string(kMaxCohortDepth);
	else if (type == "OR")
		result.isAnd = false;
	else if (type != "AND" && type != "property")
		result.unsupportedType = type.empty() ? "(none)" : type;
	const JsonArray::Ptr values = asArray(object->get("values"));
	if (!values || !result.unsupportedType.empty())
		return result;
	const Object::Ptr first = values->size() ? asObject(values->get(0)) : nullptr;
	const bool nested = first && first->has("values");
	for (std::size_t i = 0; i < values->size(); ++i)
	{
		const Var value = values->get(static_cast<unsigned>(i));
		if (nested)
			result.groups.push_back(readCohortGroup(value, depth + 1));
		else
			result.filters.push_back(readFilter(value));
	}
	return result;
}

void DefinitionsParser::readFlag(const Object& flag, FlagDefinition& out)
{
	out.key = string(flag, "key");
	out.hashPrefix = out.key + ".";
	out.id = integer(flag, "id");
	out.version = integer(flag, "version");
	out.active = truthy(flag.get("active"));
	out.experienceContinuity = truthy(flag.get("ensure_experience_continuity"));
	out.deviceBucketing = string(flag, "bucketing_identifier") == "device_id";
	out.hasExperiment = boolean(flag.get("has_experiment"));
	const Object::Ptr filters = asObject(flag.get("filters"));
	if (filters)
		readFilters(*filters, out);
}

void DefinitionsParser::readFilters(const Object& filters, FlagDefinition& out)
{
	double index = 0;
	const Var aggregation = filters.get("aggregation_group_type_index");
	if (number(aggregation, index))
	{
		out.hasAggregation = true;
		out.aggregationIndex = static_cast<int>(index);
	}
	out.earlyExit = truthy(filters.get("early_exit"));
	const Object::Ptr multivariate = asObject(filters.get("multivariate"));
	const JsonArray::Ptr variants = multivariate ? asArray(multivariate->get("variants")) : nullptr;
	double cumulative = 0;
	for (std::size_t i = 0; variants && i < variants->size(); ++i)
	{
		const Object::Ptr variant = asObject(variants->get(static_cast<unsigned>(i)));
		if (!variant)
			continue;
		double percentage = 0;
		number(variant->get("rollout_percentage"), percentage);
		Variant entry;
		entry.key = string(*variant, "key");
		entry.min = cumulative;
		entry.max = cumulative + percentage / 100.0;
		cumulative = entry.max;
		out.variants.push_back(std::move(entry));
	}
	const JsonArray::Ptr groups = asArray(filters.get("groups"));
	if (groups)
		readConditions(*groups, out);
	const Object::Ptr payloads = asObject(filters.get("payloads"));
	if (payloads)
		readPayloads(*payloads, out);
	readHoldout(filters.get("holdout"), out);
}

void DefinitionsParser::readConditions(const JsonArray& groups, FlagDefinition& out)
{
	for (std::size_t i = 0; i < groups.size(); ++i)
	{
		Condition condition;
		const Object::Ptr group = asObject(groups.get(static_cast<unsigned>(i)));
		if (group)
		{
			const JsonArray::Ptr properties = asArray(group->get("properties"));
			for (std::size_t p = 0; properties && p < properties->size(); ++p)
				condition.filters.push_back(readFilter(properties->get(static_cast<unsigned>(p))));
			condition.hasRollout = number(group->get("rollout_percentage"), condition.rollout);
			const std::string variant = string(*group, "variant");
			for (const Variant& defined : out.variants)
			{
				if (!variant.empty() && defined.key == variant)
					condition.variant = variant;
			}
			if (group->has("aggregation_group_type_index"))
			{
				double index = 0;
				if (number(group->get("aggregation_group_type_index"), index))
				{
					condition.aggregation = Condition::Index;
					condition.aggregationIndex = static_cast<int>(index);
				}
				else
					condition.aggregation = Condition::Null;
			}
		}
		out.conditions.push_back(std::move(condition));
	}
}

void DefinitionsParser::readPayloads(const Object& payloads, FlagDefinition& out)
{
	for (const std::string& name : payloads.getNames())
	{
		const Var value = payloads.get(name);
		if (!truthy(value))
			continue;
		std::string text;
		if (value.isString())
		{
			if (!decodePayload(value.extract<std::string>(), text))
				continue; // a payload that is not JSON is treated as missing
		}
		else
			text = jsonText(value);
		out.payloads.emplace_back(name, std::move(text));
	}
}

void DefinitionsParser::readHoldout(const Var& holdout, FlagDefinition& out)
{
	const Object::Ptr object = asObject(holdout);
	double percentage = 0;
	if (!object || object->get("id").isEmpty() || !number(object->get("exclusion_percentage"), percentage))
		return;
	std::string id;
	const Var idVar = object->get("id");
	double numericId = 0;
	if (idVar.isString())
		id = idVar.extract<std::string>();
	else if (number(idVar, numericId))
		PropertyText::appendNumber(numericId, id);
	else
		return;
	out.hasHoldout = true;
	out.holdoutPercentage = std::min(std::max(percentage, 0.0), 100.0);
	out.holdoutVariant = "holdout-" + id;
}

PropertyFilter DefinitionsParser::readFilter(const Var& filter)
{
	PropertyFilter result = FilterCompiler(_target).compile(filter);
	if (result.kind == PropertyFilter::Flag)
		_target._hasDependencies = true;
	const std::string key = result.kind == PropertyFilter::Property ? FilterCompiler::answerKey(filter) : "";
	if (!key.empty())
	{
		result.answerSlot = _answerSlots.emplace(key, static_cast<int>(_answerSlots.size())).first->second;
		_target._answerSlots = _answerSlots.size();
	}
	return result;
}

} // namespace PostHog
