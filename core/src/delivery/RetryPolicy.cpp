//
// RetryPolicy.cpp
//

#include "delivery/RetryPolicy.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "PostHog/ClientOptions.h"
#include <algorithm>

namespace PostHog
{

namespace
{

constexpr long kDayMs = 24L * 3600 * 1000;

} // namespace

RetryPolicy::RetryPolicy(Poco::Timespan baseDelay, int maxRetries)
    : _baseMs(static_cast<long>(baseDelay.totalMilliseconds())), _maxRetries(maxRetries)
{
}

RetryPolicy::RetryPolicy(const ClientOptions& options)
    : RetryPolicy(options.retryBaseDelay, options.maxRetries)
{
}

RetryPolicy::Verdict RetryPolicy::classify(int status)
{
	if (status >= 200 && status < 300)
		return Verdict::Delivered;
	if (status == 413)
		return Verdict::Split;
	if (status == 0 || status == 408 || status == 429 || status >= 500)
		return Verdict::Retry;
	return Verdict::Refused;
}

bool RetryPolicy::exhausted(int attempt, bool persistent) const
{
	return !persistent && attempt >= _maxRetries;
}

long RetryPolicy::delayMilliseconds(int attempt, long retryAfterMs, double jitter) const
{
	double base =
	    static_cast<double>(_baseMs) * static_cast<double>(1LL << std::min(std::max(attempt, 0), 20));
	double capped = std::min(base, static_cast<double>(kMaxBackoffMs));
	jitter = std::min(std::max(jitter, 0.0), 1.0);
	long delay = static_cast<long>(capped * (0.5 + 0.5 * jitter));
	if (retryAfterMs >= 0)
		delay = std::max(delay, std::min(retryAfterMs, kMaxRetryAfterMs));
	return delay;
}

long RetryPolicy::parseRetryAfter(const std::string& value)
{
	std::string v = Poco::trim(value);
	if (v.empty())
		return -1;
	Poco::Int64 seconds;
	if (Poco::NumberParser::tryParse64(v, seconds))
		return seconds < 0 ? -1 : static_cast<long>(std::min<Poco::Int64>(seconds, kDayMs / 1000) * 1000);
	// An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") names its zone; Poco's parsers are lenient
	// enough to read "soon" as year 0, so anything without one is refused first.
	if (v.size() < 20 || v.find("GMT") == std::string::npos)
		return -1;
	Poco::DateTime dt;
	int tzd;
	if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, v, dt, tzd) &&
	    !Poco::DateTimeParser::tryParse(v, dt, tzd))
		return -1;
	Poco::Timestamp when =
	    dt.timestamp() - static_cast<Poco::Timestamp::TimeDiff>(tzd) * Poco::Timestamp::resolution();
	Poco::Timestamp now;
	if (when <= now)
		return 0;
	return static_cast<long>(std::min<Poco::Timestamp::TimeDiff>((when - now) / 1000, kDayMs));
}

} // namespace PostHog
