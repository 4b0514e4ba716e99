//
// ClientOptions.h
//
// Every setting of a Client, with its default and its configuration key.
//

#ifndef PostHog_ClientOptions_INCLUDED
#define PostHog_ClientOptions_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Timespan.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ClientError.h"
#include "PostHog/FlagDefinitionsCache.h"
#include "PostHog/LogRecord.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/PostHog.h"
#include <cstdint>
#include <memory>
#include <string>

namespace PostHog
{

struct PostHog_API ClientOptions
/// A plain struct with documented defaults (the opentelemetry-cpp way): tests and programs fill
/// it directly, applications load it from any Poco configuration with fromConfiguration().
{
	enum class Overflow
	{
		Drop, /// a full queue drops the new message, counts and reports it (default)
		Block /// a full queue makes the caller wait for room
	};

	std::string apiKey;                            /// posthog.apiKey (required unless disabled)
	std::string host = "https://us.i.posthog.com"; /// posthog.host
	bool enabled = true;                           /// posthog.enabled: false makes every call a no-op
	bool geoip = false;                            /// posthog.geoip: false adds $geoip_disable = true
	bool syncMode = false;                         /// posthog.syncMode: send on the caller's thread

	std::size_t batchSize = 100; /// posthog.batch.size: events per request (1..100000)
	Poco::Timespan batchInterval = Poco::Timespan(5 * Poco::Timespan::SECONDS);
	/// posthog.batch.interval (ms): longest a message waits for its batch to fill
	std::size_t batchMaxBytes = 5 * 1024 * 1024; /// posthog.batch.maxBytes: JSON bytes per request

	std::size_t queueCapacity = 10000;       /// posthog.queue.capacity (messages)
	Overflow queueOverflow = Overflow::Drop; /// posthog.queue.overflow = drop | block

	bool gzip = true;  /// posthog.http.gzip
	int gzipLevel = 1; /// posthog.http.gzipLevel (1..9)
	Poco::Timespan httpTimeout = Poco::Timespan(10 * Poco::Timespan::SECONDS);
	/// posthog.http.timeout (ms): a whole request, connect to last response byte
	int maxRetries = 10; /// posthog.http.maxRetries (0..100)
	int connections = 1; /// posthog.http.connections: concurrent requests (1..64)
	Poco::Timespan retryBaseDelay = Poco::Timespan(100 * Poco::Timespan::MILLISECONDS);
	/// posthog.http.retryDelay (ms): first backoff; doubles per attempt, capped at 10 s, jittered
	bool verifyTls = true; /// posthog.http.verify
	std::string caFile;    /// posthog.http.caFile (PEM); system store when empty
	std::string proxy;
	/// posthog.http.proxy: http://[user:password@]host[:port]; "none" ignores the environment;
	/// empty: https_proxy/HTTPS_PROXY or http_proxy/HTTP_PROXY, minus NO_PROXY (docs/security.md)

	Poco::Timespan shutdownTimeout = Poco::Timespan(30 * Poco::Timespan::SECONDS);
	/// posthog.shutdownTimeout (ms)

	enum class SpoolFull
	{
		DropNewest, /// a full spool refuses new events (counted and reported as dropped "spool_full")
		DropOldest, /// a full spool deletes its oldest segment that is not being sent (counted too)
		Block       /// the worker waits for PostHog to acknowledge older events (the queue fills meanwhile)
	};
	enum class SpoolFsync
	{
		Batch,    /// fdatasync after every worker round and batch (default)
		Interval, /// at most every spoolFsyncInterval
		Never     /// the operating system decides
	};
	std::string spoolPath; /// posthog.spool.path: a directory; empty = no spool
	/// With a spool, every event that passed the pipeline is written to disk before it counts as
	/// spooled, deleted only after PostHog acknowledged it, and replayed by the next client that
	/// opens the directory. Retryable failures are retried until shutdown (maxRetries does not
	/// apply); what is still unsent at shutdown stays on disk. Not used in sync mode.
	std::uint64_t spoolMaxBytes = 1ULL << 30;    /// posthog.spool.maxBytes (1 MiB .. 1 TiB; default 1 GiB)
	SpoolFull spoolFull = SpoolFull::DropNewest; /// posthog.spool.full = drop-newest | drop-oldest | block
	SpoolFsync spoolFsync = SpoolFsync::Batch;   /// posthog.spool.fsync = batch | interval | never
	Poco::Timespan spoolFsyncInterval = Poco::Timespan(1, 0); /// posthog.spool.fsyncInterval (ms, 1..600000)

	bool exceptionAutocapture =
	    false; /// posthog.exceptions.autocapture: uncaught exceptions, Poco thread errors, fatal signals
	std::string exceptionCrashDir; /// posthog.exceptions.crashDir: crash records (empty: <spool>/crashes,
	                               /// else ~/.cache/posthog-cpp/crashes)
	int exceptionRateLimit =
	    10; /// posthog.exceptions.rateLimit: $exception events per type per minute (0: no limit)
	int exceptionContextLines =
	    5; /// posthog.exceptions.contextLines: source lines each side of a frame's line (0: none)
	// Feature flags (see the README's "Feature flags").
	std::string personalApiKey; /// posthog.personalApiKey: enables local evaluation (masked like apiKey)
	Poco::Timespan flagsPollInterval = Poco::Timespan(30 * Poco::Timespan::SECONDS);
	/// posthog.flags.pollInterval (ms): how often definitions are fetched
	Poco::Timespan flagsRequestTimeout = Poco::Timespan(3 * Poco::Timespan::SECONDS);
	/// posthog.flags.requestTimeout (ms): one flag request as a whole (each attempt, each poll)
	int flagsRetries =
	    1; /// posthog.flags.retries: retries of a remote evaluation (transport errors, 502, 504)
	std::string flagsSharedCache; /// posthog.flags.sharedCache: a file shared by every process on the host
	std::string flagsDefinitionsFile; /// posthog.flags.definitionsFile: definitions from a file, no polling
	std::size_t flagsCalledCacheSize =
	    50000; /// posthog.flags.calledCacheSize: $feature_flag_called dedup entries
	std::shared_ptr<FlagDefinitionsCache> flagsCache;
	/// An application's shared definitions cache (e.g. over Redis); overrides flagsSharedCache.

	std::string loggerName =
	    "PostHog";         /// the Poco::Logger the client logs to (ClientSubsystem: the application's)
	ErrorCallback onError; /// see ClientError
	MiddlewareRegistry middleware; /// stages registered in code
	LogBeforeSendChain logBeforeSend;
	/// Hooks run on every log record before it is queued, in order: the place to scrub log
	/// bodies and attributes (see LogBeforeSend). posthog.logs.* configures the rest of logs.

	Poco::AutoPtr<Poco::Util::AbstractConfiguration> configuration;
	/// Where the pipeline (posthog.pipeline.*) is read from; fromConfiguration() sets it.

	static ClientOptions fromConfiguration(const Poco::Util::AbstractConfiguration& config);
	/// Reads every posthog.* key above through the one table of client keys (PostHog/ClientKeys.h),
	/// missing keys taking the table's defaults, which are the ones above. Throws
	/// ConfigurationException naming the key and value for a wrong value ("posthog.batch.size
	/// = 'abc' is not an integer between 1 and 100000"), and for a posthog.* key the table does
	/// not declare, with the nearest one ("posthog.batch.sise is not a configuration key; did
	/// you mean posthog.batch.size?"). Keeps a copy of posthog.pipeline.* for the pipeline.

	void validate() const;
	/// Checks the ranges the table of client keys declares, and the host URL. Throws
	/// ConfigurationException.
};

} // namespace PostHog

#endif // PostHog_ClientOptions_INCLUDED
