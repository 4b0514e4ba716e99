//
// SpoolSegment.h
//
// One segment file of the spool and what is known about its records.
//

#ifndef PostHog_SpoolSegment_INCLUDED
#define PostHog_SpoolSegment_INCLUDED

#include "delivery/AckJournal.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class Reporter;

class SpoolSegment
/// A seg-<id>.log file (see SpoolRecord for its layout) with its acknowledgement journal: the
/// record numbers it holds (firstRn .. firstRn + count - 1), how many of them are written to the
/// file (committed) and resolved (acked). scan() reads a segment an earlier process left;
/// read() serves records back to the senders through a read-ahead buffer. Not thread-safe: the
/// Spool serialises access.
{
public:
	enum class Read
	{
		Ok,        /// data/length point at the record's bytes
		Damaged,   /// not a valid record; why says what is wrong
		Unreadable /// the file cannot be opened
	};

	SpoolSegment(std::uint64_t id, std::string file, std::string ackFile, std::uint64_t firstRn);

	void scan(const Reporter& reporter);
	/// Counts the valid records of the file (a sealed segment left by an earlier process) and
	/// loads its journal. Damage is reported with the file and offset and read past: counting
	/// resumes at the next valid record (SpoolRecord::resync).

	Read read(std::uint64_t offset, const char*& data, std::uint32_t& length, std::string& why);
	/// The record at offset (below committedBytes). data stays valid until the next read().

	std::uint64_t resync(std::uint64_t from, std::uint64_t& valid);
	/// After damage at from: the offset of the next valid record (committedBytes when none) and
	/// how many valid records follow from there, as scan() would count them.

	bool journal(std::uint64_t from, std::uint64_t to);
	/// Records [from, to) (record numbers) are resolved: appended to the journal.

	bool preAcked(std::uint64_t index) const { return AckJournal::contains(_preAcked, index); }
	/// Resolved by an earlier process (index within the segment).

	void closeFiles();
	/// Closes the read and journal descriptors.

	void remove();
	/// Closes and deletes the segment and its journal.

	std::uint64_t end() const noexcept { return firstRn + count; }

	std::uint64_t id;
	std::string file;
	std::uint64_t firstRn;
	std::uint64_t count = 0;     /// records (committed or buffered)
	std::uint64_t committed = 0; /// records written to the file
	std::uint64_t bytes = 0;     /// bytes incl. header and buffered records
	std::uint64_t committedBytes = 0;
	std::uint64_t acked = 0;
	bool sealed = false;
	bool unreadable = false;        /// scan(): the file cannot be read or is not a segment
	std::uint64_t skippedBytes = 0; /// scan(): damaged bytes read past

private:
	bool ensure(std::uint64_t offset, std::size_t n);

	std::shared_ptr<AckJournal> _journal;
	std::vector<AckJournal::Range> _preAcked; // resolved by an earlier process, by index
	int _readFd = -1;
	std::string _chunk; // read-ahead: bytes at _chunkOffset
	std::uint64_t _chunkOffset = 0;
};

} // namespace PostHog

#endif // PostHog_SpoolSegment_INCLUDED
