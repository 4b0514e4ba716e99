//
// Client.h
//
// The public face of posthog-cpp.
//

#ifndef PostHog_Client_INCLUDED
#define PostHog_Client_INCLUDED

#include "Poco/Timespan.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/ClientStatistics.h"
#include "PostHog/EventOptions.h"
#include "PostHog/ExceptionCaptureOptions.h"
#include "PostHog/FeatureFlagEvaluations.h"
#include "PostHog/FeatureFlagResult.h"
#include "PostHog/FlagOptions.h"
#include "PostHog/FlagValue.h"
#include "PostHog/LogFacade.h"
#include "PostHog/LogRecord.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include "PostHog/Uuid.h"
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace Poco
{
namespace Util
{
class AbstractConfiguration;
}
} // namespace Poco

namespace PostHog
{

class ClientImpl;
class ErrorTracker;
class ExceptionEventBuilder;
class Pipeline;

class PostHog_API Client
/// Records what users do and sends it to PostHog:
///
///     PostHog::Client client(options);   // or Client(config) from any Poco configuration
///     client.capture("user-42", "movie played", {{"title", "Heat"}, {"minutes", 170}});
///     client.identify("user-42", {{"email", "ada@example.com"}});
///
/// Every call builds a Message and queues it; nothing else happens on the caller's thread (no
/// I/O, no JSON, no lock held across anything slow). A background worker runs the middleware
/// pipeline, batches, and sends over HTTP(S) with gzip and retries.
///
/// Thread safety: every method may be called from any number of threads at once.
///
/// Bad input never throws: the call returns an empty uuid (capture, pageview) or false, and a
/// one-sentence reason goes to the error callback and the "PostHog" Poco::Logger.
{
public:
	enum class FlushResult
	{
		Delivered, /// everything queued before the call was delivered (or dropped by a stage)
		Failed,    /// everything was resolved, but some of it failed finally (see the error callback)
		TimedOut   /// the timeout passed first; what is left stays queued or retrying
	};

	explicit Client(ClientOptions options);
	/// Starts the worker. Throws ConfigurationException for bad options and PluginException or
	/// ConfigurationException for a pipeline that cannot be built.

	explicit Client(const Poco::Util::AbstractConfiguration& config);
	/// Client(ClientOptions::fromConfiguration(config)).

	~Client();
	/// Calls shutdown().

	Client(const Client&) = delete;
	Client& operator=(const Client&) = delete;

	Uuid capture(const std::string& distinctId, const std::string& event,
	             Properties properties = Properties());
	Uuid capture(const std::string& distinctId, const std::string& event, Properties properties,
	             const EventOptions& options);
	/// Queues an event. Returns its uuid (text when converted to std::string, see Uuid), empty
	/// when the call was rejected (empty distinct id or event name, malformed uuid, client
	/// disabled or shut down). A distinct id is required: for an event that should touch no
	/// person profile, set options.personless.

	bool identify(const std::string& distinctId, Properties properties = Properties());
	bool identify(const std::string& distinctId, Properties properties, const EventOptions& options);
	/// Sends $identify with properties as $set (and options.setOnce as $set_once).

	bool alias(const std::string& previousId, const std::string& newId);
	bool alias(const std::string& previousId, const std::string& newId, const EventOptions& options);
	/// Sends $create_alias: distinct_id = previousId, properties {distinct_id: previousId,
	/// alias: newId}. Both ids are required.

	bool groupIdentify(const std::string& groupType, const std::string& groupKey,
	                   Properties properties = Properties());
	bool groupIdentify(const std::string& groupType, const std::string& groupKey, Properties properties,
	                   const EventOptions& options, const std::string& distinctId = std::string());
	/// Sends $groupidentify with {$group_type, $group_key, $group_set: properties}. The
	/// distinct id is "$<groupType>_<groupKey>" unless one is given.

	Uuid pageview(const std::string& distinctId, const std::string& url,
	              Properties properties = Properties());
	Uuid pageview(const std::string& distinctId, const std::string& url, Properties properties,
	              const EventOptions& options);
	/// Sends $pageview with properties.$current_url = url. Returns the uuid like capture().

	std::string captureException(const std::exception& exception,
	                             const std::string& distinctId = std::string(),
	                             Properties properties = Properties(),
	                             const ExceptionCaptureOptions& options = ExceptionCaptureOptions());
	/// Sends a $exception event for a caught exception and returns its uuid (empty when the call
	/// was rejected, rate-limited, or the client is disabled). $exception_list holds the
	/// exception first, then what it wraps (a Poco::Exception's nested() chain, a
	/// std::nested_exception's nested one), each with its demangled type, its message and a
	/// mechanism; the first entry carries the stack of the calling thread (entry point first,
	/// this call last). Without a distinct id the request context's is used (RequestScope), else
	/// the event is personless under a generated id. Properties, groups and the other
	/// EventOptions work as in capture(); the caller's properties cannot replace
	/// $exception_list, $exception_level or $exception_source (use options). Never throws.
	std::string captureException(std::exception_ptr exception, const std::string& distinctId = std::string(),
	                             Properties properties = Properties(),
	                             const ExceptionCaptureOptions& options = ExceptionCaptureOptions());
	/// The same for an exception held in an exception_ptr (for example std::current_exception()
	/// in a catch (...) block); a value that is not a std::exception is sent with its demangled
	/// type and the message "non-standard exception".
	std::string captureException(const std::string& type, const std::string& message,
	                             const std::string& distinctId = std::string(),
	                             Properties properties = Properties(),
	                             const ExceptionCaptureOptions& options = ExceptionCaptureOptions());
	/// The same for an error that is not a C++ exception: a type ("PaymentDeclined") and a message.

	std::optional<std::string> getDistinctId() const;
	/// A server client holds no ambient user: outside a RequestScope this returns no value. Inside
	/// one it returns the scope's distinct id, the id capture() would use, when the request
	/// carried one.

	bool captureLog(const std::string& body, LogLevel level = LogLevel::Info,
	                Properties attributes = Properties(), const std::string& traceId = std::string(),
	                const std::string& spanId = std::string());
	bool captureLog(LogRecord record);
	/// Queues a structured log record for PostHog Logs (OTLP to {host}/i/v1/logs), apart from
	/// events: its own queue, flush timer and statistics (statistics().logs). Dropped silently
	/// (false) when the client is disabled, opted out or shut down, when the body is blank,
	/// when a ClientOptions::logBeforeSend hook drops it, or over posthog.logs.rateLimit.*.
	/// flush() and shutdown() include the log queue. Never throws; no I/O on the caller's thread.

	LogFacade logger() noexcept;
	/// The logger facade (trace, debug, info, warn, error, fatal) over captureLog().

	std::string captureAi(const std::string& distinctId, const std::string& event,
	                      Properties properties = Properties());
	std::string captureAi(const std::string& distinctId, const std::string& event, Properties properties,
	                      const EventOptions& options);
	/// capture() for AI events ($ai_generation, $ai_trace, $ai_span, $ai_embedding; see
	/// PostHog/AiEvents.h for builders), delivered on their own queue to {host}/i/v0/ai/batch/,
	/// which takes events up to 8 MiB. The payload is sent as given, except that null-valued
	/// object properties are left out; the pipeline's stages do not run on it. Returns the uuid,
	/// or an empty string when the event was not admitted. Never throws.

	void registerProperties(const Properties& properties);
	/// Super properties, added to every event by the enrichment stage (it does not overwrite
	/// what the caller set unless configured to).
	void unregisterProperty(const std::string& key);

	FlushResult flush();
	/// flush(shutdownTimeout).
	FlushResult flush(Poco::Timespan timeout);
	/// Sends everything queued before the call now, without waiting for batch.size or
	/// batch.interval, and returns when it is delivered, has failed finally, or the timeout
	/// has passed (what is still retrying stays queued for retry). Never throws.

	bool shutdown();
	/// shutdown(shutdownTimeout).
	bool shutdown(Poco::Timespan timeout);
	/// Flushes (up to timeout), then stops the worker and senders. Later calls are rejected.
	/// What could not be delivered in time is reported as ClientError::Shutdown. Idempotent;
	/// returns true when everything was delivered. Never throws.

	void optOut() noexcept;
	/// From now on every call is a silent no-op (returns an empty uuid or false, sends nothing,
	/// reports nothing), as with posthog.enabled = false, until optIn(). What was queued before
	/// is still delivered. For a process-wide consent switch; cheap (one atomic flag).
	void optIn() noexcept;
	/// Undoes optOut(). Has no effect on a client disabled by configuration.
	bool isOptedOut() const noexcept;
	/// True after optOut(), and always for a client built with posthog.enabled = false.

	// Feature flags. Local evaluation is on when posthog.personalApiKey is set: definitions are
	// polled in the background and flags are decided on the caller's thread without I/O or a
	// lock. What cannot be decided locally is asked of PostHog (at most one request per call)
	// unless options.onlyEvaluateLocally. None of these throws for a network or data problem:
	// they return no value (or false) and the result's error says why. An empty distinctId is
	// the RequestContext's inside a RequestScope; with none there either, they return the empty
	// answer, make no request and capture nothing.

	FlagValue getFeatureFlag(const std::string& key, const std::string& distinctId,
	                         const FlagOptions& options = FlagOptions());
	/// The flag's value: true, false, a variant, or no value when it could not be decided.
	/// Captures $feature_flag_called (deduplicated) unless options.sendFeatureFlagEvents is false.

	bool isFeatureEnabled(const std::string& key, const std::string& distinctId,
	                      const FlagOptions& options = FlagOptions(), bool defaultValue = false);
	/// True for true or a variant; defaultValue when the flag has no value.

	FlagPayload getFeatureFlagPayload(const std::string& key, const std::string& distinctId,
	                                  const FlagOptions& options = FlagOptions());
	/// The decoded payload of the flag's current value, if it has one. Captures nothing.

	FeatureFlagResult getFeatureFlagResult(const std::string& key, const std::string& distinctId,
	                                       const FlagOptions& options = FlagOptions());
	/// Value, payload, reason and provenance together; captures $feature_flag_called like
	/// getFeatureFlag.

	std::map<std::string, FlagValue> getAllFlags(const std::string& distinctId,
	                                             const FlagOptions& options = FlagOptions());
	/// Every flag (or options.flagKeys) that has a value. Captures nothing.

	struct FlagsAndPayloads
	{
		std::map<std::string, FlagValue> flags;
		std::map<std::string, FlagPayload> payloads; /// flags that are on and have a payload
	};
	FlagsAndPayloads getAllFlagsAndPayloads(const std::string& distinctId,
	                                        const FlagOptions& options = FlagOptions());

	FeatureFlagEvaluations evaluateFlags(const std::string& distinctId,
	                                     const FlagOptions& options = FlagOptions());
	/// A frozen snapshot of every flag (or options.flagKeys); see FeatureFlagEvaluations. No
	/// distinct id (given or from the request context) gives an empty snapshot and no request.

	void reloadFeatureFlags();
	/// Asks the poller to fetch the definitions now (returns at once).

	bool waitForLocalEvaluationReady(Poco::Timespan timeout);
	/// Waits until definitions are loaded (true) or the timeout passed or local evaluation is
	/// off (false).

	void setPersonPropertiesForFlags(const Properties& properties, bool reset = false);
	/// Person properties used by every later evaluation (merged over earlier ones unless reset);
	/// per-call options.personProperties win over them.
	void resetPersonPropertiesForFlags();
	void setGroupPropertiesForFlags(const std::map<std::string, Properties>& properties, bool reset = false);
	/// Group type -> properties, as setPersonPropertiesForFlags.
	void resetGroupPropertiesForFlags();

	bool isEnabled() const noexcept;
	/// posthog.enabled, as configured.
	ClientStatistics statistics() const;
	/// A consistent-enough snapshot of the counters; cheap (a few atomic loads and a lock).

	const ClientOptions& options() const noexcept;

	const Pipeline& pipeline() const noexcept;
	/// The client's middleware chain, read-only: stageNames(), size(), statistics() and
	/// setObserver() are safe from any thread while the worker runs. The chain is complete
	/// before the worker starts; stages are added through the configuration or a
	/// ClientOptions::middleware, never to a running client.

private:
	void startErrorTracking();
	std::string captureExceptionEvent(ExceptionEventBuilder& builder, const std::function<void()>& describe,
	                                  const void* site, const std::string& distinctId, Properties properties,
	                                  const ExceptionCaptureOptions& options) noexcept;
	std::string captureBuiltException(ExceptionEventBuilder& builder, const std::string& distinctId,
	                                  Properties properties, const ExceptionCaptureOptions& options);

	std::unique_ptr<ClientImpl> _impl;
	std::unique_ptr<ErrorTracker> _errors; // destroyed first: its hooks stop reaching this client

	friend class ErrorTracker;
};

} // namespace PostHog

#endif // PostHog_Client_INCLUDED
