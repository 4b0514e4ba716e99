//
// StageConfigurator.h
//
// Checks a stage's configuration against its option table and supplies the defaults.
//

#ifndef PostHog_StageConfigurator_INCLUDED
#define PostHog_StageConfigurator_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/OptionSpec.h"
#include <string>

namespace PostHog
{

class StageConfigurator
/// Applies a stage's OptionTable to its configuration before configure() is called: refuses
/// an unknown key or a value of the wrong type or range with a message naming stage, key and
/// value, and fills in the defaults, so that every plugin sees a complete, checked view.
{
public:
	static Poco::AutoPtr<Poco::Util::AbstractConfiguration>
	prepare(const std::string& stage, const OptionTable& table,
	        const Poco::Util::AbstractConfiguration::Ptr& stageConfig);
	/// Checks every key of stageConfig (a view of posthog.pipeline.<stage>) against table, and
	/// returns a configuration in which every declared option has a value: the configured one,
	/// else the default. Throws ConfigurationException("stage 'x': ...") naming the key, the
	/// value and what was expected. The keys library, class and onError belong to the pipeline
	/// and are accepted for every stage.

	static bool isReservedKey(const std::string& key);

	static std::string joinJsonArray(const std::string& value, const std::string& separator);
	/// A list written as a JSON array (what JSONConfiguration returns for ["a", "b"]) as the
	/// plain form every other configuration format uses: "a, b" (with separator ", "). Any
	/// other value is returned as it is.

	static void checkValue(const std::string& where, const OptionSpec& spec, const std::string& value);
	/// Throws ConfigurationException("<where>: option '<name>' = '<value>' is not <expected>").
};

} // namespace PostHog

#endif // PostHog_StageConfigurator_INCLUDED
