//
// RecordQueue.h
//
// A bounded queue of records with its own sender thread and flush timer.
//

#ifndef PostHog_RecordQueue_INCLUDED
#define PostHog_RecordQueue_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientStatistics.h"
#include "logs/RecordSender.h"
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class QueuedRecord
/// One record waiting in a RecordQueue, written into the request body by the sender thread.
{
public:
	virtual ~QueuedRecord();
	virtual void encode(std::string& out) const = 0;
	/// Appends the record's JSON.
};

class RecordQueue : public Poco::Runnable
/// The delivery of a side route (logs, AI events), apart from the event queue and worker: push()
/// adds a record (a full queue drops its oldest one, counted as "queue_full" and warned about
/// once per burst); a thread started on the first push sends up to maxBatch records a request,
/// when threshold records wait, when the interval passes, on flush() and at shutdown, one
/// request in flight at a time. A request body is head + records joined by commas + tail.
///
/// fork(): the child drops what it inherited (the parent sends those records) and starts a new
/// thread on its next push; the parent's locks and thread are never touched in the child.
{
public:
	struct Settings
	{
		std::string name;     /// "logs": used in messages and the thread's name
		std::string endpoint; /// path and query below posthog.host
		std::string head;     /// the request body before the records
		std::string tail;     /// and after them
		std::size_t capacity = 10000;
		std::size_t maxBatch = 500;
		std::size_t threshold = 100;
		Poco::Timespan interval = Poco::Timespan(3, 0);
	};

	RecordQueue(const ClientOptions& options, Settings settings, const Reporter& reporter);
	~RecordQueue() override;
	/// shutdown(0) when still running.

	bool push(std::unique_ptr<QueuedRecord> record);
	/// Queues a record. False after shutdown.

	void countDrop(const std::string& reason);
	/// Counts a record refused before it was queued (a gate).

	bool flush(Poco::Timespan timeout);
	/// Sends what was queued before the call; true when all of it was resolved in time.

	bool shutdown(Poco::Timespan timeout);
	/// Flushes up to timeout, then abandons what is left (counted failed) and stops the thread.
	/// True when everything was resolved before the timeout. Idempotent.

	RouteStatistics statistics() const;

	void run() override;

private:
	struct State
	{
		Poco::FastMutex mutex;
		Poco::Condition wake; // the sender thread waits on it
		Poco::Condition done; // flush() waits on it
		std::deque<std::unique_ptr<QueuedRecord>> records;
		std::uint64_t pushed = 0;   // records ever queued
		std::uint64_t resolved = 0; // sent, failed or evicted, in queue order
		std::uint64_t target = 0;   // send until resolved reaches it
		bool stopping = false;
		bool started = false;
		bool warnedFull = false;
		Poco::Timestamp due;
	};

	static void forkPrepare();
	static void forkParent();
	static void forkChild();

	void sendBatch(std::vector<std::unique_ptr<QueuedRecord>>& batch);
	void failRemaining();
	bool waitResolved(std::uint64_t target, Poco::Timespan timeout);

	const ClientOptions& _options;
	const Settings _settings;
	const Reporter& _reporter;
	std::unique_ptr<State> _state;
	std::unique_ptr<RecordSender> _sender;
	std::unique_ptr<Poco::Thread> _thread;
	bool _shutDown = false; // under _state->mutex

	std::atomic<std::uint64_t> _sent{0};
	std::atomic<std::uint64_t> _failed{0};
	std::atomic<std::uint64_t> _requests{0};
	std::atomic<std::uint64_t> _retried{0};
	mutable Poco::FastMutex _dropMutex;
	std::map<std::string, std::uint64_t> _dropped;
};

} // namespace PostHog

#endif // PostHog_RecordQueue_INCLUDED
