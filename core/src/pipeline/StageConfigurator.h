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
/// Applies a stage's OptionTable to its section of the configuration before configure(): the
/// unknown-key check, the value checks of ConfigMap, required options and the defaults.
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

	static void checkKeys(const std::string& where, const OptionTable& table,
	                      const Poco::Util::AbstractConfiguration::Ptr& stageConfig);
	/// Throws ConfigurationException for a key the table does not declare (with a hint when it
	/// differs only in case) or a value of the wrong type or range.

	static bool isReservedKey(const std::string& key);
	/// library, class and onError: the pipeline's keys in every stage section.
};

} // namespace PostHog

#endif // PostHog_StageConfigurator_INCLUDED
