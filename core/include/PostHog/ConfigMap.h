//
// ConfigMap.h
//
// Typed reads of the keys an OptionTable declares: the one configuration engine of the client
// and of every stage.
//

#ifndef PostHog_ConfigMap_INCLUDED
#define PostHog_ConfigMap_INCLUDED

#include "Poco/Timespan.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/OptionSpec.h"
#include "PostHog/PostHog.h"
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

class PostHog_API ConfigMap
/// Reads configuration keys through the OptionSpec that declares them, in the way of Fluent
/// Bit's config maps: a missing key gives the declared default, a present one is checked
/// against the declared type and range, and lists and key:value maps are split the same way
/// for every caller. The client reads its posthog.* keys with it (prefix "posthog.batch"),
/// and a stage reads its own view in configure():
///
///     void configure(const Poco::Util::AbstractConfiguration& config) override
///     {
///         PostHog::ConfigMap map(config, options());
///         _events = map.getList("events");         // "a, b" or ["a", "b"]
///         _rates = map.getPairs("eventRates");     // "signup:1, pageview:0.1"
///         _tags = map.getPrefix("properties");     // properties.<name> = value
///     }
///
/// A wrong value throws ConfigurationException naming the key, the value and what was
/// expected: "posthog.batch.size = 'abc' is not an integer between 1 and 100000", or for a
/// stage "stage 'sampling': option 'rate' = '2' is not a number between 0 and 1".
{
public:
	using Pairs = std::vector<std::pair<std::string, std::string>>;

	ConfigMap(const Poco::Util::AbstractConfiguration& config, const OptionTable& table,
	          std::string prefix = "", std::string where = "");
	/// Keys are read as <prefix>.<name> (or <name> when prefix is empty). `where` names the
	/// owner in messages ("stage 'pii'"); empty: messages name the full key.

	const OptionSpec& spec(const std::string& name) const;
	/// The declaration of name. Throws NotFoundException for an undeclared name (a programming
	/// error, not a configuration one).

	bool isSet(const std::string& name) const;
	/// True when the configuration has the key (with any value).

	std::string getString(const std::string& name) const;
	Poco::Int64 getInt(const std::string& name) const;
	double getDouble(const std::string& name) const;
	bool getBool(const std::string& name) const;
	std::string getEnum(const std::string& name) const;
	/// One of the declared choices, lower-case.
	Poco::Timespan getMilliseconds(const std::string& name) const;
	/// An Int option counted in milliseconds.
	std::vector<std::string> getList(const std::string& name, const std::string& separators = ",") const;
	/// The trimmed, non-empty items of a list written "a, b" or as a JSON array ["a", "b"].
	Pairs getPairs(const std::string& name, const std::string& form = "<key>:<value>") const;
	/// The items of a list of left:right entries ("signup:1, pageview:0.1"), split at the last
	/// colon (event names may contain colons) and trimmed; a side may be empty. An entry without
	/// a colon is a ConfigurationException: "option 'eventRates' = '...': entry 'x' is not
	/// <event>:<rate>" (form names the shape in that message).
	Pairs getPrefix(const std::string& name) const;
	/// The sub-keys of a Prefix option: <name>.<sub> = value, as (sub, value) in key order; only
	/// keys with no sub-keys of their own.

	static bool parseBool(const std::string& text, bool& value);
	/// true/yes/on/1 and false/no/off/0 in any case, around spaces. False when text is neither.

	static std::vector<std::string> splitList(const std::string& text, const std::string& separators = ",");
	/// The trimmed, non-empty items of text split at any of separators; a JSON array is read
	/// as its elements.

	static void checkValue(const std::string& where, const OptionSpec& spec, const std::string& value);
	/// Throws ConfigurationException("<where>: option '<name>' = '<value>' is not <expected>"),
	/// or "<name> = '<value>' is not <expected>" when where is empty.

	static std::string nearest(const std::string& word, const std::vector<std::string>& candidates);
	/// The candidate closest to word by edit distance (case ignored), or "" when none is close
	/// enough to be a likely misspelling.

private:
	std::string key(const std::string& name) const;
	std::string raw(const std::string& name) const;
	std::string checked(const std::string& name) const;

	const Poco::Util::AbstractConfiguration& _config;
	OptionTable _table;
	std::string _prefix;
	std::string _where;
};

} // namespace PostHog

#endif // PostHog_ConfigMap_INCLUDED
