//
// BatchingSink.cpp
//

#include "delivery/BatchingSink.h"
#include "Poco/Logger.h"
#include "delivery/HttpTransport.h"
#include "encoding/EventSerializer.h"
#include "encoding/PropertiesAccess.h"
#include <algorithm>

namespace PostHog
{

namespace
{

bool splitAtWritten(Spool& spool, DeliveryTracker& tracker, const Spool::Position& written, Batch& batch,
                    Batch& tail)
/// For a spooled batch the spool did not write in full (batch.spoolEnd > written.rn): gives
/// the unwritten records back to the spool, then either marks the whole batch as in memory
/// (false: nothing of it was written) or keeps the written part in batch, moves the rest to
/// tail (in memory) and returns true.
{
	spool.disown(std::max(written.rn, batch.spoolFirst), batch.spoolEnd);
	if (written.rn <= batch.spoolFirst)
	{
		batch.spooled = false;
		return false;
	}
	batch.splitAt(static_cast<std::size_t>(written.rn - batch.spoolFirst), tail);
	tracker.batchSplit(batch.key);
	batch.spoolEnd = written.rn;
	batch.spoolSegment = written.segment;
	batch.spoolOffset = written.offset;
	tail.spooled = false;
	return true;
}

} // namespace

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
					// A worker waiting for room is woken once the hand-off is below half full
					// (empty with one connection), so it hands over several batches per
					// wake-up instead of one.
					if (_sink._handoff.size() < _sink._maxHandoff / 2)
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
					_sink._delivery.aborted(100);
				continue;
			}
			std::uint64_t n = batch.count();
			_sink._counters.inFlight.fetch_add(n, std::memory_order_relaxed);
			_sink._delivery.deliver(std::move(batch), *_transport);
			_sink._counters.inFlight.fetch_sub(n, std::memory_order_relaxed);
		}
	}

private:
	BatchingSink& _sink;
	std::unique_ptr<Transport> _transport;
};

BatchingSink::BatchingSink(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
                           DeliveryTracker& tracker, TransportFactory transports)
    : _options(options), _counters(counters), _reporter(reporter), _tracker(tracker),
      _delivery(options, counters, reporter, tracker), _transports(std::move(transports)),
      _maxHandoff(static_cast<std::size_t>(std::max(1, options.connections)) * 2)
{
	if (!_transports)
	{
		Poco::Net::Context::Ptr context = HttpTransport::makeContext(options);
		const ClientOptions* o = &options;
		_transports = [o, context]() -> std::unique_ptr<Transport>
		{ return std::make_unique<HttpTransport>(*o, context); };
	}
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
		openBatch(PropertiesAccess::sequence(message), _haveNextOpened ? _nextOpened : Poco::Timestamp());
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
		restartWith(start, PropertiesAccess::sequence(
		                       message)); // over the byte cap, or the spool stopped taking records
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
	Batch tail;
	if (!splitAtWritten(*_spool, _tracker, written, _open, tail))
		return;
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
	_delivery.setSpool(spool);
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
			Batch tail;
			if (!splitAtWritten(*_spool, _tracker, written, batch, tail))
			{
				handFromMemory(std::move(batch));
				return;
			}
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
		_delivery.resolveFailed(batch, ClientError::Shutdown,
		                        "the client shut down before they could be sent", 0);
		return;
	}
	_handoff.push_back(std::move(batch));
	_ready.signal();
}

std::size_t BatchingSink::openBatchRoom() const
{
	std::size_t size = std::max<std::size_t>(1, _options.batchSize);
	return _open.count() < size ? size - _open.count() : 1;
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

bool BatchingSink::sendNow(const Message& message)
{
	Batch batch;
	EventSerializer::append(batch.events, message, _options.geoip);
	if (tooLarge(message, batch.events.size()))
		return false;
	batch.offsets.push_back(0);
	batch.key = PropertiesAccess::sequence(message);
	_tracker.batchOpened(batch.key);
	Poco::FastMutex::ScopedLock lock(_syncMutex);
	if (!_syncTransport)
		_syncTransport = _transports();
	return _delivery.deliver(std::move(batch), *_syncTransport) > 0;
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
	_delivery.reportShutdownLosses();
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
		_delivery.reportShutdownLosses();
		return;
	}
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		_aborted = true;
		_delivery.abort();
		left.swap(_handoff);
		_ready.broadcast();
		_space.broadcast();
	}
	for (const auto& b : left)
		_delivery.resolveFailed(b, ClientError::Shutdown, "the client shut down before they could be sent",
		                        0);
	_delivery.reportShutdownLosses();
}

} // namespace PostHog
