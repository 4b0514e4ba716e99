//
// BatchDelivery.cpp
//

#include "delivery/BatchDelivery.h"
#include "Poco/Logger.h"
#include "encoding/GzipWriter.h"
#include "encoding/JsonWriter.h"
#include <algorithm>

namespace PostHog
{

BatchDelivery::BatchDelivery(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
                             DeliveryTracker& tracker)
    : _options(options), _counters(counters), _reporter(reporter), _tracker(tracker), _retry(options)
{
	JsonWriter::appendString(_apiKeyJson, options.apiKey);
}

void BatchDelivery::abort()
{
	_abortEvent.set();
}

bool BatchDelivery::aborted(long waitMs)
{
	return _abortEvent.tryWait(waitMs);
}

void BatchDelivery::buildBody(const Batch& batch, std::string& head, std::string& tail) const
{
	(void)batch;
	head = "{\"api_key\":";
	head += _apiKeyJson;
	head += ",\"batch\":[";
	tail = "],\"sent_at\":";
	Poco::Timestamp now; // sent_at in milliseconds, whatever the events' precision
	now -= now.epochMicroseconds() % 1000;
	JsonWriter::appendTimestamp(tail, now);
	tail += "}";
}

void BatchDelivery::resolveFailed(const Batch& batch, ClientError::Kind kind, const std::string& why,
                                  int status)
{
	if (batch.spooled && _spool)
	{
		if (kind == ClientError::Shutdown && _spool->holds(batch))
		{
			// Not lost: the events stay on disk and the next client that opens the spool sends them.
			_leftInSpool.fetch_add(batch.count(), std::memory_order_relaxed);
			return;
		}
		_spool->ack(batch); // refused finally by PostHog: resending cannot help
	}
	const char* reason = kind == ClientError::Shutdown                 ? "shutdown"
	                     : status == 413                               ? "too_large"
	                     : why.find(" attempts;") != std::string::npos ? "retries_exhausted"
	                                                                   : "refused";
	_counters.addFailed(reason, batch.count());
	if (kind == ClientError::Shutdown)
	{
		// Reported once, with the first reason, by reportShutdownLosses().
		Poco::FastMutex::ScopedLock lock(_lostMutex);
		if (_shutdownLost == 0)
			_shutdownWhy = why;
		_shutdownLost += batch.count();
	}
	else
		_reporter.report(kind, std::to_string(batch.count()) + " events were lost: " + why, status,
		                 batch.count());
	if (!batch.spooled || !_spool)
		_tracker.batchResolved(batch.key);
}

std::size_t BatchDelivery::deliver(Batch first, Transport& transport)
{
	std::size_t delivered = 0;
	std::vector<Batch> work;
	work.push_back(std::move(first));
	Poco::Random random;
	random.seed();
	while (!work.empty())
	{
		Batch batch = std::move(work.back());
		work.pop_back();
		delivered += attemptUntilResolved(batch, transport, random, work);
	}
	return delivered;
}

std::size_t BatchDelivery::attemptUntilResolved(Batch& batch, Transport& transport, Poco::Random& random,
                                                std::vector<Batch>& work)
{
	std::string buffer;
	for (int attempt = 0;; ++attempt)
	{
		if (_abortEvent.tryWait(0))
		{
			resolveFailed(batch, ClientError::Shutdown, "the client shut down before they could be delivered",
			              0);
			return 0;
		}
		Transport::Response response = send(batch, transport, buffer);
		_counters.requests.fetch_add(1, std::memory_order_relaxed);
		int status = response.status;
		RetryPolicy::Verdict verdict = RetryPolicy::classify(status);
		if (verdict == RetryPolicy::Verdict::Delivered)
		{
			resolveDelivered(batch);
			return batch.count();
		}
		if (verdict == RetryPolicy::Verdict::Split)
		{
			if (batch.count() > 1)
				splitBatch(batch, work);
			else
				resolveFailed(batch, ClientError::DeliveryFailed,
				              "PostHog refused a single event as too large (HTTP 413)", status);
			return 0;
		}
		std::string what =
		    status == 0 ? "network error: " + response.error : "HTTP " + std::to_string(status);
		if (status != 0 && !response.error.empty())
			what += ": " + response.error; // a redirect, not followed
		if (verdict == RetryPolicy::Verdict::Refused)
		{
			std::string body = response.body.substr(0, 200);
			resolveFailed(batch, ClientError::DeliveryFailed,
			              "PostHog refused the batch with " + what + (body.empty() ? "" : " (" + body + ")"),
			              status);
			return 0;
		}
		if (_retry.exhausted(attempt, batch.spooled && _spool))
		{
			resolveFailed(batch, ClientError::DeliveryFailed,
			              "delivery failed after " + std::to_string(attempt + 1) + " attempts; last: " + what,
			              status);
			return 0;
		}
		if (!waitToRetry(batch, attempt, response, what, random))
			return 0;
	}
}

Transport::Response BatchDelivery::send(const Batch& batch, Transport& transport, std::string& buffer) const
{
	std::string head, tail;
	buildBody(batch, head, tail);
	if (_options.gzip)
	{
		GzipWriter::compress(head, batch.events, tail, buffer, _options.gzipLevel);
		return transport.post(buffer, true);
	}
	buffer.clear();
	buffer.reserve(head.size() + batch.events.size() + tail.size());
	buffer += head;
	buffer += batch.events;
	buffer += tail;
	return transport.post(buffer, false);
}

bool BatchDelivery::waitToRetry(const Batch& batch, int attempt, const Transport::Response& response,
                                const std::string& what, Poco::Random& random)
{
	_counters.retried.fetch_add(1, std::memory_order_relaxed);
	long delay = _retry.delayMilliseconds(attempt, response.retryAfterMs, random.nextDouble());
	_reporter.logger().warning("PostHog batch of " + std::to_string(batch.count()) + " events: " + what +
	                           "; retry " + std::to_string(attempt + 1) + " of " +
	                           std::to_string(_retry.maxRetries()) + " in " + std::to_string(delay) + " ms");
	if (delay > 0 && _abortEvent.tryWait(delay))
	{
		resolveFailed(batch, ClientError::Shutdown,
		              "the client shut down while they were waiting for a retry (last: " + what + ")",
		              response.status);
		return false;
	}
	return true;
}

void BatchDelivery::splitBatch(Batch& batch, std::vector<Batch>& work)
{
	Batch second;
	batch.split(second);
	if (!batch.spooled)
		_tracker.batchSplit(batch.key);
	_reporter.logger().information("PostHog answered 413 to a batch of " +
	                               std::to_string(batch.count() + second.count()) +
	                               " events; retrying it as two halves");
	work.push_back(std::move(second));
	work.push_back(std::move(batch));
}

void BatchDelivery::resolveDelivered(const Batch& batch)
{
	_counters.delivered.fetch_add(batch.count(), std::memory_order_relaxed);
	if (batch.spooled && _spool)
		_spool->ack(batch);
	else
		_tracker.batchResolved(batch.key);
}

void BatchDelivery::reportShutdownLosses()
{
	std::uint64_t n;
	std::string why;
	{
		Poco::FastMutex::ScopedLock lock(_lostMutex);
		n = _shutdownLost;
		why.swap(_shutdownWhy);
		_shutdownLost = 0;
	}
	if (n)
		_reporter.report(ClientError::Shutdown, std::to_string(n) + " events were lost: " + why, 0,
		                 static_cast<std::size_t>(n));
}

} // namespace PostHog
