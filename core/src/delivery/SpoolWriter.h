//
// SpoolWriter.h
//
// Appends records to the active spool segment, all or nothing.
//

#ifndef PostHog_SpoolWriter_INCLUDED
#define PostHog_SpoolWriter_INCLUDED

#include "Poco/Timespan.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientOptions.h"
#include <cstdint>
#include <string>

namespace PostHog
{

class SpoolWriter
/// The write side of the spool: records are buffered, then written to the active segment in one
/// go by flush(). A write that fails part way (ENOSPC, EDQUOT, EIO, EROFS, ...) is cut back with
/// ftruncate to where the file ended before, so a record is either wholly in the file or not
/// at all; flush() also notices when the file was removed under it (its link count is 0), since
/// writes to an unlinked file succeed but persist nothing. fdatasync follows the fsync policy.
/// Not thread-safe: the Spool serialises access.
{
public:
	SpoolWriter(ClientOptions::SpoolFsync fsync, Poco::Timespan interval);
	~SpoolWriter();
	/// close() without syncing.

	bool open(const std::string& file, int& error);
	/// Creates (truncating) the segment file, owner-only, and buffers its magic header.

	void add(const char* data, std::size_t length);
	/// Buffers one record.

	bool flush(std::uint64_t fileBytes, int& error);
	/// Writes the buffer to the file, which holds fileBytes so far. True when everything was
	/// written (the buffer is then empty); otherwise the file is cut back to fileBytes, the
	/// buffer is kept and error says why (ENOENT: the file was removed).

	int syncDue();
	/// The descriptor to fdatasync now (after a flush, as the policy says), or -1.

	void close(bool sync);
	/// Writes nothing more; fdatasync first when sync.

	void detach();
	/// In a forked child: forgets the descriptor and the buffer.

	void discard(bool keepHeader);
	/// Forgets the buffered records (they are accounted for elsewhere); keeps the segment's
	/// magic header buffered when keepHeader (nothing of the file was written yet).

	bool isOpen() const noexcept { return _fd >= 0; }
	std::size_t buffered() const noexcept { return _buffer.size(); }

private:
	ClientOptions::SpoolFsync _fsync;
	Poco::Timespan _interval;
	int _fd = -1;
	std::string _buffer;
	Poco::Timestamp _lastSync;
	bool _dirty = false;
};

} // namespace PostHog

#endif // PostHog_SpoolWriter_INCLUDED
