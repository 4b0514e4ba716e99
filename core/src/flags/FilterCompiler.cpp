//
// FilterCompiler.cpp
//

#include "flags/FilterCompiler.h"
#include "Poco/Exception.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Stringifier.h"
#include "PostHog/Properties.h"
#include "flags/PropertyText.h"
#include <sstream>

namespace PostHog
{

namespace
{

using Poco::Dynamic::Var;
using JsonArray = Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringField(const Object& object, const std::string& key)
{
	const Var var = object.get(key);
	return var.isString() ? var.extract<std::string>() : std::string();
}

} // namespace

FilterCompiler::FilterCompiler(const FlagDefinitions& definitions) : _definitions(definitions) {}

PropertyFilter FilterCompiler::compile(const Var& filter) const
{
	PropertyFilter out;
	if (filter.isEmpty() || filter.type() != typeid(Object::Ptr))
	{
		out.unsupported = "a filter is not a JSON object";
		out.op = FlagOperator::Unknown;
		return out;
	}
	const Object::Ptr object = filter.extract<Object::Ptr>();
	out.key = stringField(*object, "key");
	out.operatorName = stringField(*object, "operator");
	const Var negation = object->get("negation");
	out.negation = negation.isBoolean() && negation.convert<bool>();
	const std::string type = stringField(*object, "type");
	const Var value = object->get("value");
	if (type == "cohort")
	{
		out.kind = PropertyFilter::Cohort;
		compileCohort(value, out);
	}
	else if (type == "flag")
	{
		out.kind = PropertyFilter::Flag;
		compileDependency(*object, value, out);
	}
	else
	{
		out.op = flagOperatorFromName(out.operatorName);
		compileProperty(value, out);
	}
	return out;
}

std::string FilterCompiler::answerKey(const Var& filter)
{
	if (filter.isEmpty() || filter.type() != typeid(Object::Ptr))
		return std::string();
	const Object::Ptr object = filter.extract<Object::Ptr>();
	std::ostringstream key;
	key << stringField(*object, "key") << '\0' << stringField(*object, "operator") << '\0';
	Poco::JSON::Stringifier::condense(object->get("value"), key);
	return key.str();
}

void FilterCompiler::compileProperty(const Var& raw, PropertyFilter& out) const
{
	if (out.op == FlagOperator::Unknown)
	{
		out.unsupported = "unknown operator '" + out.operatorName + "'";
		return;
	}
	Properties holder;
	try
	{
		Object::Ptr wrapper = new Object;
		wrapper->set("v", raw);
		holder = Properties::fromVar(Var(wrapper));
	}
	catch (const Poco::Exception&)
	{
		out.unsupported = "the filter value cannot be read";
		return;
	}
	const Value value = holder.get("v");
	PropertyText::appendString(value, out.valueText);
	out.valueAscii = out.valueText;
	PropertyText::asciiLower(out.valueAscii);
	switch (out.op)
	{
	case FlagOperator::Exact:
	case FlagOperator::IsNot:
		compileExact(value, out);
		break;
	case FlagOperator::Regex:
	case FlagOperator::NotRegex:
		out.regex = std::make_shared<FlagRegex>(out.valueText);
		break;
	case FlagOperator::Gt:
	case FlagOperator::Gte:
	case FlagOperator::Lt:
	case FlagOperator::Lte:
		compileOrdered(value, out);
		break;
	case FlagOperator::IsDateBefore:
	case FlagOperator::IsDateAfter:
		if (!out.date.parse(value))
			out.unsupported = "'" + out.valueText + "' is not a date";
		break;
	default:
		if (out.op >= FlagOperator::SemverEq)
			compileSemver(out);
		break;
	}
}

void FilterCompiler::compileExact(const Value& value, PropertyFilter& out) const
{
	out.valueIsBooleanLike = PropertyText::truthyOrFalsy(value);
	if ((_definitions.propertyMatchingVersion() != 2 && out.valueIsBooleanLike) ||
	    (value.isArray() && value.size() == 0))
	{
		out.exactTruthy = true;
		out.truthyValue = PropertyText::truthy(value);
		return;
	}
	std::string text;
	if (value.isArray())
	{
		for (const Value& element : value.elements())
		{
			if (!PropertyText::exactText(element, text))
			{
				out.unsupported = "an exact value has no unambiguous spelling";
				return;
			}
			out.exactLower.push_back(PropertyText::lower(text));
		}
		return;
	}
	if (!PropertyText::exactText(value, text))
	{
		out.unsupported = "the exact value has no unambiguous spelling";
		return;
	}
	out.exactLower.push_back(PropertyText::lower(text));
}

void FilterCompiler::compileOrdered(const Value& value, PropertyFilter& out) const
{
	if (value.isInt())
	{
		out.number = static_cast<double>(value.getInt());
		out.valueIsNumber = true;
	}
	else if (value.isDouble())
	{
		out.number = value.getDouble();
		out.valueIsNumber = std::isfinite(out.number);
	}
	else
		out.valueIsNumber = PropertyText::parseFloat(out.valueText, out.number);
}

void FilterCompiler::compileSemver(PropertyFilter& out) const
{
	bool parsed = false;
	switch (out.op)
	{
	case FlagOperator::SemverTilde:
		parsed = Semver::tildeBounds(out.valueText, out.lower, out.upper);
		break;
	case FlagOperator::SemverCaret:
		parsed = Semver::caretBounds(out.valueText, out.lower, out.upper);
		break;
	case FlagOperator::SemverWildcard:
		parsed = Semver::wildcardBounds(out.valueText, out.lower, out.upper);
		break;
	default:
		parsed = Semver::parse(out.valueText, out.lower);
		break;
	}
	if (!parsed)
		out.unsupported = "'" + out.valueText + "' is not a version";
}

void FilterCompiler::compileCohort(const Var& value, PropertyFilter& out) const
{
	std::string id;
	if (value.isString())
		id = value.extract<std::string>();
	else if (value.isNumeric() && !value.isBoolean())
		PropertyText::appendNumber(value.convert<double>(), id);
	out.valueText = id;
	const std::vector<Cohort>& cohorts = _definitions.cohorts();
	for (std::size_t i = 0; i < cohorts.size(); ++i)
	{
		if (cohorts[i].id == id)
			out.cohortIndex = static_cast<int>(i);
	}
	out.op = out.operatorName == "not_in" ? FlagOperator::IsNot : FlagOperator::Exact;
}

void FilterCompiler::compileDependency(const Object& filter, const Var& value, PropertyFilter& out) const
{
	out.target = _definitions.indexOf(out.key);
	if (value.isBoolean())
	{
		out.expected = PropertyFilter::ExpectBool;
		out.expectedBool = value.convert<bool>();
	}
	else if (value.isString())
	{
		out.expected = PropertyFilter::ExpectString;
		out.expectedString = value.extract<std::string>();
	}
	const Var chain = filter.get("dependency_chain");
	if (chain.isEmpty() || chain.type() != typeid(JsonArray::Ptr))
		return;
	out.hasChain = true;
	const JsonArray::Ptr keys = chain.extract<JsonArray::Ptr>();
	for (std::size_t i = 0; i < keys->size(); ++i)
	{
		const Var key = keys->get(static_cast<unsigned>(i));
		out.chain.push_back(key.isString() ? _definitions.indexOf(key.extract<std::string>()) : -1);
	}
}

} // namespace PostHog
