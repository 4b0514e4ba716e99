//
// ClientKeys.h
//
// The declaration of every posthog.* configuration key, in sections of OptionSpecs.
//

#ifndef PostHog_ClientKeys_INCLUDED
#define PostHog_ClientKeys_INCLUDED

#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ConfigMap.h"
#include "PostHog/OptionSpec.h"
#include "PostHog/PostHog.h"
#include <string>
#include <vector>

namespace PostHog
{

class PostHog_API ClientKeys
/// The client's own configuration keys, declared as option tables like every stage's: one
/// Section per subsystem, a key prefix and its OptionTable. The same table gives the defaults
/// and ranges ClientOptions::fromConfiguration() reads with, the unknown-key check, the
/// listing of posthog-send --list-options and the README's settings table (a test compares
/// them).
///
/// Adding keys: declare the subsystem's table (a function returning an OptionTable, next to
/// the code that reads it) and add one line to the list in core/src/config/ClientKeys.cpp:
///
///     {"posthog.flags", "feature flags", flagOptions()},
///
/// Several sections may share a prefix (a subsystem adding a top-level posthog.<name> key adds
/// a section with prefix "posthog"). An option's name may contain dots. Keys under
/// posthog.pipeline.<stage> belong to the stages and are checked by Pipeline::build().
{
public:
	struct Section
	/// The keys <prefix>.<name> for every option of the table.
	{
		std::string prefix;  /// "posthog.batch"
		std::string title;   /// what the keys configure, for listings: "batching"
		OptionTable options; /// one row per key
	};

	static const std::vector<Section>& sections();
	/// Every section, in the order listings show them.

	static OptionTable table(const std::string& prefix);
	/// The options of every section with this prefix.

	static ConfigMap read(const Poco::Util::AbstractConfiguration& config, const std::string& prefix);
	/// Typed reads of the keys <prefix>.<name>; errors name the full key.

	static OptionSpec spec(const std::string& key);
	/// The declaration of a full key ("posthog.batch.size"), with the full key as its name.
	/// Throws NotFoundException for a key no section declares.

	static std::vector<std::string> names();
	/// Every declared key, in full ("posthog.batch.size"; a Prefix option as "posthog.x.<name>").

	static void check(const Poco::Util::AbstractConfiguration& config);
	/// Throws ConfigurationException for the first posthog.* key of config that no section
	/// declares, naming it and the nearest declared key: "posthog.batch.sise is not a
	/// configuration key; did you mean posthog.batch.size?". Stage sections
	/// (posthog.pipeline.<stage>.*) are left to Pipeline::build().
};

} // namespace PostHog

#endif // PostHog_ClientKeys_INCLUDED
