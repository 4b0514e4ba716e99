//
// Spool.cpp
//

#include "delivery/Spool.h"
#include "Poco/Checksum.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/NumberFormatter.h"
#include "Poco/NumberParser.h"
#include "Poco/Path.h"
#include "PostHog/Exceptions.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace PostHog
{

namespace
{

const char kMagic[Spool::kHeader + 1] = "PHSPOOL1";

void putU32(std::string& out, std::uint32_t v)
{
	char b[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
	             static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
	out.append(b, 4);
}

std::uint32_t getU32(const char* p)
{
	const auto* u = reinterpret_cast<const unsigned char*>(p);
	return static_cast<std::uint32_t>(u[0]) | (static_cast<std::uint32_t>(u[1]) << 8) |
	       (static_cast<std::uint32_t>(u[2]) << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

std::uint32_t crc32(const char* data, std::size_t length)
{
	Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
	crc.update(data, static_cast<unsigned>(length));
	return crc.checksum();
}

bool writeAll(int fd, const char* data, std::size_t length)
{
	while (length > 0)
	{
		ssize_t n = ::write(fd, data, length);
		if (n < 0)
		{
			if (errno == EINTR)
				continue;
			return false;
		}
		data += n;
		length -= static_cast<std::size_t>(n);
	}
	return true;
}

bool readAt(int fd, std::string& out, std::size_t length, std::uint64_t offset)
{
	out.resize(length);
	std::size_t done = 0;
	while (done < length)
	{
		ssize_t n = ::pread(fd, &out[done], length - done, static_cast<off_t>(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += static_cast<std::size_t>(n);
	}
	out.resize(done);
	return done == length;
}

bool readFile(const std::string& path, std::string& out)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = ::fstat(fd, &st) == 0 && (readAt(fd, out, static_cast<std::size_t>(st.st_size), 0) || true);
	::close(fd);
	return ok;
}

std::string errnoText()
{
	return std::strerror(errno);
}

} // namespace

Spool::Spool(const Options& options, const Reporter& reporter, ClientCounters& counters)
    : _options(options), _reporter(reporter), _counters(counters)
{
	if (_options.segmentBytes == 0)
		_options.segmentBytes = segmentBytesFor(_options.maxBytes);
	openDirectory();
	lockDirectory();
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

std::uint64_t Spool::segmentBytesFor(std::uint64_t maxBytes)
{
	return std::min<std::uint64_t>(16 * 1024 * 1024, std::max<std::uint64_t>(64 * 1024, maxBytes / 16));
}

std::string Spool::segmentFile(std::uint64_t id, const char* ext) const
{
	return Poco::Path(_options.path, "seg-" + Poco::NumberFormatter::format0(id, 16) + ext).toString();
}

void Spool::openDirectory()
{
	Poco::Path path(_options.path);
	path.makeDirectory();
	// Create each missing level owner-only (Poco::File::createDirectories would use 0777 & umask).
	std::string current = path.isAbsolute() ? "/" : "";
	for (int i = 0; i < path.depth(); ++i)
	{
		current += path[i] + "/";
		if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST)
			throw ConfigurationException("posthog.spool.path = '" + _options.path +
			                             "' cannot be created: " + current + ": " + errnoText());
	}
	struct stat st;
	if (::stat(_options.path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
		throw ConfigurationException("posthog.spool.path = '" + _options.path + "' is not a directory");
	if (st.st_mode & 077)
		_reporter.logger().warning("the spool directory " + _options.path +
		                           " is readable by other users; spooled events may contain personal data");
}

void Spool::lockDirectory()
{
	std::string lockPath = Poco::Path(_options.path, "lock").toString();
	_lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (_lockFd < 0)
		throw ConfigurationException("posthog.spool.path = '" + _options.path + "': cannot open " + lockPath +
		                             ": " + errnoText());
	if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0)
	{
		int err = errno;
		std::string holder;
		readAt(_lockFd, holder, 32, 0);
		while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0'))
			holder.pop_back();
		::close(_lockFd);
		_lockFd = -1;
		if (err == EWOULDBLOCK)
			throw ConfigurationException("posthog.spool.path = '" + _options.path +
			                             "' is in use by another live process" +
			                             (holder.empty() ? std::string() : " (pid " + holder + ")") +
			                             "; give each client its own spool directory");
		throw ConfigurationException("posthog.spool.path = '" + _options.path +
		                             "' cannot be locked: " + std::strerror(err));
	}
	std::string pid = std::to_string(::getpid()) + "\n";
	if (::ftruncate(_lockFd, 0) == 0)
		(void)!::pwrite(_lockFd, pid.data(), pid.size(), 0);
}

void Spool::scan()
{
	std::vector<std::uint64_t> ids;
	for (Poco::DirectoryIterator it(_options.path), end; it != end; ++it)
	{
		const std::string& name = it.name();
		if (name.size() != 4 + 16 + 4 || name.compare(0, 4, "seg-") != 0 || name.compare(20, 4, ".log") != 0)
			continue;
		Poco::UInt64 id;
		if (Poco::NumberParser::tryParseUnsigned64(name.substr(4, 16), id))
			ids.push_back(id);
	}
	std::sort(ids.begin(), ids.end());
	for (auto id : ids)
	{
		Segment s;
		s.id = id;
		s.file = segmentFile(id, ".log");
		s.firstRn = _nextRn;
		s.sealed = true;
		scanSegment(s);
		_activeId = id;
		if (s.count == 0 || s.acked >= s.count)
		{
			Poco::File(s.file).remove();
			Poco::File ack(segmentFile(id, ".ack"));
			if (ack.exists())
				ack.remove();
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

void Spool::scanSegment(Segment& s)
{
	std::string data;
	if (!readFile(s.file, data))
	{
		_reporter.report(ClientError::Warning, "spool segment " + s.file + " cannot be read: " + errnoText(),
		                 0, 0);
		return;
	}
	s.bytes = data.size();
	if (data.size() < kHeader || data.compare(0, kHeader, kMagic) != 0)
	{
		if (!data.empty())
			_reporter.report(ClientError::Warning,
			                 "spool file " + s.file +
			                     " is not a spool segment (no PHSPOOL1 header at offset 0); it is skipped",
			                 0, 0);
		return;
	}
	std::size_t off = kHeader;
	while (off < data.size())
	{
		std::string why;
		if (data.size() - off < 8)
			why = "a torn record header";
		else
		{
			std::uint32_t length = getU32(&data[off]);
			std::uint32_t crc = getU32(&data[off + 4]);
			if (length == 0 || length > kMaxRecord)
				why = "a corrupt record length (" + std::to_string(length) + ")";
			else if (data.size() - off - 8 < length)
				why = "a torn record (" + std::to_string(length) + " bytes announced, " +
				      std::to_string(data.size() - off - 8) + " present)";
			else if (crc32(&data[off + 8], length) != crc)
				why = "a record whose CRC32 does not match";
			else
			{
				off += 8 + length;
				++s.count;
				continue;
			}
		}
		_reporter.report(ClientError::Warning,
		                 "spool segment " + s.file + " has " + why + " at offset " + std::to_string(off) +
		                     "; the remaining " + std::to_string(data.size() - off) + " bytes are skipped",
		                 0, 0);
		break;
	}
	s.committed = s.count;
	s.committedBytes = off;

	// Acknowledgements an earlier process recorded: 12-byte entries (begin, end, check).
	std::string acks;
	if (readFile(segmentFile(s.id, ".ack"), acks))
	{
		for (std::size_t p = 0; p + 12 <= acks.size(); p += 12)
		{
			std::uint32_t b = getU32(&acks[p]), e = getU32(&acks[p + 4]), check = getU32(&acks[p + 8]);
			if (check != (b ^ e ^ 0xA5A5A5A5u) || b >= e || e > s.count)
				continue;
			s.preAcked.emplace_back(b, e);
		}
		std::sort(s.preAcked.begin(), s.preAcked.end());
		std::vector<std::pair<std::uint32_t, std::uint32_t>> merged;
		for (const auto& r : s.preAcked)
		{
			if (!merged.empty() && r.first <= merged.back().second)
				merged.back().second = std::max(merged.back().second, r.second);
			else
				merged.push_back(r);
		}
		s.preAcked.swap(merged);
		for (const auto& r : s.preAcked)
			s.acked += r.second - r.first;
	}
}

void Spool::startSegment()
{
	Segment s;
	s.id = _activeId + 1;
	s.file = segmentFile(s.id, ".log");
	s.firstRn = _nextRn;
	_writeFd = ::open(s.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (_writeFd < 0)
		throw ConfigurationException("posthog.spool.path = '" + _options.path + "': cannot create " + s.file +
		                             ": " + errnoText());
	_buffer.append(kMagic, kHeader);
	s.bytes = kHeader;
	_bytes += kHeader;
	_activeId = s.id;
	if (_segments.empty() && _cursor == _nextRn)
		_readPos = Position{_nextRn, s.id, kHeader};
	_segments.emplace(s.id, std::move(s));
	if (_options.fsync == FsyncPolicy::Batch)
	{
		// The new directory entry must survive a crash too.
		int dir = ::open(_options.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir >= 0)
		{
			::fsync(dir);
			::close(dir);
		}
	}
}

void Spool::writeBuffer()
{
	if (_buffer.empty() || _writeFd < 0)
		return;
	auto it = _segments.find(_activeId);
	if (!writeAll(_writeFd, _buffer.data(), _buffer.size()))
	{
		// Kept for the next commit; nothing is counted as spooled until it is written.
		_reporter.report(ClientError::Warning,
		                 "spool segment " + it->second.file + " could not be written (" + errnoText() +
		                     "); retrying later",
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

void Spool::sync(int fd)
{
	if (fd >= 0)
		::fdatasync(fd);
}

void Spool::sealActive()
{
	writeBuffer();
	auto it = _segments.find(_activeId);
	if (_options.fsync != FsyncPolicy::Never)
		sync(_writeFd);
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
	std::uint64_t need = 8 + length;
	auto active = _segments.find(_activeId);
	// A fully acknowledged active segment is rolled (and so deleted) before it grows further.
	bool roll = active->second.count > 0 && (active->second.acked >= active->second.count ||
	                                         active->second.bytes + need > _options.segmentBytes);
	if (roll)
	{
		sealActive();
		startSegment();
	}
	if (_bytes + need > _options.maxBytes && !makeRoom(need, lock))
	{
		++_dropsUnreported;
		_counters.addDrop("spool_full");
		return false;
	}
	active = _segments.find(_activeId);
	putU32(_buffer, static_cast<std::uint32_t>(length));
	putU32(_buffer, crc32(data, length));
	_buffer.append(data, length);
	Segment& s = active->second;
	++s.count;
	s.bytes += need;
	_bytes += need;
	++_nextRn;
	++_unacked;
	after = Position{_nextRn, s.id, s.bytes};
	return true;
}

bool Spool::makeRoom(std::uint64_t need, Poco::FastMutex::ScopedLock&)
{
	while (_bytes + need > _options.maxBytes)
	{
		if (_aborted || _closed)
			return false;
		if (_options.full == FullPolicy::DropNewest)
			return false;
		if (_options.full == FullPolicy::DropOldest)
		{
			auto victim = _segments.end();
			for (auto it = _segments.begin(); it != _segments.end(); ++it)
			{
				if (it->first == _activeId)
					break;
				std::uint64_t b = it->second.firstRn, e = b + it->second.count;
				auto in = _inflight.lower_bound(e);
				bool busy = false;
				if (in != _inflight.begin())
				{
					--in;
					busy = in->second > b; // an in-flight range overlaps [b, e)
				}
				if (!busy)
				{
					victim = it;
					break;
				}
			}
			if (victim == _segments.end())
				return false;
			Segment& s = victim->second;
			std::uint64_t lost = s.count - s.acked;
			std::uint64_t b = s.firstRn, e = b + s.count;
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

void Spool::deleteSegment(std::map<std::uint64_t, Segment>::iterator it)
{
	Segment& s = it->second;
	if (s.readFd >= 0)
		::close(s.readFd);
	if (s.ackFd >= 0)
		::close(s.ackFd);
	::unlink(s.file.c_str());
	::unlink(segmentFile(s.id, ".ack").c_str());
	_bytes -= std::min(_bytes, s.bytes);
	_segments.erase(it);
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
	sync(fd);
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
		_inflight[batch.spoolFirst] = batch.spoolEnd;
		return true;
	}
	return false;
}

bool Spool::hasUnread() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return !_closed && _cursor < _released;
}

bool Spool::preAcked(const Segment& s, std::uint64_t index) const
{
	if (s.preAcked.empty())
		return false;
	auto it = std::upper_bound(s.preAcked.begin(), s.preAcked.end(),
	                           std::make_pair(static_cast<std::uint32_t>(index), UINT32_MAX));
	if (it == s.preAcked.begin())
		return false;
	--it;
	return index >= it->first && index < it->second;
}

bool Spool::readBatch(Batch& batch, std::size_t maxEvents, std::size_t maxBytes)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return false;
	std::string chunk;
	std::uint64_t chunkSegment = 0, chunkOffset = 0;
	std::string payload;
	std::uint64_t first = _cursor;
	while (_cursor < _released && batch.count() < maxEvents)
	{
		auto it = _segments.lower_bound(_readPos.segment);
		if (it == _segments.end())
			break;
		Segment& s = it->second;
		if (it->first != _readPos.segment)
		{
			// The segment was deleted (drop-oldest): continue with the next one.
			_readPos = Position{s.firstRn, s.id, kHeader};
			if (_cursor < s.firstRn)
			{
				if (!batch.empty())
					break;
				_cursor = s.firstRn;
				first = _cursor;
			}
		}
		if (_readPos.offset >= s.committedBytes || _cursor >= s.firstRn + s.committed)
		{
			if (!s.sealed)
				break;
			auto next = std::next(it);
			if (next == _segments.end())
				break;
			_readPos = Position{next->second.firstRn, next->first, kHeader};
			continue;
		}
		if (s.readFd < 0)
		{
			s.readFd = ::open(s.file.c_str(), O_RDONLY | O_CLOEXEC);
			if (s.readFd < 0)
			{
				_reporter.report(ClientError::Warning,
				                 "spool segment " + s.file + " cannot be read: " + errnoText(), 0, 0);
				break;
			}
		}
		// Read ahead in 256 KiB chunks: one pread serves many records.
		auto ensure = [&](std::uint64_t offset, std::size_t n)
		{
			if (chunkSegment == s.id && offset >= chunkOffset && offset + n <= chunkOffset + chunk.size())
				return true;
			chunkSegment = s.id;
			chunkOffset = offset;
			std::size_t want = static_cast<std::size_t>(
			    std::min<std::uint64_t>(std::max<std::size_t>(n, 256 * 1024), s.committedBytes - offset));
			readAt(s.readFd, chunk, want, offset);
			return offset + n <= chunkOffset + chunk.size();
		};
		std::uint64_t off = _readPos.offset;
		std::string why;
		std::uint32_t length = 0;
		if (!ensure(off, 8))
			why = "a short read";
		else
		{
			length = getU32(&chunk[off - chunkOffset]);
			std::uint32_t crc = getU32(&chunk[off - chunkOffset + 4]);
			if (length == 0 || length > kMaxRecord || off + 8 + length > s.committedBytes)
				why = "a corrupt record length";
			else if (!ensure(off, 8 + length))
				why = "a short read";
			else if (crc32(&chunk[off - chunkOffset + 8], length) != crc)
				why = "a record whose CRC32 does not match";
		}
		if (!why.empty())
		{
			// Changed on disk since it was written or scanned: skip the rest of the segment.
			std::uint64_t end = s.firstRn + s.committed;
			_reporter.report(ClientError::Warning,
			                 "spool segment " + s.file + " has " + why + " at offset " + std::to_string(off) +
			                     "; its remaining " + std::to_string(end - _cursor) + " records are skipped",
			                 0, 0);
			if (!batch.empty())
				break;
			ackLocked(_cursor, end, false);
			_cursor = end;
			first = _cursor;
			_readPos.offset = s.committedBytes;
			continue;
		}
		std::uint64_t index = _cursor - s.firstRn;
		if (preAcked(s, index))
		{
			if (!batch.empty())
				break; // keep a batch's records contiguous
			++_cursor;
			first = _cursor;
			_readPos.offset = off + 8 + length;
			continue;
		}
		if (!batch.empty() && batch.events.size() + 1 + length > maxBytes)
			break;
		if (!batch.empty())
			batch.events.push_back(',');
		batch.offsets.push_back(static_cast<std::uint32_t>(batch.events.size()));
		batch.events.append(&chunk[off - chunkOffset + 8], length);
		++_cursor;
		_readPos = Position{_cursor, s.id, off + 8 + length};
	}
	_changed.broadcast();
	if (batch.empty())
		return false;
	batch.spooled = true;
	batch.spoolFirst = first;
	batch.spoolEnd = _cursor;
	batch.key = 0;
	batch.opened = Poco::Timestamp();
	_inflight[first] = _cursor;
	return true;
}

void Spool::ackLocked(std::uint64_t first, std::uint64_t end, bool journal)
{
	if (first >= end)
		return;
	auto it = _segments.begin();
	while (it != _segments.end())
	{
		Segment& s = it->second;
		std::uint64_t b = s.firstRn, e = s.firstRn + s.count;
		auto next = std::next(it);
		if (e > first && b < end)
		{
			std::uint64_t from = std::max(b, first), to = std::min(e, end);
			std::uint64_t n = to - from;
			s.acked += n;
			_unacked -= std::min(_unacked, n);
			if (journal)
			{
				if (s.ackFd < 0)
					s.ackFd = ::open(segmentFile(s.id, ".ack").c_str(),
					                 O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
				if (s.ackFd >= 0)
				{
					std::string entry;
					auto bi = static_cast<std::uint32_t>(from - b), ei = static_cast<std::uint32_t>(to - b);
					putU32(entry, bi);
					putU32(entry, ei);
					putU32(entry, bi ^ ei ^ 0xA5A5A5A5u);
					writeAll(s.ackFd, entry.data(), entry.size());
				}
			}
			if (s.sealed && s.acked >= s.count)
				deleteSegment(it);
		}
		if (b >= end)
			break;
		it = next;
	}
}

void Spool::removeInflight(std::uint64_t first, std::uint64_t end)
{
	auto it = _inflight.upper_bound(first);
	if (it == _inflight.begin())
		return;
	--it;
	std::uint64_t b = it->first, e = it->second;
	if (first >= e)
		return;
	_inflight.erase(it);
	if (b < first)
		_inflight[b] = first;
	if (end < e)
		_inflight[end] = e;
}

void Spool::ack(const Batch& batch)
{
	if (!batch.spooled)
		return;
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (_closed)
		return;
	ackLocked(batch.spoolFirst, batch.spoolEnd, true);
	removeInflight(batch.spoolFirst, batch.spoolEnd);
	_changed.broadcast();
}

std::uint64_t Spool::resolvedBelowLocked() const
{
	std::uint64_t r = _cursor;
	if (!_inflight.empty())
		r = std::min(r, _inflight.begin()->first);
	return r;
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
	while (resolvedBelowLocked() < end && !_closed)
	{
		Poco::Timestamp now;
		if (now >= deadline)
			return false;
		long ms = static_cast<long>((deadline - now + 999) / 1000);
		_changed.tryWait(_mutex, std::max(1L, std::min(ms, 1000L)));
	}
	return resolvedBelowLocked() >= end;
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
				sync(_writeFd);
			::close(_writeFd);
			_writeFd = -1;
		}
		for (auto it = _segments.begin(); it != _segments.end();)
		{
			auto next = std::next(it);
			it->second.sealed = true;
			if (it->second.acked >= it->second.count)
				deleteSegment(it);
			else
			{
				if (it->second.readFd >= 0)
					::close(it->second.readFd);
				if (it->second.ackFd >= 0)
					::close(it->second.ackFd);
				it->second.readFd = it->second.ackFd = -1;
			}
			it = next;
		}
		if (_lockFd >= 0)
		{
			::flock(_lockFd, LOCK_UN);
			::close(_lockFd);
			_lockFd = -1;
		}
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
	{
		if (kv.second.readFd >= 0)
			::close(kv.second.readFd);
		if (kv.second.ackFd >= 0)
			::close(kv.second.ackFd);
		kv.second.readFd = kv.second.ackFd = -1;
	}
	if (_lockFd >= 0)
		::close(_lockFd);
	_lockFd = -1;
	_buffer.clear();
	_closed = true;
}

} // namespace PostHog
