//
// RecordSender.h
//
// Posts batches of records to one endpoint with the client's HTTP, gzip and retry rules.
//

#ifndef PostHog_RecordSender_INCLUDED
#define PostHog_RecordSender_INCLUDED

#include "Poco/Event.h"
#include "PostHog/ClientOptions.h"
#include "client/Reporter.h"
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace PostHog
{

class HttpTransport;

class RecordSender
/// The one place where the side routes (logs, AI events) meet core/src/delivery: it owns an
/// HttpTransport pointed at the route's endpoint (same host, TLS, proxy and timeout rules as
/// events) and applies the event path's retry rules to a batch. 2xx delivers; a network error,
/// 408, 429 and 5xx are retried with exponential backoff (posthog.http.retryDelay doubling,
/// capped at 30 s, jittered between half and all of it, Retry-After honoured up to 60 s) up to
/// posthog.http.maxRetries; 413 splits the batch in halves and sends each, dropping a single
/// record that is still too large; any other status drops the batch. Used by one thread.
{
public:
	struct Outcome
	{
		std::size_t sent = 0;     /// records acknowledged with a 2xx
		std::size_t failed = 0;   /// records given up on
		std::size_t requests = 0; /// HTTP requests made
		std::size_t retried = 0;  /// requests that were retried
	};

	using Encoder = std::function<void(std::string& body, std::size_t begin, std::size_t end)>;
	/// Writes the request body for the records [begin, end) of the batch.

	RecordSender(const ClientOptions& options, std::string endpoint, std::string route,
	             const Reporter& reporter);
	/// endpoint: path and query below posthog.host ("/i/v1/logs?token=..."); route: the name
	/// used in messages ("logs").
	~RecordSender();

	Outcome send(std::size_t count, const Encoder& encode);
	/// Sends records [0, count) until each is delivered or given up on. Never throws.

	void abort();
	/// Any thread: stop waiting and retrying; what is not delivered yet fails.

private:
	void deliver(std::size_t begin, std::size_t end, const Encoder& encode, Outcome& outcome);
	bool post(const std::string& json, int& status, long& retryAfterMs, std::string& error);
	long backoffMs(int attempt, long retryAfterMs);

	const ClientOptions& _options;
	std::string _endpoint;
	std::string _route;
	const Reporter& _reporter;
	std::unique_ptr<HttpTransport> _transport;
	Poco::Event _aborted{Poco::Event::EVENT_MANUALRESET};
	std::atomic<bool> _abort{false};
	std::string _gzipped;
};

} // namespace PostHog

#endif // PostHog_RecordSender_INCLUDED
