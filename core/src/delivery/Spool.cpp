//
// Spool.cpp
//

#include "delivery/Spool.h"
#include "Poco/Logger.h"
#include "PostHog/Exceptions.h"
#include "delivery/SpoolFile.h"
#include "delivery/SpoolReader.h"
#include "delivery/SpoolRecovery.h"
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace PostHog
{

Spool::Spool(const Options& options, const Reporter& reporter, ClientCounters& counters)
    : _options(options), _reporter(reporter), _counters(counters),
      _directory(options.path, reporter.logger()), _writer(options.fsync, options.fsyncInterval)
{
	if (_options.segmentBytes == 0)
		_options.segmentBytes = segmentBytesFor(_options.maxBytes);
	try
	{
		SpoolRecovery(*this).scan();
		int error;
		if (!startSegment(error))
			throw ConfigurationException("posthog.spool.path = '" + _options.path + "': cannot create " +
			                             _directory.segmentFile(_activeId + 1, ".log") + ": " +
			                             SpoolFile::errorText(error));
	}
	catch (...)
	{
		close();
		throw;
	}
}

Spool::~Spool()
{
	close();
}

Spool::Options Spool::fromClientOptions(const ClientOptions& o)
{
	Options so;
	so.path = o.spoolPath;
	so.maxBytes = o.spoolMaxBytes;
	so.full = o.spoolFull;
	so.fsync = o.spoolFsync;
	so.fsyncInterval = o.spoolFsyncInterval;
	return so;
}

std::uint64_t Spool::segmentBytesFor(std::uint64_t maxBytes)
{
	return std::min<std::uint64_t>(16 * 1024 * 1024, std::max<std::uint64_t>(64 * 1024, maxBytes / 16));
}

bool Spool::startSegment(int& error)
{
	std::uint64_t id = _activeId + 1;
	SpoolSegment s(id, _directory.segmentFile(id, ".log"), _directory.segmentFile(id, ".ack"), _nextRn);
	if (!_writer.open(s.file, error))
		return false;
	s.bytes = SpoolRecord::kMagicBytes;
	_bytes += SpoolRecord::kMagicBytes;
	_activeId = id;
	if (_segments.empty() && _cursor == _nextRn)
		_readPos = Position{_nextRn, id, kHeader};
	_segments.emplace(id, std::move(s));
	return true;
}

bool Spool::writeBuffer()
{
	auto it = _segments.find(_activeId);
	if (it == _segments.end() || !_writer.isOpen())
		return _fault == 0;
	SpoolSegment& s = it->second;
	std::size_t pending = _writer.buffered();
	int error;
	if (!_writer.flush(s.committedBytes, error))
	{
		std::string what = "spool segment " + s.file + " could not be written";
		SpoolRecovery(*this).rollBack(s, error); // may remove the segment (its file is gone)
		SpoolRecovery(*this).setFault(error, what, pending);
		return false;
	}
	_spooled.fetch_add(s.count - s.committed, std::memory_order_relaxed);
	s.committed = s.count;
	s.committedBytes = s.bytes;
	if (_fault != 0 && pending > 0)
		SpoolRecovery(*this).setFault(0, "", 0);
	return true;
}

void Spool::sealActive()
{
	writeBuffer();
	_writer.close(true);
	auto it = _segments.find(_activeId);
	if (it == _segments.end())
		return;
	it->second.sealed = true;
	if (it->second.acked >= it->second.count)
		deleteSegment(it);
}

Spool::Append Spool::add(const char* data, std::size_t length, Position& after)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return Append::Unavailable;
	if (_fault != 0)
	{
		if (Poco::Timestamp() < _retryAt)
			return Append::Unavailable;
		SpoolRecovery(*this).retryWriting(); // then try again with this record
		if (!_writer.isOpen())
			return Append::Unavailable;
	}
	std::uint64_t need = SpoolRecord::size(length);
	auto active = _segments.find(_activeId);
	if (active == _segments.end() || !_writer.isOpen())
		return Append::Unavailable; // its file was removed; retryWriting() starts a new one
	// A fully acknowledged active segment is rolled (and so deleted) before it grows further.
	if (active->second.count > 0 &&
	    (active->second.acked >= active->second.count || active->second.bytes + need > _options.segmentBytes))
	{
		sealActive();
		int error;
		if (!startSegment(error))
		{
			SpoolRecovery(*this).setFault(error,
			                              "spool segment " + _directory.segmentFile(_activeId + 1, ".log") +
			                                  " could not be created",
			                              0);
			return Append::Unavailable;
		}
	}
	if (_bytes + need > _options.maxBytes && !makeRoom(need))
	{
		++_dropsUnreported;
		_counters.addDrop("spool_full");
		return Append::Full;
	}
	SpoolSegment& s = _segments.find(_activeId)->second;
	_writer.add(data, length);
	++s.count;
	s.bytes += need;
	_bytes += need;
	++_nextRn;
	++_unacked;
	after = Position{_nextRn, s.id, s.bytes};
	return Append::Buffered;
}

bool Spool::makeRoom(std::uint64_t need)
{
	while (_bytes + need > _options.maxBytes)
	{
		if (_aborted || _closed || _options.full == FullPolicy::DropNewest)
			return false;
		if (_options.full == FullPolicy::DropOldest)
		{
			if (!dropOldestSegment())
				return false;
			continue;
		}
		// Block: wait for acknowledgements to free space (the worker only; the server may be down).
		writeBuffer();
		_changed.tryWait(_mutex, 100);
		auto active = _segments.find(_activeId);
		if (active == _segments.end() || !_writer.isOpen())
			return false; // writes fail: wait no longer, the caller keeps the event in memory
		if (active->second.count > 0 && active->second.acked >= active->second.count)
		{
			sealActive();
			int error;
			if (!startSegment(error))
			{
				SpoolRecovery(*this).setFault(error,
				                              "spool segment " +
				                                  _directory.segmentFile(_activeId + 1, ".log") +
				                                  " could not be created",
				                              0);
				return false;
			}
		}
	}
	return true;
}

bool Spool::dropOldestSegment()
{
	auto victim = _segments.end();
	for (auto it = _segments.begin(); it != _segments.end() && it->first != _activeId; ++it)
	{
		if (!_inflight.overlaps(it->second.firstRn, it->second.end()))
		{
			victim = it;
			break;
		}
	}
	if (victim == _segments.end())
		return false;
	SpoolSegment& s = victim->second;
	std::uint64_t lost = s.count - s.acked;
	std::uint64_t b = s.firstRn, e = s.end();
	_dropsUnreported += lost;
	_counters.addDrop("spool_full", lost);
	_unacked -= lost;
	if (_cursor >= b && _cursor < e)
	{
		auto next = std::next(victim);
		_cursor = e;
		_readPos = Position{e, next->first, kHeader};
	}
	deleteSegment(victim);
	_changed.broadcast();
	return true;
}

Spool::Segments::iterator Spool::deleteSegment(Segments::iterator it)
{
	it->second.remove();
	_bytes -= std::min(_bytes, it->second.bytes);
	return _segments.erase(it);
}

bool Spool::commit()
{
	bool written;
	int fd;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (_closed)
			return true;
		written = writeBuffer();
		fd = _writer.syncDue();
	}
	// Only the worker writes and rolls segments, so the descriptor stays open while it syncs
	// outside the lock (senders keep reading and acknowledging meanwhile).
	SpoolFile::sync(fd);
	reportDrops();
	return written;
}

std::uint64_t Spool::writtenEnd() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto it = _segments.find(_activeId);
	std::uint64_t end =
	    it == _segments.end() || it->second.sealed ? _nextRn : it->second.firstRn + it->second.committed;
	return std::min(end, _lostFrom);
}

bool Spool::holds(const Batch& batch) const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (const auto& kv : _segments)
		if (batch.spoolFirst >= kv.second.firstRn && batch.spoolFirst < kv.second.end())
			return true;
	return false;
}

Spool::Position Spool::writtenPosition() const
{
	std::uint64_t end = writtenEnd();
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto it = _segments.find(_activeId);
	return Position{end, _activeId, it == _segments.end() ? 0 : it->second.committedBytes};
}

void Spool::disown(std::uint64_t first, std::uint64_t end)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	ackLocked(first, end, false);
	if (end >= _lostFrom)
		_lostFrom = UINT64_MAX;
}

bool Spool::writable() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _fault == 0;
}

void Spool::reportDrops()
{
	std::uint64_t n;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		n = _dropsUnreported;
		_dropsUnreported = 0;
	}
	if (n)
		_reporter.report(ClientError::QueueFull,
		                 std::to_string(n) + " events were dropped because the spool at " + _options.path +
		                     " is full (posthog.spool.maxBytes = " + std::to_string(_options.maxBytes) + ")",
		                 0, static_cast<std::size_t>(n));
}

bool Spool::release(const Batch& batch, bool memoryHasRoom)
{
	commit();
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!batch.spooled || _closed)
		return memoryHasRoom;
	_released = std::max(_released, batch.spoolEnd);
	if (memoryHasRoom && _cursor == batch.spoolFirst && _segments.count(batch.spoolSegment))
	{
		_cursor = batch.spoolEnd;
		_readPos = Position{batch.spoolEnd, batch.spoolSegment, batch.spoolOffset};
		_inflight.add(batch.spoolFirst, batch.spoolEnd);
		return true;
	}
	return false;
}

bool Spool::hasUnread() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return !_closed && _cursor < _released;
}

bool Spool::readBatch(Batch& batch, std::size_t maxEvents, std::size_t maxBytes)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return false;
	std::uint64_t first = _cursor;
	while (_cursor < _released && batch.count() < maxEvents &&
	       SpoolReader(*this).readNext(batch, maxBytes, first))
		;
	_changed.broadcast();
	if (batch.empty())
		return false;
	batch.spooled = true;
	batch.spoolFirst = first;
	batch.spoolEnd = _cursor;
	batch.key = 0;
	batch.opened = Poco::Timestamp();
	_inflight.add(first, _cursor);
	return true;
}

void Spool::ackLocked(std::uint64_t first, std::uint64_t end, bool journal)
{
	if (first >= end)
		return;
	for (auto it = _segments.begin(); it != _segments.end();)
	{
		SpoolSegment& s = it->second;
		std::uint64_t b = s.firstRn, e = s.end();
		if (b >= end)
			break;
		if (e > first)
		{
			std::uint64_t from = std::max(b, first), to = std::min(e, end);
			s.acked += to - from;
			_unacked -= std::min(_unacked, to - from);
			if (journal)
				s.journal(from, to);
			if (s.sealed && s.acked >= s.count)
			{
				it = deleteSegment(it);
				continue;
			}
		}
		++it;
	}
}

void Spool::ack(const Batch& batch)
{
	if (!batch.spooled)
		return;
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return;
	ackLocked(batch.spoolFirst, batch.spoolEnd, true);
	_inflight.remove(batch.spoolFirst, batch.spoolEnd);
	_changed.broadcast();
}

std::uint64_t Spool::releasedEnd() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _released;
}

bool Spool::waitResolved(std::uint64_t end, Poco::Timespan timeout)
{
	Poco::Timestamp deadline;
	deadline += timeout;
	Poco::FastMutex::ScopedLock lock(_mutex);
	while (_inflight.lowest(_cursor) < end && !_closed)
	{
		Poco::Timestamp now;
		if (now >= deadline)
			return false;
		long ms = static_cast<long>((deadline - now + 999) / 1000);
		_changed.tryWait(_mutex, std::max(1L, std::min(ms, 1000L)));
	}
	return _inflight.lowest(_cursor) >= end;
}

void Spool::abort()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_aborted = true;
	_changed.broadcast();
}

std::uint64_t Spool::pending() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _unacked;
}

std::uint64_t Spool::persisted() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _unacked - std::min(_unacked, _inflight.total());
}

std::uint64_t Spool::bytes() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _bytes;
}

void Spool::close()
{
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (_closed)
			return;
		if (_writer.isOpen())
		{
			writeBuffer();
			_writer.close(true);
		}
		for (auto it = _segments.begin(); it != _segments.end();)
		{
			it->second.sealed = true;
			if (it->second.acked >= it->second.count)
				it = deleteSegment(it);
			else
				(it++)->second.closeFiles();
		}
		_directory.unlock();
		_inflight = InflightRanges(); // what senders had not resolved stays on disk
		_closed = true;
		_changed.broadcast();
	}
	reportDrops();
}

void Spool::detachAfterFork()
{
	// The flock belongs to the open file description the parent shares: closing our copy
	// leaves it held by the parent (LOCK_UN would release it for the parent too).
	_writer.detach();
	for (auto& kv : _segments)
		kv.second.closeFiles();
	_directory.detach();
	_closed = true;
}

} // namespace PostHog
