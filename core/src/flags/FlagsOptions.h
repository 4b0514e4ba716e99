//
// FlagsOptions.h
//
// The feature flag settings of a client: posthog.personalApiKey and posthog.flags.*.
//

#ifndef PostHog_FlagsOptions_INCLUDED
#define PostHog_FlagsOptions_INCLUDED

#include "Poco/Timespan.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/OptionSpec.h"
#include <functional>
#include <string>

namespace PostHog
{

struct FlagsOptions
/// The feature flag keys, declared once in table() (name, type, default, description, range)
/// and read by fromConfiguration(); applyTo() copies them into the public ClientOptions fields
/// an application can also set in code.
{
	std::string personalApiKey;
	Poco::Timespan pollInterval = Poco::Timespan(30 * Poco::Timespan::SECONDS);
	Poco::Timespan requestTimeout = Poco::Timespan(3 * Poco::Timespan::SECONDS);
	int retries = 1;
	std::string sharedCache;
	std::string definitionsFile;
	std::size_t calledCacheSize = 50000;

	static const OptionTable& table();
	/// posthog.personalApiKey and the posthog.flags.* keys (names relative to "posthog.").

	static FlagsOptions fromConfiguration(const Poco::Util::AbstractConfiguration& config);
	/// Reads the keys of table(); missing keys keep their defaults. Throws ConfigurationException
	/// naming the key and the value for a value of the wrong type or range.

	static FlagsOptions fromClientOptions(const ClientOptions& options);
	void validate(const std::function<void(const std::string&)>& fail) const;
	/// Calls fail with one sentence for the first value out of its range (options set in code).
	void applyTo(ClientOptions& options) const;
};

} // namespace PostHog

#endif // PostHog_FlagsOptions_INCLUDED
