//
// MessageQueue.h
//
// The bounded queue between the callers and the worker.
//

#ifndef PostHog_MessageQueue_INCLUDED
#define PostHog_MessageQueue_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Event.h"
#include "Poco/Mutex.h"
#include "Poco/Timespan.h"
#include "Poco/Timestamp.h"
#include "PostHog/Message.h"
#include "delivery/QueuedMessages.h"
#include <vector>

namespace PostHog
{

class MessageQueue
/// Producers push under a short lock: the message is copied as one compact record into the
/// current block (see QueuedMessages), so a queued message takes about its own bytes and no
/// allocation of its own; blocks the worker has finished come back and are reused. The worker
/// takes everything at once (the chain of blocks changes hands), so it processes a backlog
/// without touching the lock again. The worker is woken once per `wakeEvery` messages (a
/// batch; wakeAfter() sets how many the next wake-up waits for), not per push: waking costs a futex call the
/// caller would pay on every capture otherwise.
{
public:
	enum PushResult
	{
		Pushed,
		Full,
		Closed
	};

	MessageQueue(std::size_t capacity, bool blockWhenFull, std::size_t wakeEvery);
	~MessageQueue();
	MessageQueue(const MessageQueue&) = delete;
	MessageQueue& operator=(const MessageQueue&) = delete;

	PushResult push(const Message& message);
	PushResult push(const QueuedMessages::Parts& parts);
	/// Queues a copy of message (the caller's message is left as it was) under the next
	/// sequence number. When full: returns Full, or waits for room
	/// when blockWhenFull. A blocked push gives up (Full) when the worker has taken nothing for
	/// the block limit; later pushes then do not wait until the worker takes messages again.

	void setBlockLimit(Poco::Timespan limit);
	/// How long a blocked push waits without the worker taking anything (0: for ever). The
	/// worker stops taking only when it cannot place a batch: the hand-off to the senders is
	/// full (the endpoint refuses) and the spool cannot be written.

	Poco::Timestamp take(QueuedMessages& out, long timeoutMs);
	/// Waits up to timeoutMs (0: no wait) for a wake-up, then moves every queued message into
	/// out (what out still held is dropped first). Returns when the oldest of them was pushed
	/// (the batch interval counts from there).

	void wake();
	/// Wakes the worker now (flush, shutdown).

	void wakeAfter(std::size_t records);
	/// Worker, at the end of a round: the next wake-up comes once records messages are queued
	/// (counting those already waiting; at once when there are that many), instead of after
	/// wakeEvery more pushes. The open batch is that many events short of full, and a countdown
	/// started at an earlier take() could otherwise leave the events that fill it in the queue
	/// until batch.interval.

	void close();
	/// Refuses further pushes and releases blocked producers.

	std::uint64_t lastSequence() const;
	/// The sequence number of the last message pushed (0 when none).
	std::size_t size() const;

private:
	friend class QueuedMessages;

	bool waitForRoom();
	/// push() on a full queue (lock held): waits when blockWhenFull; false when it gives up.
	void recycle(QueuedMessages::Block* block);
	/// A block the worker has finished: kept for reuse (up to kSpareBlocks) or freed.
	QueuedMessages::Block* blockFor(std::size_t bytes);
	/// The block the next record of bytes goes into (with the lock held).

	static constexpr std::size_t kSpareBlocks = 4;

	mutable Poco::FastMutex _mutex;
	Poco::Condition _space;
	Poco::Event _wakeup;
	QueuedMessages::Block* _head = nullptr;
	QueuedMessages::Block* _tail = nullptr;
	std::vector<QueuedMessages::Block*> _spare;
	std::size_t _capacity;
	bool _block;
	std::size_t _wakeEvery;
	std::size_t _untilWake; // pushes left before the next wake-up
	std::size_t _size = 0;  // records in the blocks from _head
	std::uint64_t _lastSequence = 0;
	Poco::Timestamp _oldest; // when the queue last went from empty to non-empty
	bool _closed = false;
	Poco::Timespan _blockLimit;
	Poco::Timestamp _lastTake;
	bool _stalled = false; // a push gave up; cleared by the next take()
};

} // namespace PostHog

#endif // PostHog_MessageQueue_INCLUDED
