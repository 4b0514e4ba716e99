//
// BatchingSink.h
//
// Turns accepted messages into batch requests and delivers them, with retries.
//

#ifndef PostHog_BatchingSink_INCLUDED
#define PostHog_BatchingSink_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Event.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Message.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/Batch.h"
#include "delivery/BatchDelivery.h"
#include "delivery/DeliveryTracker.h"
#include "delivery/RetryPolicy.h"
#include "delivery/Spool.h"
#include "delivery/Transport.h"
#include <atomic>
#include <deque>
#include <memory>
#include <vector>

namespace PostHog
{

class BatchingSink
/// The worker appends messages (serialised once, straight into the open batch); full batches,
/// and the open batch on flush or when batch.interval passes, go to a bounded hand-off queue
/// that http.connections sender threads drain, each over its own kept-alive connection.
///
/// Requests are sent by BatchDelivery (see RetryPolicy) through a Transport (HttpTransport
/// unless the constructor is given another factory). With a spool, a batch is all on disk or
/// all in memory: events the spool could not write stay in memory batches.
{
public:
	static constexpr std::size_t kMaxEventBytes = 1000 * 1000;
	/// PostHog refuses events over 1 MB; they are dropped here with a reason.

	BatchingSink(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
	             DeliveryTracker& tracker, TransportFactory transports = TransportFactory());
	/// transports makes one Transport per sender thread (and one for sync mode); empty: an
	/// HttpTransport to options.host.
	~BatchingSink();

	void start();
	/// Starts the sender threads (not needed in sync mode).

	void setSpool(Spool* spool);
	/// Before start(): every appended event is also written to spool; a finished batch goes to
	/// the senders from memory only when no older event waits on disk and the hand-off has
	/// room, otherwise senders read it back from the spool (the worker never waits for them).
	/// Spooled batches are acknowledged in the spool when delivered or refused finally, are
	/// retried until shutdown (maxRetries does not apply), and stay on disk when the client
	/// shuts down before they are delivered.

	void append(const Message& message);
	/// Worker: adds a message to the open batch, handing the batch to the senders when it is
	/// full (waits when they are connections * 2 batches behind, until they are fewer than half).

	void startInterval(const Poco::Timestamp& since);
	/// Worker: when no batch is open, the next one counts its batch.interval from since (when
	/// its first message was queued), not from when the worker got to it.

	void commitSpool();
	/// Worker: writes what this round added to the spool; when the write failed, the open
	/// batch keeps the events the spool took back in memory.

	bool dispatchOpen();
	/// Worker: hands the open batch to the senders now (flush, interval). False when empty.

	std::size_t openBatchRoom() const;
	/// Worker: how many more events fill the open batch (batch.size when none is open).

	bool openBatchDue(const Poco::Timestamp& now) const;
	long millisecondsUntilDue(const Poco::Timestamp& now) const;
	/// How long the worker may sleep before the open batch is due (batch.interval by default).

	bool sendNow(const Message& message);
	/// Sync mode: sends one message on the caller's thread (with retries). True if delivered.

	void stop();
	/// Lets the senders finish the batches handed to them, then joins them.

	void abort();
	/// Stops retrying: what is still queued or retrying is reported as lost (Shutdown).

private:
	class Sender;

	bool tooLarge(const Message& message, std::size_t length);
	/// Counts and reports an event over kMaxEventBytes as dropped "too_large"; false otherwise.
	void hand(Batch&& batch);
	void handSpooled(Batch&& batch);
	void handFromMemory(Batch&& batch);
	/// Waits for room in the hand-off (the events exist nowhere else).
	void openBatch(std::uint64_t key, const Poco::Timestamp& opened);
	void restartWith(std::size_t start, std::uint64_t key);
	/// Dispatches the open batch without its last event (at start), which opens the next one.
	void settleOpen();

	const ClientOptions& _options;
	ClientCounters& _counters;
	const Reporter& _reporter;
	DeliveryTracker& _tracker;
	BatchDelivery _delivery;
	TransportFactory _transports;

	Batch _open; // worker only
	Poco::Timestamp _nextOpened;
	bool _haveNextOpened = false;

	Poco::FastMutex _mutex;
	Poco::Condition _ready;
	Poco::Condition _space;
	std::deque<Batch> _handoff;
	std::size_t _maxHandoff;
	bool _stopping = false;
	bool _aborted = false;

	std::vector<std::unique_ptr<Sender>> _senders;
	std::vector<std::unique_ptr<Poco::Thread>> _threads;

	Poco::FastMutex _syncMutex;
	std::unique_ptr<Transport> _syncTransport;

	Spool* _spool = nullptr;

public:
	std::uint64_t leftInSpool() const noexcept { return _delivery.leftInSpool(); }
	/// Events of batches abandoned at shutdown that stay in the spool for the next client.
};

} // namespace PostHog

#endif // PostHog_BatchingSink_INCLUDED
