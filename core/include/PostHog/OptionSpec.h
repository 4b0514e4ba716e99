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
/// and the option list that posthog-send --list-plugins and the README print. The client's own
/// posthog.* keys are declared the same way (PostHog/ClientKeys.h), and ConfigMap reads both.
///
///     const std::vector<OptionSpec>& SamplingMiddleware::options() const
///     {
///         static const std::vector<OptionSpec> table = {
///             {"rate", OptionSpec::Double, "1", "share of distinct ids kept, 0..1", 0, 1},
///             {"seed", OptionSpec::Int, "0", "hash seed"},
///             OptionSpec::makeRequired("salt", OptionSpec::String, "hash salt"),
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
	bool required = false; /// no default: the configuration must set a non-empty value
	std::string unit;      /// Int only, for messages: "milliseconds" ("a number of milliseconds between ...")

	OptionSpec() = default;
	OptionSpec(std::string name, Type type, std::string defaultValue, std::string description,
	    double min = -std::numeric_limits<double>::infinity(), double max = std::numeric_limits<double>::infinity());
	static OptionSpec makeEnum(std::string name, std::string choices, std::string defaultValue, std::string description);
	static OptionSpec makeRequired(std::string name, Type type, std::string description);
	/// An option without a default that the configuration must set:
	///     PostHog::OptionSpec::makeRequired("endpoint", PostHog::OptionSpec::String, "where to post")

	OptionSpec withUnit(std::string unit) const;
	/// A copy of this Int option measured in unit ("milliseconds"), named in messages.

	static const char* typeName(Type type) noexcept;
	/// "string", "int", "double", "bool", "list", "prefix", "enum".

	std::string expected() const;
	/// What a valid value looks like, for error messages: "a number between 0 and 1".

	std::string defaultText() const;
	/// The default as listings show it: "required" for a required option, else the default.
};

using OptionTable = std::vector<OptionSpec>;

} // namespace PostHog

#endif // PostHog_OptionSpec_INCLUDED
