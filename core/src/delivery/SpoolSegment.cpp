//
// SpoolSegment.cpp
//

#include "delivery/SpoolSegment.h"
#include "client/Reporter.h"
#include "delivery/SpoolFile.h"
#include "delivery/SpoolRecord.h"
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace PostHog
{

namespace
{

constexpr std::size_t kReadAhead = 256 * 1024; // one pread serves many records

} // namespace

SpoolSegment::SpoolSegment(std::uint64_t id_, std::string file_, std::string ackFile, std::uint64_t firstRn_)
    : id(id_), file(std::move(file_)), firstRn(firstRn_),
      _journal(std::make_shared<AckJournal>(std::move(ackFile)))
{
}

void SpoolSegment::scan(const Reporter& reporter)
{
	sealed = true;
	std::string data;
	if (!SpoolFile::readFile(file, data))
	{
		reporter.report(ClientError::Warning,
		                "spool segment " + file + " cannot be read: " + SpoolFile::errorText(errno), 0, 0);
		unreadable = true;
		return;
	}
	bytes = data.size();
	if (!SpoolRecord::hasMagic(data.data(), data.size()))
	{
		unreadable = !data.empty();
		if (unreadable)
			reporter.report(ClientError::Warning,
			                "spool file " + file +
			                    " is not a spool segment (no PHSPOOL1 header at offset 0); it is skipped",
			                0, 0);
		return;
	}
	std::size_t off = SpoolRecord::kMagicBytes;
	while (off < data.size())
	{
		std::uint32_t length;
		SpoolRecord::Check check = SpoolRecord::check(&data[off], data.size() - off, length);
		if (check == SpoolRecord::Check::Ok)
		{
			off += SpoolRecord::size(length);
			++count;
			continue;
		}
		// Resynchronise on the next valid record: the damage costs what it covers, no more.
		std::size_t next = SpoolRecord::resync(data.data(), data.size(), off + 1);
		skippedBytes += next - off;
		reporter.report(ClientError::Warning,
		                "spool segment " + file + " has " +
		                    SpoolRecord::describe(check, length, data.size() - off) + " at offset " +
		                    std::to_string(off) + "; " + std::to_string(next - off) + " bytes are skipped" +
		                    (next < data.size() ? ", reading resumes at offset " + std::to_string(next) : ""),
		                0, 0);
		if (next >= data.size())
			break;
		off = next;
	}
	if (off > data.size())
		off = data.size();
	// Records after damage are read back through resync() too, so committedBytes is the end of
	// the last valid record.
	committed = count;
	committedBytes = off;
	_preAcked = AckJournal::load(_journal->file(), static_cast<std::uint32_t>(count));
	acked = AckJournal::count(_preAcked);
}

bool SpoolSegment::ensure(std::uint64_t offset, std::size_t n)
{
	if (offset >= _chunkOffset && offset + n <= _chunkOffset + _chunk.size())
		return true;
	_chunkOffset = offset;
	std::size_t want =
	    static_cast<std::size_t>(std::min<std::uint64_t>(std::max(n, kReadAhead), committedBytes - offset));
	SpoolFile::readAt(_readFd, _chunk, want, offset);
	return offset + n <= _chunkOffset + _chunk.size();
}

SpoolSegment::Read SpoolSegment::read(std::uint64_t offset, const char*& data, std::uint32_t& length,
                                      std::string& why)
{
	if (_readFd < 0)
	{
		_readFd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
		if (_readFd < 0)
		{
			why = SpoolFile::errorText(errno);
			return Read::Unreadable;
		}
		_chunk.clear();
	}
	length = 0;
	if (!ensure(offset, SpoolRecord::kHeaderBytes))
	{
		why = "a short read";
		return Read::Damaged;
	}
	std::uint32_t announced = SpoolRecord::getU32(&_chunk[offset - _chunkOffset]);
	std::size_t available = static_cast<std::size_t>(committedBytes - offset);
	if (announced > 0 && announced <= SpoolRecord::kMaxRecord && SpoolRecord::size(announced) <= available &&
	    !ensure(offset, SpoolRecord::size(announced)))
	{
		why = "a short read";
		return Read::Damaged;
	}
	const char* at = &_chunk[offset - _chunkOffset];
	SpoolRecord::Check check = SpoolRecord::check(
	    at, std::min(available, _chunk.size() - static_cast<std::size_t>(offset - _chunkOffset)), length);
	if (check != SpoolRecord::Check::Ok)
	{
		why = check == SpoolRecord::Check::BadChecksum ? "a record whose CRC32 does not match"
		                                               : "a corrupt record length";
		return Read::Damaged;
	}
	data = at + SpoolRecord::kHeaderBytes;
	return Read::Ok;
}

std::uint64_t SpoolSegment::resync(std::uint64_t from, std::uint64_t& valid)
{
	valid = 0;
	std::string data;
	if (_readFd < 0 || from >= committedBytes ||
	    !SpoolFile::readAt(_readFd, data, committedBytes - from, from))
		return committedBytes;
	std::size_t next = SpoolRecord::resync(data.data(), data.size(), 1);
	for (std::size_t off = next; off < data.size();)
	{
		std::uint32_t length;
		if (SpoolRecord::check(&data[off], data.size() - off, length) == SpoolRecord::Check::Ok)
		{
			++valid;
			off += SpoolRecord::size(length);
		}
		else
			off = SpoolRecord::resync(data.data(), data.size(), off + 1);
	}
	_chunk.clear();
	return from + next;
}

bool SpoolSegment::journal(std::uint64_t from, std::uint64_t to)
{
	return _journal->append(static_cast<std::uint32_t>(from - firstRn),
	                        static_cast<std::uint32_t>(to - firstRn));
}

void SpoolSegment::closeFiles()
{
	if (_readFd >= 0)
		::close(_readFd);
	_readFd = -1;
	_chunk.clear();
	_chunk.shrink_to_fit();
	_journal->close();
}

void SpoolSegment::remove()
{
	closeFiles();
	::unlink(file.c_str());
	_journal->remove();
}

} // namespace PostHog
