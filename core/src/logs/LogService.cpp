//
// LogService.cpp
//

#include "logs/LogService.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include "logs/OtlpWriter.h"
#include <typeinfo>

namespace PostHog
{

namespace
{

class QueuedLog : public QueuedRecord
{
public:
	explicit QueuedLog(LogRecord&& record) : _record(std::move(record)) {}
	void encode(std::string& out) const override { OtlpWriter::appendRecord(out, _record); }

private:
	LogRecord _record;
};

bool blank(const std::string& s)
{
	for (char c : s)
	{
		if (!Poco::Ascii::isSpace(c))
			return false;
	}
	return true;
}

RecordQueue::Settings queueSettings(const ClientOptions& options, const LogOptions& logs)
{
	RecordQueue::Settings settings;
	settings.name = "logs";
	std::string token;
	Poco::URI::encode(options.apiKey, "!#$&'()*+,/:;=?@[] %\"<>", token);
	settings.endpoint = "/i/v1/logs?token=" + token;
	settings.head = OtlpWriter::envelopeHead(logs);
	settings.tail = OtlpWriter::envelopeTail();
	settings.capacity = logs.maxQueue;
	settings.maxBatch = logs.maxBatch;
	settings.threshold = logs.flushThreshold;
	settings.interval = logs.flushInterval;
	return settings;
}

} // namespace

LogService::LogService(const ClientOptions& options, const Reporter& reporter)
    : _options(options), _reporter(reporter),
      _logOptions(options.configuration ? LogOptions::fromConfiguration(*options.configuration)
                                        : LogOptions()),
      _cap(_logOptions.rateMaxLogs, _logOptions.rateWindow),
      _queue(new RecordQueue(options, queueSettings(options, _logOptions), reporter))
{
}

bool LogService::capture(LogRecord record)
{
	if (blank(record.body))
	{
		_queue->countDrop("empty_body");
		return false;
	}
	if (!runHooks(record))
		return false;
	LogRateCap::Verdict verdict = _cap.admit();
	if (verdict != LogRateCap::Verdict::Admit)
	{
		_queue->countDrop("rate_limited");
		if (verdict == LogRateCap::Verdict::DropFirstInWindow)
			_reporter.report(ClientError::Warning,
			                 "PostHog logs: more than " + std::to_string(_logOptions.rateMaxLogs) +
			                     " records in " + std::to_string(_logOptions.rateWindow.totalMilliseconds()) +
			                     " ms (posthog.logs.rateLimit.*); the rest of this window is dropped");
		return false;
	}
	checkTraceIds(record);
	record.timeUnixNano = nextTimestamp(record.timeUnixNano);
	if (!_queue->push(std::unique_ptr<QueuedRecord>(new QueuedLog(std::move(record)))))
	{
		_queue->countDrop("shutdown");
		return false;
	}
	return true;
}

bool LogService::runHooks(LogRecord& record)
{
	for (const LogBeforeSend& hook : _options.logBeforeSend)
	{
		if (!hook)
			continue;
		bool keep = false;
		std::string thrown;
		try
		{
			keep = hook(record);
		}
		catch (std::exception& e)
		{
			thrown = typeid(e).name();
		}
		catch (...)
		{
			thrown = "an exception of unknown type";
		}
		if (!thrown.empty())
		{
			_queue->countDrop("before_send_error");
			_reporter.report(ClientError::StageError,
			                 "PostHog logs: a beforeSend hook (ClientOptions::logBeforeSend) threw " +
			                     thrown + "; the record was dropped");
			return false;
		}
		if (!keep || blank(record.body))
		{
			_queue->countDrop("before_send");
			return false;
		}
	}
	return true;
}

void LogService::checkTraceIds(LogRecord& record)
{
	record.traceId = Poco::toLower(record.traceId);
	record.spanId = Poco::toLower(record.spanId);
	bool badTrace = !record.traceId.empty() && !OtlpWriter::isHexId(record.traceId, 32);
	bool badSpan = !record.spanId.empty() && !OtlpWriter::isHexId(record.spanId, 16);
	if (badTrace)
		record.traceId.clear();
	if (badSpan)
		record.spanId.clear();
	if ((badTrace || badSpan) && !_warnedTraceId.exchange(true))
		_reporter.report(
		    ClientError::InvalidInput,
		    "PostHog logs: a trace id must be 32 and a span id 16 hexadecimal digits; ids that are "
		    "not are left out of the record (reported once)");
}

std::uint64_t LogService::nextTimestamp(std::uint64_t given)
{
	if (given != 0)
		return given;
	const std::uint64_t now =
	    static_cast<std::uint64_t>(Poco::Timestamp().epochMicroseconds() / 1000) * 1000000ULL;
	std::uint64_t last = _lastNanos.load();
	std::uint64_t next;
	do
	{
		next = now > last ? now : last + 1;
	} while (!_lastNanos.compare_exchange_weak(last, next));
	return next;
}

} // namespace PostHog
