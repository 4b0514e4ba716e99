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
#include "Poco/Random.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Message.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/Batch.h"
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
/// Delivery follows a RetryPolicy: 2xx delivers; network errors, 408, 429 and 5xx are retried
/// with jittered exponential backoff, honouring Retry-After; 413 splits the batch and retries
/// the halves; other statuses are final. A final failure is reported with the status and the
/// number of events lost. Requests go through a Transport (HttpTransport unless the
/// constructor is given another factory).
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
	/// full (waits when they are connections * 2 batches behind).

	void startInterval(const Poco::Timestamp& since);
	/// Worker: when no batch is open, the next one counts its batch.interval from since (when
	/// its first message was queued), not from when the worker got to it.

	void commitSpool();
	/// Worker: writes what this round added to the spool; when the write failed, the open
	/// batch keeps the events the spool took back in memory.

	bool dispatchOpen();
	/// Worker: hands the open batch to the senders now (flush, interval). False when empty.

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

	std::size_t deliver(Batch batch, Transport& transport);
	/// Sends a batch (and the halves of a 413 split) until it is resolved; returns the events delivered.
	std::size_t attemptUntilResolved(Batch& batch, Transport& transport, Poco::Random& random,
	                                 std::vector<Batch>& work);
	/// Sends one batch until it is delivered, split (the halves go to work) or failed.
	Transport::Response send(const Batch& batch, Transport& transport, std::string& buffer) const;
	bool waitToRetry(const Batch& batch, int attempt, const Transport::Response& response,
	                 const std::string& what, Poco::Random& random);
	/// Logs and sleeps before the next attempt; false (the batch resolved) when the client shut down.
	void splitBatch(Batch& batch, std::vector<Batch>& work);
	void resolveDelivered(const Batch& batch);
	void resolveFailed(const Batch& batch, ClientError::Kind kind, const std::string& why, int status);
	void reportShutdownLosses();
	/// One Shutdown report for every batch lost at shutdown since the last one.
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
	void buildBody(const Batch& batch, std::string& head, std::string& tail) const;

	const ClientOptions& _options;
	ClientCounters& _counters;
	const Reporter& _reporter;
	DeliveryTracker& _tracker;
	RetryPolicy _retry;
	TransportFactory _transports;
	std::string _apiKeyJson;

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
	Poco::Event _abortEvent{Poco::Event::EVENT_MANUALRESET};

	std::vector<std::unique_ptr<Sender>> _senders;
	std::vector<std::unique_ptr<Poco::Thread>> _threads;

	Poco::FastMutex _syncMutex;
	std::unique_ptr<Transport> _syncTransport;

	Poco::FastMutex _lostMutex;
	std::uint64_t _shutdownLost = 0;
	std::string _shutdownWhy;

	Spool* _spool = nullptr;
	std::atomic<std::uint64_t> _leftInSpool{0};

public:
	std::uint64_t leftInSpool() const noexcept { return _leftInSpool.load(); }
	/// Events of batches abandoned at shutdown that stay in the spool for the next client.
};

} // namespace PostHog

#endif // PostHog_BatchingSink_INCLUDED
