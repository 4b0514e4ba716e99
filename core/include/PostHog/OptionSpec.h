//
// OptionSpec.h
//
// The declaration of one middleware option: name, type, default, description.
//

#ifndef PostHog_OptionSpec_INCLUDED
#define PostHog_OptionSpec_INCLUDED

#include "PostHog/PostHog.h"
#include <limits>
#include <string>
#include <vector>

namespace PostHog
{

struct PostHog_API OptionSpec
/// One row of a stage's option table, in the way of Fluent Bit's config maps: a plugin declares
/// its options once, and that one table gives the defaults, the checks (an unknown key or a
/// value of the wrong type or range is refused with a message naming stage, key and value),
/// and the option list that posthog-send --list-plugins and the README print.
///
///     const std::vector<OptionSpec>& SamplingMiddleware::options() const
///     {
///         static const std::vector<OptionSpec> table = {
///             {"rate", OptionSpec::Double, "1", "share of distinct ids kept, 0..1", 0, 1},
///             {"seed", OptionSpec::Int, "0", "hash seed"},
///         };
///         return table;
///     }
{
	enum Type
	{
		String,
		Int,
		Double,
		Bool,
		List,   /// comma-separated strings
		Prefix, /// a group of free sub-keys: <name>.<anything> = value (e.g. properties.plan = pro)
		Enum    /// one of the comma-separated words in `choices`
	};

	std::string name;
	Type type = String;
	std::string defaultValue;
	std::string description;
	double min = -std::numeric_limits<double>::infinity(); /// Int and Double only
	double max = std::numeric_limits<double>::infinity();  /// Int and Double only
	std::string choices;                                    /// Enum only: "drop,pass"

	OptionSpec() = default;
	OptionSpec(std::string name, Type type, std::string defaultValue, std::string description,
	    double min = -std::numeric_limits<double>::infinity(), double max = std::numeric_limits<double>::infinity());
	static OptionSpec makeEnum(std::string name, std::string choices, std::string defaultValue, std::string description);

	static const char* typeName(Type type) noexcept;
	/// "string", "int", "double", "bool", "list", "prefix", "enum".

	std::string expected() const;
	/// What a valid value looks like, for error messages: "a number between 0 and 1".
};

using OptionTable = std::vector<OptionSpec>;

} // namespace PostHog

#endif // PostHog_OptionSpec_INCLUDED
