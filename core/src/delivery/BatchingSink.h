//
// BatchingSink.h
//
// Turns accepted messages into batch requests and delivers them, with retries.
//

#ifndef PostHog_BatchingSink_INCLUDED
#define PostHog_BatchingSink_INCLUDED

#include "delivery/Batch.h"
#include "client/ClientCounters.h"
#include "delivery/DeliveryTracker.h"
#include "delivery/HttpTransport.h"
#include "client/Reporter.h"
#include "delivery/Spool.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Message.h"
#include "Poco/Condition.h"
#include "Poco/Event.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
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
/// Delivery: 2xx delivers. Network errors, 408, 429 and 5xx are retried with exponential
/// backoff (retryBaseDelay doubling, capped at 10 s, with full jitter between half and all of
/// it) up to maxRetries, honouring Retry-After (capped at 60 s). 413 splits the batch and
/// retries the halves. Other statuses are final. A final failure is reported with the status
/// and the number of events lost.
{
public:
	static constexpr std::size_t kMaxEventBytes = 1000 * 1000;
	/// PostHog refuses events over 1 MB; they are dropped here with a reason.

	BatchingSink(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
	    DeliveryTracker& tracker);
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

	std::size_t deliver(Batch batch, HttpTransport& transport);
	/// Sends a batch (and the halves of a 413 split) until it is resolved; returns the events delivered.
	void resolveFailed(const Batch& batch, ClientError::Kind kind, const std::string& why, int status);
	void hand(Batch&& batch);
	void buildBody(const Batch& batch, std::string& head, std::string& tail) const;

	const ClientOptions& _options;
	ClientCounters& _counters;
	const Reporter& _reporter;
	DeliveryTracker& _tracker;
	Poco::Net::Context::Ptr _context;
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
	std::unique_ptr<HttpTransport> _syncTransport;

	Spool* _spool = nullptr;
	std::atomic<std::uint64_t> _leftInSpool{0};

public:
	std::uint64_t leftInSpool() const noexcept { return _leftInSpool.load(); }
	/// Events of batches abandoned at shutdown that stay in the spool for the next client.
};

} // namespace PostHog

#endif // PostHog_BatchingSink_INCLUDED
