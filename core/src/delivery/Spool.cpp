//
// Spool.cpp
//

#include "delivery/Spool.h"
#include "Poco/Logger.h"
#include "PostHog/Exceptions.h"
#include "delivery/SpoolFile.h"
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace PostHog
{

Spool::Spool(const Options& options, const Reporter& reporter, ClientCounters& counters)
    : _options(options), _reporter(reporter), _counters(counters), _directory(options.path, reporter.logger())
{
	if (_options.segmentBytes == 0)
		_options.segmentBytes = segmentBytesFor(_options.maxBytes);
	try
	{
		scan();
		startSegment();
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

void Spool::scan()
{
	for (auto id : _directory.segmentIds())
	{
		SpoolSegment s(id, _directory.segmentFile(id, ".log"), _directory.segmentFile(id, ".ack"), _nextRn);
		s.scan(_reporter);
		_activeId = id;
		if (s.count == 0 || s.acked >= s.count)
		{
			s.remove();
			continue;
		}
		_nextRn += s.count;
		_bytes += s.bytes;
		_unacked += s.count - s.acked;
		_replayed += s.count - s.acked;
		_segments.emplace(id, std::move(s));
	}
	_released = _nextRn;
	_cursor = 0;
	if (!_segments.empty())
		_readPos = Position{0, _segments.begin()->first, kHeader};
	if (_replayed)
		_reporter.logger().information("PostHog spool " + _options.path + ": " + std::to_string(_replayed) +
		                               " events left by an earlier process will be sent first");
}

void Spool::startSegment()
{
	std::uint64_t id = _activeId + 1;
	SpoolSegment s(id, _directory.segmentFile(id, ".log"), _directory.segmentFile(id, ".ack"), _nextRn);
	_writeFd = ::open(s.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (_writeFd < 0)
		throw ConfigurationException("posthog.spool.path = '" + _options.path + "': cannot create " + s.file +
		                             ": " + SpoolFile::errorText(errno));
	_buffer.append(SpoolRecord::kMagic, SpoolRecord::kMagicBytes);
	s.bytes = SpoolRecord::kMagicBytes;
	_bytes += SpoolRecord::kMagicBytes;
	_activeId = id;
	if (_segments.empty() && _cursor == _nextRn)
		_readPos = Position{_nextRn, id, kHeader};
	_segments.emplace(id, std::move(s));
	if (_options.fsync == FsyncPolicy::Batch)
		SpoolFile::syncDirectory(_options.path); // the new directory entry must survive a crash too
}

void Spool::writeBuffer()
{
	if (_buffer.empty() || _writeFd < 0)
		return;
	auto it = _segments.find(_activeId);
	if (!SpoolFile::writeAll(_writeFd, _buffer.data(), _buffer.size()))
	{
		// Kept for the next commit; nothing is counted as spooled until it is written.
		_reporter.report(ClientError::Warning,
		                 "spool segment " + it->second.file + " could not be written (" +
		                     SpoolFile::errorText(errno) + "); retrying later",
		                 0, 0);
		return;
	}
	std::uint64_t records = it->second.count - it->second.committed;
	it->second.committed = it->second.count;
	it->second.committedBytes = it->second.bytes;
	_spooled.fetch_add(records, std::memory_order_relaxed);
	_buffer.clear();
	_dirty = true;
}

void Spool::sealActive()
{
	writeBuffer();
	auto it = _segments.find(_activeId);
	if (_options.fsync != FsyncPolicy::Never)
		SpoolFile::sync(_writeFd);
	::close(_writeFd);
	_writeFd = -1;
	it->second.sealed = true;
	if (it->second.acked >= it->second.count)
		deleteSegment(it);
}

bool Spool::append(const char* data, std::size_t length, Position& after)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return false;
	std::uint64_t need = SpoolRecord::size(length);
	auto active = _segments.find(_activeId);
	// A fully acknowledged active segment is rolled (and so deleted) before it grows further.
	bool roll = active->second.count > 0 && (active->second.acked >= active->second.count ||
	                                         active->second.bytes + need > _options.segmentBytes);
	if (roll)
	{
		sealActive();
		startSegment();
	}
	if (_bytes + need > _options.maxBytes && !makeRoom(need))
	{
		++_dropsUnreported;
		_counters.addDrop("spool_full");
		return false;
	}
	SpoolSegment& s = _segments.find(_activeId)->second;
	SpoolRecord::encode(_buffer, data, length);
	++s.count;
	s.bytes += need;
	_bytes += need;
	++_nextRn;
	++_unacked;
	after = Position{_nextRn, s.id, s.bytes};
	return true;
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
		if (active->second.count > 0 && active->second.acked >= active->second.count)
		{
			sealActive();
			startSegment();
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

void Spool::commit()
{
	int fd = -1;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (_closed)
			return;
		writeBuffer();
		Poco::Timestamp now;
		if (_dirty && (_options.fsync == FsyncPolicy::Batch ||
		               (_options.fsync == FsyncPolicy::Interval &&
		                now - _lastSync >= _options.fsyncInterval.totalMicroseconds())))
		{
			fd = _writeFd;
			_dirty = false;
			_lastSync = now;
		}
	}
	// Only the worker writes and rolls segments, so the descriptor stays open while it syncs
	// outside the lock (senders keep reading and acknowledging meanwhile).
	SpoolFile::sync(fd);
	reportDrops();
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
	while (_cursor < _released && batch.count() < maxEvents && readNext(batch, maxBytes, first))
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

bool Spool::readNext(Batch& batch, std::size_t maxBytes, std::uint64_t& first)
{
	auto it = _segments.lower_bound(_readPos.segment);
	if (it == _segments.end())
		return false;
	SpoolSegment& s = it->second;
	if (it->first != _readPos.segment)
	{
		// The segment was deleted (drop-oldest): continue with the next one.
		_readPos = Position{s.firstRn, s.id, kHeader};
		if (_cursor < s.firstRn)
		{
			if (!batch.empty())
				return false;
			_cursor = first = s.firstRn;
		}
	}
	if (_readPos.offset >= s.committedBytes || _cursor >= s.firstRn + s.committed)
	{
		auto next = std::next(it);
		if (!s.sealed || next == _segments.end())
			return false;
		_readPos = Position{next->second.firstRn, next->first, kHeader};
		return true;
	}
	std::uint64_t off = _readPos.offset;
	const char* data = nullptr;
	std::uint32_t length = 0;
	std::string why;
	SpoolSegment::Read read = s.read(off, data, length, why);
	if (read == SpoolSegment::Read::Unreadable)
	{
		_reporter.report(ClientError::Warning, "spool segment " + s.file + " cannot be read: " + why, 0, 0);
		return false;
	}
	if (read == SpoolSegment::Read::Damaged)
		return skipDamaged(s, off, why, batch, first);
	if (s.preAcked(_cursor - s.firstRn))
	{
		if (!batch.empty())
			return false; // keep a batch's records contiguous
		first = ++_cursor;
		_readPos.offset = off + SpoolRecord::size(length);
		return true;
	}
	if (!batch.empty() && batch.events.size() + 1 + length > maxBytes)
		return false;
	if (!batch.empty())
		batch.events.push_back(',');
	batch.offsets.push_back(static_cast<std::uint32_t>(batch.events.size()));
	batch.events.append(data, length);
	++_cursor;
	_readPos = Position{_cursor, s.id, off + SpoolRecord::size(length)};
	return true;
}

bool Spool::skipDamaged(SpoolSegment& s, std::uint64_t off, const std::string& why, Batch& batch,
                        std::uint64_t& first)
{
	// Changed on disk since it was written or scanned: skip the rest of the segment.
	std::uint64_t end = s.firstRn + s.committed;
	_reporter.report(ClientError::Warning,
	                 "spool segment " + s.file + " has " + why + " at offset " + std::to_string(off) +
	                     "; its remaining " + std::to_string(end - _cursor) + " records are skipped",
	                 0, 0);
	if (!batch.empty())
		return false;
	ackLocked(_cursor, end, false);
	_cursor = first = end;
	_readPos.offset = s.committedBytes;
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
		if (_writeFd >= 0)
		{
			writeBuffer();
			if (_options.fsync != FsyncPolicy::Never)
				SpoolFile::sync(_writeFd);
			::close(_writeFd);
			_writeFd = -1;
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
		_closed = true;
		_changed.broadcast();
	}
	reportDrops();
}

void Spool::detachAfterFork()
{
	// The flock belongs to the open file description the parent shares: closing our copy
	// leaves it held by the parent (LOCK_UN would release it for the parent too).
	if (_writeFd >= 0)
		::close(_writeFd);
	_writeFd = -1;
	for (auto& kv : _segments)
		kv.second.closeFiles();
	_directory.detach();
	_buffer.clear();
	_closed = true;
}

} // namespace PostHog
