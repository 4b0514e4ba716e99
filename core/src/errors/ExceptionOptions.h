//
// ExceptionOptions.h
//
// The posthog.exceptions.* configuration keys of error tracking.
//

#ifndef PostHog_ExceptionOptions_INCLUDED
#define PostHog_ExceptionOptions_INCLUDED

#include "PostHog/ClientOptions.h"
#include "PostHog/OptionSpec.h"
#include <string>

namespace PostHog
{

struct ExceptionOptions
/// Error tracking's settings, declared once in table() (name, type, default, description) and
/// read from a Poco configuration by fromConfiguration(); applyTo() copies them into the
/// matching ClientOptions fields.
{
	bool autocapture = false;
	/// posthog.exceptions.autocapture: install the std::terminate handler, a Poco::ErrorHandler and
	/// the fatal-signal handlers when the client starts.
	std::string crashDir;
	/// posthog.exceptions.crashDir: where a crash record is written and read back on the next start.
	int rateLimit = 10;
	/// posthog.exceptions.rateLimit: $exception events per exception type per minute; 0 = no limit.
	int contextLines = 5;
	/// posthog.exceptions.contextLines: source lines on each side of a frame's line (0..10; 0 = none).

	static ExceptionOptions fromConfiguration(const Poco::Util::AbstractConfiguration& config);
	/// Throws ConfigurationException naming key and value for a wrong value.

	static const OptionTable& table();

	void applyTo(ClientOptions& options) const;

	static std::string resolveCrashDir(const ClientOptions& options);
	/// exceptionCrashDir, else the spool directory's "crashes" folder, else
	/// $XDG_CACHE_HOME/posthog-cpp/crashes (~/.cache/posthog-cpp/crashes), else
	/// /tmp/posthog-cpp-<uid>/crashes.
};

} // namespace PostHog

#endif // PostHog_ExceptionOptions_INCLUDED
