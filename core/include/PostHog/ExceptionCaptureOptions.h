//
// ExceptionCaptureOptions.h
//
// The optional parts of a Client::captureException() call.
//

#ifndef PostHog_ExceptionCaptureOptions_INCLUDED
#define PostHog_ExceptionCaptureOptions_INCLUDED

#include "PostHog/EventOptions.h"
#include "PostHog/PostHog.h"
#include <optional>
#include <string>

namespace PostHog
{

struct PostHog_API ExceptionCaptureOptions : public EventOptions
/// EventOptions (timestamp, uuid, groups, $set, personless) plus the typed overrides of the
/// exception metadata. Every field is optional: the defaults are those of a manual capture of a
/// caught exception ($exception_level "error", mechanism.type "generic", mechanism.handled true,
/// no $exception_source, no $exception_fingerprint). An invalid override (an unknown level, an
/// empty type) is ignored and the default used.
{
	std::string level;
	/// $exception_level: fatal, error, warning, log, info or debug; critical, alert and emergency
	/// become fatal, warn warning, notice info, trace debug.

	std::string fingerprint;
	/// $exception_fingerprint: groups every exception with the same value into one issue.

	std::optional<bool> handled;
	/// mechanism.handled of the outermost exception (false: it escaped the application).

	std::string mechanismType;
	/// mechanism.type of the outermost exception ("generic" by default; "middleware", "task",
	/// "signal", ... for integrations).

	std::string source;
	/// $exception_source: the integration that captured it, as "<technology>.<hook>".

	bool stacktrace = true;
	/// Attach the capturing thread's stack to the outermost exception. A C++ exception carries
	/// no stack of its own, so that stack is the SDK's and mechanism.synthetic is true; without
	/// it the entry has no stacktrace and synthetic is false.
};

} // namespace PostHog

#endif // PostHog_ExceptionCaptureOptions_INCLUDED
