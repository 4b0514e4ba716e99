//
// RetryPolicy.h
//
// Which answers are retried, and after how long.
//

#ifndef PostHog_RetryPolicy_INCLUDED
#define PostHog_RetryPolicy_INCLUDED

#include "Poco/Timespan.h"
#include <string>

namespace PostHog
{

struct ClientOptions;

class RetryPolicy
/// The delivery rules for one batch request. A 2xx delivers; 413 splits the batch in two; no
/// answer (network error, timeout), 408, 429 and 5xx are retried; every other status is final.
/// The wait before retry n (0-based) is posthog.http.retryDelay * 2^n, capped at kMaxBackoffMs,
/// with jitter between half and all of it; a Retry-After header lengthens it (up to
/// kMaxRetryAfterMs). After posthog.http.maxRetries retries a batch fails, unless it is persistent
/// (kept in the spool), which is retried until shutdown. Immutable and thread-safe.
{
public:
	enum class Verdict
	{
		Delivered, /// 2xx
		Split,     /// 413: too large, send it as two halves
		Retry,     /// transient: try again after delay()
		Refused    /// final: resending cannot help
	};

	static constexpr long kMaxBackoffMs = 10 * 1000;
	static constexpr long kMaxRetryAfterMs = 60 * 1000;

	RetryPolicy(Poco::Timespan baseDelay, int maxRetries);
	explicit RetryPolicy(const ClientOptions& options);
	/// posthog.http.retryDelay and posthog.http.maxRetries.

	static Verdict classify(int status);
	/// What to do after an answer with this HTTP status (0: no answer).

	bool exhausted(int attempt, bool persistent) const;
	/// True when attempt (0-based) was the last one allowed: never for a persistent batch.

	long delayMilliseconds(int attempt, long retryAfterMs, double jitter) const;
	/// The wait before the next attempt; jitter in [0, 1) picks a point between half and all of
	/// the backoff. retryAfterMs (-1: none) is a lower bound, capped at kMaxRetryAfterMs.

	int maxRetries() const noexcept { return _maxRetries; }

	static long parseRetryAfter(const std::string& value);
	/// A Retry-After value (seconds or an HTTP date) in milliseconds from now, at most a day;
	/// -1 when it cannot be read.

private:
	long _baseMs;
	int _maxRetries;
};

} // namespace PostHog

#endif // PostHog_RetryPolicy_INCLUDED
