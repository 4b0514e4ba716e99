//
// SpoolRecovery.cpp
//

#include "delivery/SpoolRecovery.h"
#include "Poco/Logger.h"
#include "delivery/SpoolFile.h"
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace PostHog
{

void SpoolRecovery::scan()
{
	for (auto id : _spool._directory.segmentIds())
	{
		SpoolSegment s(id, _spool._directory.segmentFile(id, ".log"),
		               _spool._directory.segmentFile(id, ".ack"), _spool._nextRn);
		s.scan(_spool._reporter);
		_spool._activeId = id;
		_spool._skippedBytes += s.skippedBytes;
		if (s.unreadable)
		{
			// Never deleted silently: moved aside for a person to look at.
			if (::rename(s.file.c_str(), (s.file + ".corrupt").c_str()) == 0)
				_spool._reporter.report(
				    ClientError::Warning,
				    "spool segment " + s.file + " was moved aside to " + s.file + ".corrupt", 0, 0);
			continue;
		}
		if (s.count == 0 || s.acked >= s.count)
		{
			s.remove();
			continue;
		}
		_spool._nextRn += s.count;
		_spool._bytes += s.bytes;
		_spool._unacked += s.count - s.acked;
		_spool._replayed += s.count - s.acked;
		_spool._segments.emplace(id, std::move(s));
	}
	_spool._released = _spool._nextRn;
	_spool._cursor = 0;
	if (!_spool._segments.empty())
		_spool._readPos = Spool::Position{0, _spool._segments.begin()->first, Spool::kHeader};
	if (_spool._replayed)
		_spool._reporter.logger().information("PostHog spool " + _spool._options.path + ": " +
		                                      std::to_string(_spool._replayed) +
		                                      " events left by an earlier process will be sent first");
}

void SpoolRecovery::rollBack(SpoolSegment& s, int error)
{
	// Nothing of what was buffered counts: the records leave the spool and their events stay
	// with the caller, in memory.
	std::uint64_t n = s.count - s.committed;
	_spool._faultEvents += n;
	_spool._nextRn -= n;
	_spool._unacked -= std::min(_spool._unacked, n);
	s.count = s.committed;
	std::uint64_t keep = s.committedBytes ? s.committedBytes : SpoolRecord::kMagicBytes;
	_spool._bytes -= std::min(_spool._bytes, s.bytes - keep);
	s.bytes = keep;
	_spool._writer.discard(s.committedBytes == 0);
	if (error == ENOENT)
	{
		_spool._writer.close(false); // the file is gone: a new segment starts once the directory is back
		s.sealed = true;
		loseVanished();
	}
}

void SpoolRecovery::loseVanished()
{
	// Records in files someone removed: those released for reading are failed here; later ones
	// belong to the worker's open batch, which writtenEnd() now tells to keep them in memory.
	for (auto it = _spool._segments.begin(); it != _spool._segments.end();)
	{
		SpoolSegment& s = it->second;
		if (::access(s.file.c_str(), F_OK) == 0)
		{
			++it;
			continue;
		}
		std::uint64_t from = std::max(s.firstRn, _spool._cursor), to = std::min(s.end(), _spool._released);
		if (to > from)
			failLost(s, from, to, "its file was removed");
		_spool._lostFrom = std::min(_spool._lostFrom, std::max(s.firstRn, _spool._released));
		_spool._unacked -= std::min(_spool._unacked, s.count - s.acked);
		s.closeFiles();
		_spool._bytes -= std::min(_spool._bytes, s.bytes);
		it = _spool._segments.erase(it);
	}
}

void SpoolRecovery::failLost(SpoolSegment& s, std::uint64_t from, std::uint64_t to, const std::string& why)
{
	std::uint64_t n = to - from;
	_spool._counters.addFailed("spool_lost", n);
	_spool._reporter.report(ClientError::DeliveryFailed,
	                        std::to_string(n) + " events were lost: spool segment " + s.file + " " + why +
	                            " before they were sent",
	                        0, static_cast<std::size_t>(n));
}

void SpoolRecovery::setFault(int error, const std::string& what, std::uint64_t bytes)
{
	Poco::Timestamp now;
	_spool._retryAt = now + Spool::kRetryIntervalMs * 1000;
	if (error != 0)
	{
		_spool._faultBytes += bytes;
		if (_spool._fault == 0)
			_spool._reporter.report(
			    ClientError::Warning,
			    what + " (" + SpoolFile::errorText(error) + "): " + std::to_string(bytes) +
			        " bytes were taken back; events are kept in memory (and sent from there) while "
			        "writes are retried every " +
			        std::to_string(Spool::kRetryIntervalMs) + " ms",
			    0, 0);
		_spool._fault = error;
		return;
	}
	_spool._reporter.report(ClientError::Warning,
	                        "the spool at " + _spool._options.path +
	                            " can be written again; while it could not, " +
	                            std::to_string(_spool._faultBytes) + " bytes (" +
	                            std::to_string(_spool._faultEvents) + " events) were kept in memory instead",
	                        0, 0);
	_spool._fault = 0;
	_spool._faultBytes = _spool._faultEvents = 0;
}

void SpoolRecovery::retryWriting()
{
	// A new segment in a (re-created) directory, when the old one cannot take more.
	if (_spool._writer.isOpen())
		return;
	try
	{
		_spool._directory.recreate(_spool._reporter.logger());
	}
	catch (Poco::Exception& e)
	{
		_spool._retryAt = Poco::Timestamp() + Spool::kRetryIntervalMs * 1000;
		return;
	}
	auto active = _spool._segments.find(_spool._activeId);
	if (active != _spool._segments.end())
		active->second.sealed = true;
	int error;
	if (!_spool.startSegment(error))
		setFault(error,
		         "spool segment " + _spool._directory.segmentFile(_spool._activeId + 1, ".log") +
		             " could not be created",
		         0);
}

} // namespace PostHog
