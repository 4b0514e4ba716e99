//
// SpoolReader.cpp
//

#include "delivery/SpoolReader.h"
#include "delivery/SpoolRecovery.h"

namespace PostHog
{

bool SpoolReader::readNext(Batch& batch, std::size_t maxBytes, std::uint64_t& first)
{
	auto it = _spool._segments.lower_bound(_spool._readPos.segment);
	if (it == _spool._segments.end())
		return false;
	SpoolSegment& s = it->second;
	if (it->first != _spool._readPos.segment)
	{
		// The segment was deleted (drop-oldest): continue with the next one.
		_spool._readPos = Spool::Position{s.firstRn, s.id, Spool::kHeader};
		if (_spool._cursor < s.firstRn)
		{
			if (!batch.empty())
				return false;
			_spool._cursor = first = s.firstRn;
		}
	}
	if (_spool._readPos.offset >= s.committedBytes || _spool._cursor >= s.firstRn + s.committed)
	{
		auto next = std::next(it);
		if (!s.sealed || next == _spool._segments.end())
			return false;
		_spool._readPos = Spool::Position{next->second.firstRn, next->first, Spool::kHeader};
		return true;
	}
	std::uint64_t off = _spool._readPos.offset;
	const char* data = nullptr;
	std::uint32_t length = 0;
	std::string why;
	SpoolSegment::Read read = s.read(off, data, length, why);
	if (read == SpoolSegment::Read::Unreadable)
	{
		if (!batch.empty())
			return false;
		// Gone or unreadable while this process runs: what no sender took is lost, and said so.
		std::uint64_t end = std::min(s.firstRn + s.committed, _spool._released);
		SpoolRecovery(_spool).failLost(s, _spool._cursor, end, "cannot be read (" + why + ")");
		_spool._readPos.offset = s.committedBytes; // before _spool.ackLocked(), which may delete the segment
		_spool.ackLocked(_spool._cursor, end, false);
		_spool._cursor = first = end;
		return true;
	}
	if (read == SpoolSegment::Read::Damaged)
		return skipDamaged(s, off, why, batch, first);
	if (s.preAcked(_spool._cursor - s.firstRn))
	{
		if (!batch.empty())
			return false; // keep a batch's records contiguous
		first = ++_spool._cursor;
		_spool._readPos.offset = off + SpoolRecord::size(length);
		return true;
	}
	if (!batch.empty() && batch.events.size() + 1 + length > maxBytes)
		return false;
	if (!batch.empty())
		batch.events.push_back(',');
	batch.offsets.push_back(static_cast<std::uint32_t>(batch.events.size()));
	batch.events.append(data, length);
	++_spool._cursor;
	_spool._readPos = Spool::Position{_spool._cursor, s.id, off + SpoolRecord::size(length)};
	return true;
}

bool SpoolReader::skipDamaged(SpoolSegment& s, std::uint64_t off, const std::string& why, Batch& batch,
                              std::uint64_t& first)
{
	if (!batch.empty())
		return false; // keep a batch's records contiguous
	// Resynchronise on the next valid record. Records the damage destroyed (counted when this
	// process wrote them, or when the segment was scanned) are failed; the rest are read on.
	std::uint64_t valid;
	std::uint64_t next = s.resync(off, valid);
	std::uint64_t end = s.firstRn + s.committed;
	std::uint64_t lost = end - _spool._cursor > valid ? end - _spool._cursor - valid : 0;
	_spool._reporter.report(ClientError::Warning,
	                        "spool segment " + s.file + " has " + why + " at offset " + std::to_string(off) +
	                            "; " + std::to_string(next - off) + " bytes are skipped",
	                        0, 0);
	if (lost)
		SpoolRecovery(_spool).failLost(s, _spool._cursor, _spool._cursor + lost,
		                               "was damaged on disk (" + why + ")");
	_spool._readPos.offset = next; // before _spool.ackLocked(), which may delete the segment
	_spool.ackLocked(_spool._cursor, _spool._cursor + lost, false);
	_spool._cursor += lost;
	first = _spool._cursor;
	return true;
}

} // namespace PostHog
