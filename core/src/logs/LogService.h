//
// LogService.h
//
// The logs pipeline of a client: gates, before-send hooks, rate cap and the log queue.
//

#ifndef PostHog_LogService_INCLUDED
#define PostHog_LogService_INCLUDED

#include "PostHog/ClientOptions.h"
#include "PostHog/ClientStatistics.h"
#include "PostHog/LogRecord.h"
#include "client/Reporter.h"
#include "logs/LogOptions.h"
#include "logs/LogRateCap.h"
#include "logs/RecordQueue.h"
#include <atomic>
#include <memory>

namespace PostHog
{

class LogService
/// What Client::captureLog() hands a record to, after the client's own gates (disabled, opted
/// out). In the order of the logs spec: a blank body is dropped, the before-send hooks run
/// (a false return, a throw or a blank body drops the record), then the rate cap; an admitted
/// record gets its capture time (strictly increasing nanoseconds) and goes to a RecordQueue
/// that posts OTLP JSON to {host}/i/v1/logs?token=<key>. Nothing here blocks or throws.
{
public:
	LogService(const ClientOptions& options, const Reporter& reporter);
	/// Reads posthog.logs.* from options.configuration (throws ConfigurationException for a bad
	/// value). No thread starts before the first record.

	bool capture(LogRecord record);
	/// True when the record was queued.

	void countDrop(const char* reason) { _queue->countDrop(reason); }
	bool flush(Poco::Timespan timeout) { return _queue->flush(timeout); }
	bool shutdown(Poco::Timespan timeout) { return _queue->shutdown(timeout); }
	RouteStatistics statistics() const { return _queue->statistics(); }
	const LogOptions& logOptions() const noexcept { return _logOptions; }

private:
	bool runHooks(LogRecord& record);
	void checkTraceIds(LogRecord& record);
	std::uint64_t nextTimestamp(std::uint64_t given);

	const ClientOptions& _options;
	const Reporter& _reporter;
	LogOptions _logOptions;
	LogRateCap _cap;
	std::unique_ptr<RecordQueue> _queue;
	std::atomic<std::uint64_t> _lastNanos{0};
	std::atomic<bool> _warnedTraceId{false};
};

} // namespace PostHog

#endif // PostHog_LogService_INCLUDED
