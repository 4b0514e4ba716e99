//
// Spool.h
//
// The disk spool: every accepted event is on disk until PostHog acknowledged it.
//

#ifndef PostHog_Spool_INCLUDED
#define PostHog_Spool_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Mutex.h"
#include "Poco/Timespan.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientOptions.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/Batch.h"
#include "delivery/InflightRanges.h"
#include "delivery/SpoolDirectory.h"
#include "delivery/SpoolRecord.h"
#include "delivery/SpoolSegment.h"
#include "delivery/SpoolWriter.h"
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class Spool
/// A directory (SpoolDirectory) of append-only segment files (SpoolSegment, laid out as
/// SpoolRecord says) holding the JSON of every event that passed the pipeline. Records are
/// numbered (record numbers, rn) in write order over all segments.
///
/// - The worker appends records (buffered) and commits them (write(2), then fdatasync as
///   posthog.spool.fsync says); `spooled` counts committed records.
/// - A finished in-memory batch is released: if no older record is waiting on disk and the
///   memory hand-off has room, the sender takes it from memory (claimed); otherwise it is
///   left on disk and senders read it back with readBatch(). Memory stays bounded however
///   long the server is down.
/// - ack() marks records delivered (or refused finally); acknowledgements go to the segment's
///   AckJournal so a restart does not resend them. A sealed segment whose records are all
///   acknowledged is deleted.
/// - At open, what an earlier process left is scanned and released for sending first. A torn or
///   corrupt record costs that record only: reading resumes at the next valid one, and what was
///   skipped is reported with file, offset and byte count. A segment that cannot be read at all
///   is renamed to .corrupt, never deleted.
/// - A write that fails (full disk, quota, I/O error, read-only file system, the directory
///   removed) is cut back so no torn record stays behind, and the records it held are taken
///   back out of the spool (writtenEnd() says where the spool ends): the caller keeps those
///   events in memory. Until a retry (every kRetryInterval) succeeds, add() answers Unavailable.
///   Each change between writable and failing is reported once, with byte counts.
/// - Directories are created 0700, files 0600.
///
/// Thread-safe.
{
public:
	using FullPolicy = ClientOptions::SpoolFull;
	/// DropNewest refuses the new record; DropOldest deletes the oldest segment not being sent;
	/// Block makes the worker wait for acknowledgements to free space.

	using FsyncPolicy = ClientOptions::SpoolFsync;
	/// Batch: fdatasync on every commit (each worker round and each batch); Interval: at most
	/// every fsyncInterval; Never: the operating system decides.

	struct Options
	{
		std::string path;
		std::uint64_t maxBytes = 1ULL << 30;
		FullPolicy full = FullPolicy::DropNewest;
		FsyncPolicy fsync = FsyncPolicy::Batch;
		Poco::Timespan fsyncInterval = Poco::Timespan(1, 0);
		std::uint64_t segmentBytes = 0; /// 0: maxBytes / 16, between 64 KiB and 16 MiB
	};

	struct Position
	/// Where reading resumes after a record: its record number + 1, segment and byte offset.
	{
		std::uint64_t rn = 0;
		std::uint64_t segment = 0;
		std::uint64_t offset = 0;
	};

	static constexpr std::uint32_t kMaxRecord = SpoolRecord::kMaxRecord;
	static constexpr std::size_t kHeader = SpoolRecord::kMagicBytes;

	static Options fromClientOptions(const ClientOptions& options);
	/// The posthog.spool.* settings.

	Spool(const Options& options, const Reporter& reporter, ClientCounters& counters);
	/// Creates and locks the directory and scans what is there. Throws ConfigurationException
	/// when the directory cannot be created or is locked by another live process.
	~Spool();
	/// close().

	enum class Append
	{
		Buffered,   /// the record will be written by the next commit()
		Full,       /// dropped: the spool is full (counted as dropped "spool_full")
		Unavailable /// not taken: the spool cannot be written now; keep the event in memory
	};

	static constexpr long kRetryIntervalMs = 1000;

	Append add(const char* data, std::size_t length, Position& after);
	/// Worker: buffers one record.

	bool append(const char* data, std::size_t length, Position& after)
	{
		return add(data, length, after) == Append::Buffered;
	}
	/// add(), true when buffered.

	bool commit();
	/// Worker: writes the buffered records and syncs as the fsync policy says. False when the
	/// write failed: the records from writtenEnd() on are no longer in the spool.

	std::uint64_t writtenEnd() const;
	/// Every record below this number is on disk (or resolved).
	Position writtenPosition() const;
	/// writtenEnd(), with the segment and offset where the record after it starts.

	bool writable() const;
	/// False while writes fail.

	bool holds(const Batch& batch) const;
	/// True when the batch's records are still in a segment (its file was not removed).

	void disown(std::uint64_t first, std::uint64_t end);
	/// Worker: records [first, end), below nextRn but from writtenEnd() on, are no longer the
	/// spool's to keep: their events go from memory. They are never read back.

	bool release(const Batch& batch, bool memoryHasRoom);
	/// Worker: the batch (records batch.spoolFirst .. batch.spoolEnd, all below writtenEnd()) is
	/// complete. Returns true when the caller should hand it to a sender from memory (it is then
	/// in flight); false when it stays on disk for readBatch().

	bool hasUnread() const;
	/// Released records no sender has taken yet.

	bool readBatch(Batch& batch, std::size_t maxEvents, std::size_t maxBytes);
	/// Sender: reads the next released records into batch (in flight afterwards). False when
	/// there is nothing to read.

	void ack(const Batch& batch);
	/// The records of batch are resolved (delivered, or refused finally); never resent.

	std::uint64_t releasedEnd() const;
	bool waitResolved(std::uint64_t end, Poco::Timespan timeout);
	/// Waits until every record below end is acknowledged (or dropped); false on timeout.

	void abort();
	/// Wakes a worker blocked on a full spool (Block policy) and makes it drop instead.

	void close();
	/// Commits, syncs, deletes fully acknowledged segments and releases the lock. Idempotent.

	void forkLock() { _mutex.lock(); }
	void forkUnlock() { _mutex.unlock(); }
	/// fork() handlers: the parent holds the lock across fork() so the child's copy is consistent.

	void detachAfterFork();
	/// In a forked child: closes the inherited descriptors without unlocking, syncing or
	/// deleting anything (the parent still owns the directory).

	std::uint64_t spooled() const noexcept { return _spooled.load(std::memory_order_relaxed); }
	std::uint64_t replayed() const noexcept { return _replayed; }
	std::uint64_t skippedBytes() const noexcept { return _skippedBytes; }
	/// Damaged bytes read past when the spool was opened.
	std::uint64_t pending() const;
	/// Records on disk not yet acknowledged.
	std::uint64_t persisted() const;
	/// Records on disk not yet acknowledged and not in flight.
	std::uint64_t bytes() const;
	const std::string& path() const noexcept { return _options.path; }

	static std::uint64_t segmentBytesFor(std::uint64_t maxBytes);

private:
	friend class SpoolReader;
	friend class SpoolRecovery;

	using Segments = std::map<std::uint64_t, SpoolSegment>;

	bool startSegment(int& error);
	void sealActive();
	bool writeBuffer();
	bool makeRoom(std::uint64_t need);
	bool dropOldestSegment();
	Segments::iterator deleteSegment(Segments::iterator it);
	void ackLocked(std::uint64_t first, std::uint64_t end, bool journal);
	void reportDrops();

	Options _options;
	const Reporter& _reporter;
	ClientCounters& _counters;

	SpoolDirectory _directory;

	mutable Poco::FastMutex _mutex;
	Poco::Condition _changed;
	Segments _segments; // by id, oldest first
	std::uint64_t _activeId = 0;
	SpoolWriter _writer;         // the active segment (worker)
	std::uint64_t _nextRn = 0;   // next record number
	std::uint64_t _released = 0; // records below this may be read by senders
	std::uint64_t _cursor = 0;   // next record no sender has taken
	Position _readPos;           // file position of _cursor
	InflightRanges _inflight;    // taken, not acked
	std::uint64_t _bytes = 0;    // segment bytes on disk (and buffered)
	std::uint64_t _unacked = 0;
	std::uint64_t _dropsUnreported = 0;
	std::uint64_t _replayed = 0;
	std::uint64_t _skippedBytes = 0;
	std::atomic<std::uint64_t> _spooled{0};
	std::uint64_t _lostFrom = UINT64_MAX; // records from here on were in removed files
	int _fault = 0;                       // errno of the failing writes; 0 while writable
	Poco::Timestamp _retryAt;             // when add() takes records again after a failure
	std::uint64_t _faultBytes = 0;        // bytes that could not be written since the fault began
	std::uint64_t _faultEvents = 0;       // records taken back out since the fault began
	bool _aborted = false;
	bool _closed = false;
};

} // namespace PostHog

#endif // PostHog_Spool_INCLUDED
