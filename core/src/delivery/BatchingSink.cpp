//
// BatchingSink.cpp
//

#include "delivery/BatchingSink.h"
#include "Poco/Logger.h"
#include "Poco/Random.h"
#include "delivery/HttpTransport.h"
#include "encoding/EventSerializer.h"
#include "encoding/GzipWriter.h"
#include "encoding/JsonWriter.h"
#include <algorithm>

namespace PostHog
{

class BatchingSink::Sender : public Poco::Runnable
{
public:
	Sender(BatchingSink& sink) : _sink(sink), _transport(sink._transports()) {}

	void run() override
	{
		for (;;)
		{
			Batch batch;
			{
				Poco::FastMutex::ScopedLock lock(_sink._mutex);
				Spool* spool = _sink._spool;
				while (_sink._handoff.empty() && !_sink._stopping && !_sink._aborted &&
				       !(spool && spool->hasUnread()))
					_sink._ready.wait(_sink._mutex);
				if (_sink._handoff.empty())
				{
					if (!spool || _sink._stopping || _sink._aborted)
						return;
				}
				else
				{
					batch = std::move(_sink._handoff.front());
					_sink._handoff.pop_front();
					_sink._space.broadcast();
				}
			}
			// Nothing in memory: read the oldest events the spool holds (left there while the
			// hand-off was full, or by an earlier process).
			if (batch.empty() &&
			    !_sink._spool->readBatch(batch, _sink._options.batchSize, _sink._options.batchMaxBytes))
			{
				// Unreadable (a segment vanished or cannot be opened; reported): do not spin.
				if (_sink._spool->hasUnread())
					_sink._abortEvent.tryWait(100);
				continue;
			}
			std::uint64_t n = batch.count();
			_sink._counters.inFlight.fetch_add(n, std::memory_order_relaxed);
			_sink.deliver(std::move(batch), *_transport);
			_sink._counters.inFlight.fetch_sub(n, std::memory_order_relaxed);
		}
	}

private:
	BatchingSink& _sink;
	std::unique_ptr<Transport> _transport;
};

BatchingSink::BatchingSink(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
                           DeliveryTracker& tracker, TransportFactory transports)
    : _options(options), _counters(counters), _reporter(reporter), _tracker(tracker), _retry(options),
      _transports(std::move(transports)),
      _maxHandoff(static_cast<std::size_t>(std::max(1, options.connections)) * 2)
{
	if (!_transports)
	{
		Poco::Net::Context::Ptr context = HttpTransport::makeContext(options);
		const ClientOptions* o = &options;
		_transports = [o, context]() -> std::unique_ptr<Transport>
		{ return std::make_unique<HttpTransport>(*o, context); };
	}
	JsonWriter::appendString(_apiKeyJson, options.apiKey);
	_open.events.reserve(options.batchSize * 512);
}

BatchingSink::~BatchingSink()
{
	abort();
	stop();
}

void BatchingSink::start()
{
	for (int i = 0; i < _options.connections; ++i)
	{
		_senders.emplace_back(new Sender(*this));
		_threads.emplace_back(new Poco::Thread("PostHog sender " + std::to_string(i + 1)));
		_threads.back()->start(*_senders.back());
	}
}

void BatchingSink::append(const Message& message)
{
	std::size_t before = _open.events.size();
	if (!_open.empty())
		_open.events.push_back(',');
	std::size_t start = _open.events.size();
	EventSerializer::append(_open.events, message, _options.geoip);
	std::size_t length = _open.events.size() - start;
	if (tooLarge(message, length))
	{
		_open.events.resize(before);
		return;
	}
	if (_open.empty())
		openBatch(message.sequence(), _haveNextOpened ? _nextOpened : Poco::Timestamp());
	// A batch is all on disk or all in memory: an event the spool does not take (it cannot be
	// written) starts a memory batch, and the next batch tries the spool again.
	Spool::Position after;
	bool spooled = false;
	if (_spool && (_open.empty() || _open.spooled))
	{
		Spool::Append added = _spool->add(_open.events.data() + start, length, after);
		if (added == Spool::Append::Full)
		{
			// Dropped: the spool is full (counted and reported by the spool).
			_open.events.resize(before);
			if (_open.empty())
			{
				_tracker.batchResolved(_open.key);
				_open = Batch();
			}
			return;
		}
		spooled = added == Spool::Append::Buffered;
	}
	_open.offsets.push_back(static_cast<std::uint32_t>(start));
	bool restart =
	    _open.count() > 1 && (_open.events.size() > _options.batchMaxBytes || (_open.spooled && !spooled));
	if (restart)
		restartWith(start, message.sequence()); // over the byte cap, or the spool stopped taking records
	if (_open.count() == 1)
	{
		_open.spooled = spooled;
		_open.spoolFirst = spooled ? after.rn - 1 : 0;
	}
	if (spooled)
	{
		_open.spoolEnd = after.rn;
		_open.spoolSegment = after.segment;
		_open.spoolOffset = after.offset;
	}
	if (restart && _spool)
		settleOpen();
	if (_open.count() >= _options.batchSize)
		dispatchOpen();
}

void BatchingSink::openBatch(std::uint64_t key, const Poco::Timestamp& opened)
{
	_open.key = key;
	_open.opened = opened;
	_haveNextOpened = false;
	_tracker.batchOpened(key);
}

void BatchingSink::restartWith(std::size_t start, std::uint64_t key)
{
	std::string last = _open.events.substr(start);
	_open.events.resize(start - 1);
	_open.offsets.pop_back();
	dispatchOpen();
	_open.events = std::move(last);
	_open.offsets.push_back(0);
	openBatch(key, Poco::Timestamp());
}

void BatchingSink::commitSpool()
{
	if (!_spool)
		return;
	_spool->commit();
	settleOpen();
}

void BatchingSink::settleOpen()
{
	// Records the spool took back (a failed write) or lost (a removed file): the open batch
	// keeps those events in memory; what was written before goes on as a spooled batch.
	if (_open.empty() || !_open.spooled)
		return;
	Spool::Position written = _spool->writtenPosition();
	if (_open.spoolEnd <= written.rn)
		return;
	_spool->disown(std::max(written.rn, _open.spoolFirst), _open.spoolEnd);
	if (written.rn <= _open.spoolFirst)
	{
		_open.spooled = false;
		return;
	}
	Batch tail;
	_open.splitAt(static_cast<std::size_t>(written.rn - _open.spoolFirst), tail);
	_tracker.batchSplit(_open.key);
	_open.spoolEnd = written.rn;
	_open.spoolSegment = written.segment;
	_open.spoolOffset = written.offset;
	tail.spooled = false;
	dispatchOpen();
	_open = std::move(tail);
}

void BatchingSink::startInterval(const Poco::Timestamp& since)
{
	if (_open.empty())
	{
		_nextOpened = since;
		_haveNextOpened = true;
	}
}

bool BatchingSink::dispatchOpen()
{
	if (_open.empty())
		return false;
	Batch batch;
	batch.events.reserve(_open.events.capacity());
	std::swap(batch, _open);
	hand(std::move(batch));
	return true;
}

void BatchingSink::setSpool(Spool* spool)
{
	_spool = spool;
}

void BatchingSink::hand(Batch&& batch)
{
	if (_spool && batch.spooled)
	{
		_spool->commit();
		Spool::Position written = _spool->writtenPosition();
		if (batch.spoolEnd > written.rn)
		{
			// Not (all) on disk: the spool could not write it. The written part goes as a
			// spooled batch, the rest from memory.
			_spool->disown(std::max(written.rn, batch.spoolFirst), batch.spoolEnd);
			if (written.rn <= batch.spoolFirst)
			{
				batch.spooled = false;
				handFromMemory(std::move(batch));
				return;
			}
			Batch tail;
			batch.splitAt(static_cast<std::size_t>(written.rn - batch.spoolFirst), tail);
			_tracker.batchSplit(batch.key);
			batch.spoolEnd = written.rn;
			batch.spoolSegment = written.segment;
			batch.spoolOffset = written.offset;
			tail.spooled = false;
			handSpooled(std::move(batch));
			handFromMemory(std::move(tail));
			return;
		}
		handSpooled(std::move(batch));
		return;
	}
	handFromMemory(std::move(batch));
}

void BatchingSink::handSpooled(Batch&& batch)
{
	// Never wait for the senders: the batch is on disk. It goes from memory only when the
	// hand-off has room and nothing older waits in the spool.
	bool room;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		room = _handoff.size() < _maxHandoff && !_aborted;
	}
	bool fromMemory = _spool->release(batch, room);
	_tracker.batchResolved(batch.key); // durable: flush() now waits on the spool
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (fromMemory && !_aborted)
		_handoff.push_back(std::move(batch));
	_ready.signal();
}

void BatchingSink::handFromMemory(Batch&& batch)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	while (_handoff.size() >= _maxHandoff && !_aborted)
		_space.wait(_mutex);
	if (_aborted)
	{
		resolveFailed(batch, ClientError::Shutdown, "the client shut down before they could be sent", 0);
		return;
	}
	_handoff.push_back(std::move(batch));
	_ready.signal();
}

bool BatchingSink::openBatchDue(const Poco::Timestamp& now) const
{
	return !_open.empty() && now - _open.opened >= _options.batchInterval.totalMicroseconds();
}

long BatchingSink::millisecondsUntilDue(const Poco::Timestamp& now) const
{
	long interval = static_cast<long>(_options.batchInterval.totalMilliseconds());
	if (_open.empty())
		return interval;
	long elapsed = static_cast<long>((now - _open.opened) / 1000);
	return std::max(1L, interval - elapsed);
}

void BatchingSink::buildBody(const Batch& batch, std::string& head, std::string& tail) const
{
	(void)batch;
	head = "{\"api_key\":";
	head += _apiKeyJson;
	head += ",\"batch\":[";
	tail = "],\"sent_at\":";
	JsonWriter::appendTimestamp(tail, Poco::Timestamp());
	tail += "}";
}

void BatchingSink::resolveFailed(const Batch& batch, ClientError::Kind kind, const std::string& why,
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

bool BatchingSink::tooLarge(const Message& message, std::size_t length)
{
	if (length <= kMaxEventBytes)
		return false;
	_counters.addDrop("too_large");
	_reporter.report(ClientError::TooLarge,
	                 "event '" + message.event() + "' was dropped: its JSON is " + std::to_string(length) +
	                     " bytes, over PostHog's 1 MB event limit",
	                 0, 1);
	return true;
}

std::size_t BatchingSink::deliver(Batch first, Transport& transport)
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

std::size_t BatchingSink::attemptUntilResolved(Batch& batch, Transport& transport, Poco::Random& random,
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

Transport::Response BatchingSink::send(const Batch& batch, Transport& transport, std::string& buffer) const
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

bool BatchingSink::waitToRetry(const Batch& batch, int attempt, const Transport::Response& response,
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

void BatchingSink::splitBatch(Batch& batch, std::vector<Batch>& work)
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

void BatchingSink::resolveDelivered(const Batch& batch)
{
	_counters.delivered.fetch_add(batch.count(), std::memory_order_relaxed);
	if (batch.spooled && _spool)
		_spool->ack(batch);
	else
		_tracker.batchResolved(batch.key);
}

bool BatchingSink::sendNow(const Message& message)
{
	Batch batch;
	EventSerializer::append(batch.events, message, _options.geoip);
	if (tooLarge(message, batch.events.size()))
		return false;
	batch.offsets.push_back(0);
	batch.key = message.sequence();
	_tracker.batchOpened(batch.key);
	Poco::FastMutex::ScopedLock lock(_syncMutex);
	if (!_syncTransport)
		_syncTransport = _transports();
	return deliver(std::move(batch), *_syncTransport) > 0;
}

void BatchingSink::reportShutdownLosses()
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

void BatchingSink::stop()
{
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		_stopping = true;
		_ready.broadcast();
	}
	for (auto& t : _threads)
		t->join();
	_threads.clear();
	_senders.clear();
	reportShutdownLosses();
}

void BatchingSink::abort()
{
	std::deque<Batch> left;
	bool again;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		again = _aborted;
	}
	if (again)
	{
		reportShutdownLosses();
		return;
	}
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		_aborted = true;
		_abortEvent.set();
		left.swap(_handoff);
		_ready.broadcast();
		_space.broadcast();
	}
	for (const auto& b : left)
		resolveFailed(b, ClientError::Shutdown, "the client shut down before they could be sent", 0);
	reportShutdownLosses();
}

} // namespace PostHog
