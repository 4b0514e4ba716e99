//
// OtlpWriter.h
//
// Writes log records as OpenTelemetry OTLP/HTTP JSON (ExportLogsServiceRequest).
//

#ifndef PostHog_OtlpWriter_INCLUDED
#define PostHog_OtlpWriter_INCLUDED

#include "PostHog/LogRecord.h"
#include "PostHog/Value.h"
#include "logs/LogOptions.h"
#include <string>

namespace PostHog
{

class OtlpWriter
/// The JSON encoding of the logs endpoint. A request is one resourceLogs entry holding one
/// scopeLogs entry (scope posthog-cpp and its version) holding the records: envelopeHead(),
/// then the records separated by commas (appendRecord()), then envelopeTail(). Values follow
/// OTLP's AnyValue: strings, booleans, integers as decimal strings, finite doubles, non-finite
/// doubles as the strings "NaN", "Infinity" and "-Infinity", arrays and objects recursively; a
/// null attribute leaves its key out (a null array element is an empty AnyValue). All output is
/// valid JSON, whatever the input bytes.
{
public:
	static std::string envelopeHead(const LogOptions& options);
	/// {"resourceLogs":[{"resource":{"attributes":[...]},"scopeLogs":[{"scope":{...},"logRecords":[
	/// Resource attributes: the user's resource.* keys, then service.name, service.version,
	/// deployment.environment, telemetry.sdk.*, os.name and os.version, which win over them.

	static const std::string& envelopeTail();
	/// ]}]}]}

	static void appendRecord(std::string& out, const LogRecord& record);
	/// One logRecord object. The record's distinctId and sessionId become the attributes
	/// posthogDistinctId and sessionId unless its attributes already have those keys.

	static void appendAnyValue(std::string& out, const Value& value);
	/// An OTLP AnyValue object; null becomes {}.

	static void appendUnixNano(std::string& out, std::uint64_t nanos);
	/// A quoted decimal number.

	static bool isHexId(const std::string& id, std::size_t digits);
	/// True when id has exactly digits hexadecimal digits.
};

} // namespace PostHog

#endif // PostHog_OtlpWriter_INCLUDED
