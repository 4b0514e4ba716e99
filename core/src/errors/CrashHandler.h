//
// CrashHandler.h
//
// Process-wide hooks of exception autocapture: std::terminate, Poco::ErrorHandler, fatal signals.
//

#ifndef PostHog_CrashHandler_INCLUDED
#define PostHog_CrashHandler_INCLUDED

#include <string>

namespace PostHog
{

class ErrorTracker;

class CrashHandler
/// Installed once per process by the first client with posthog.exceptions.autocapture = true
/// (from ClientSubsystem::initialize() in a Poco Application, which runs after the Application
/// constructor installed Poco's own SignalHandler, so ours is not replaced). Three hooks:
///
/// - std::set_terminate: an uncaught exception is captured through the current client as a
///   fatal, unhandled $exception (mechanism "onuncaughtexception", source "cpp.std_terminate")
///   and flushed for up to two seconds, then the previous terminate handler runs.
/// - Poco::ErrorHandler: an exception escaping a Poco thread is captured (level error, unhandled,
///   source "poco.error_handler"), then passed to the previous handler.
/// - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, on an alternate stack (a stack overflow still
///   reports): the handler writes a CrashRecord (raw program counters and the module map; only
///   async-signal-safe calls, backtrace() having been primed at install), resets the signal to
///   SIG_DFL and raises it again, so the process dies as it would have. The next client start
///   sends the record (ErrorTracker::sendPendingCrashes).
///
/// At most one crash is recorded per process: a terminate that aborts is not recorded again by
/// the SIGABRT it raises.
{
public:
	static void install(const std::string& crashDir);
	/// Idempotent; the crash directory of the latest call is used.

	static void setTarget(ErrorTracker* tracker) noexcept;
	/// The tracker (and client) terminate and ErrorHandler captures go to; nullptr for none.
	static void clearTarget(ErrorTracker* tracker) noexcept;
	/// setTarget(nullptr) if tracker is the current target.

private:
	static void onSignal(int signal);
	static void onTerminate();
};

} // namespace PostHog

#endif // PostHog_CrashHandler_INCLUDED
