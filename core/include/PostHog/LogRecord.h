//
// LogRecord.h
//
// One structured log record for PostHog Logs, and its severity levels.
//

#ifndef PostHog_LogRecord_INCLUDED
#define PostHog_LogRecord_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace PostHog
{

enum class LogLevel
/// The six levels of the logs API, sent as OpenTelemetry severity numbers.
{
	Trace, /// severityNumber 1, "TRACE"
	Debug, /// 5, "DEBUG"
	Info,  /// 9, "INFO"
	Warn,  /// 13, "WARN"
	Error, /// 17, "ERROR"
	Fatal  /// 21, "FATAL"
};

PostHog_API int severityNumber(LogLevel level) noexcept;
/// The OpenTelemetry severity number of level (1, 5, 9, 13, 17, 21).

PostHog_API const char* severityText(LogLevel level) noexcept;
/// "TRACE", "DEBUG", "INFO", "WARN", "ERROR" or "FATAL".

PostHog_API LogLevel parseLogLevel(std::string_view name) noexcept;
/// "trace", "debug", "info", "warn"/"warning", "error", "fatal" in any case; anything else is Info.

struct PostHog_API LogRecord
/// What Client::captureLog() queues: a body (required, not blank), a level, attributes and the
/// optional trace context. The client stamps timeUnixNano at the call when it is 0, so a record
/// carries the time it was captured, not the time it was sent. A before-send hook receives the
/// record and may change any field.
{
	std::string body;
	LogLevel level = LogLevel::Info;
	Properties attributes;          /// sent as OTLP attributes; null values leave their key out
	std::string traceId;            /// 32 hex digits (16 bytes), or empty
	std::string spanId;             /// 16 hex digits (8 bytes), or empty
	int flags = -1;                 /// W3C trace flags (0..255) sent as "flags"; negative: left out
	std::string distinctId;         /// sent as the attribute posthogDistinctId when not empty
	std::string sessionId;          /// sent as the attribute sessionId when not empty
	std::uint64_t timeUnixNano = 0; /// capture time; 0: the client sets it
};

using LogBeforeSend = std::function<bool(LogRecord& record)>;
/// Runs on the caller's thread before a record is queued; returns false to drop it. A hook that
/// throws drops the record (it is never sent unscrubbed) and is reported naming posthog.logs
/// beforeSend and the exception type only. Hooks run in order, each seeing the previous one's
/// output; a record whose body is blank afterwards is dropped.

using LogBeforeSendChain = std::vector<LogBeforeSend>;

} // namespace PostHog

#endif // PostHog_LogRecord_INCLUDED
