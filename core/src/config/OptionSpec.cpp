//
// OptionSpec.cpp
//

#include "PostHog/OptionSpec.h"
#include "Poco/NumberFormatter.h"
#include <cmath>

namespace PostHog
{

OptionSpec::OptionSpec(std::string name_, Type type_, std::string defaultValue_, std::string description_,
                       double min_, double max_)
    : name(std::move(name_)), type(type_), defaultValue(std::move(defaultValue_)),
      description(std::move(description_)), min(min_), max(max_)
{
}

OptionSpec OptionSpec::makeEnum(std::string name, std::string choices, std::string defaultValue,
                                std::string description)
{
	OptionSpec spec(std::move(name), Enum, std::move(defaultValue), std::move(description));
	spec.choices = std::move(choices);
	return spec;
}

OptionSpec OptionSpec::makeRequired(std::string name, Type type, std::string description)
{
	OptionSpec spec(std::move(name), type, "", std::move(description));
	spec.required = true;
	return spec;
}

OptionSpec OptionSpec::withUnit(std::string unit_) const
{
	OptionSpec spec(*this);
	spec.unit = std::move(unit_);
	return spec;
}

std::string OptionSpec::defaultText() const
{
	return required ? std::string("required") : defaultValue;
}

const char* OptionSpec::typeName(Type type) noexcept
{
	switch (type)
	{
	case String:
		return "string";
	case Int:
		return "int";
	case Double:
		return "double";
	case Bool:
		return "bool";
	case List:
		return "list";
	case Prefix:
		return "prefix";
	case Enum:
		return "enum";
	}
	return "string";
}

namespace
{

std::string formatBound(double v)
{
	if (std::floor(v) == v && std::fabs(v) < 1e15)
		return Poco::NumberFormatter::format(static_cast<Poco::Int64>(v));
	return Poco::NumberFormatter::format(v);
}

std::string range(const OptionSpec& spec)
{
	bool hasMin = std::isfinite(spec.min), hasMax = std::isfinite(spec.max);
	if (hasMin && hasMax)
		return " between " + formatBound(spec.min) + " and " + formatBound(spec.max);
	if (hasMin)
		return " of at least " + formatBound(spec.min);
	if (hasMax)
		return " of at most " + formatBound(spec.max);
	return "";
}

} // namespace

std::string OptionSpec::expected() const
{
	switch (type)
	{
	case String:
		return "a string";
	case Int:
		return (unit.empty() ? std::string("an integer") : "a number of " + unit) + range(*this);
	case Double:
		return "a number" + range(*this);
	case Bool:
		return "true or false";
	case List:
		return "a comma-separated list";
	case Prefix:
		return "sub-keys " + name + ".<name> = <value>";
	case Enum:
		return "one of " + choices;
	}
	return "a value";
}

} // namespace PostHog
