//
// BatchDelivery.h
//
// Sends one batch until it is resolved: delivered, split, or failed with a reason.
//

#ifndef PostHog_BatchDelivery_INCLUDED
#define PostHog_BatchDelivery_INCLUDED

#include "Poco/Event.h"
#include "Poco/Mutex.h"
#include "Poco/Random.h"
#include "PostHog/ClientOptions.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/Batch.h"
#include "delivery/DeliveryTracker.h"
#include "delivery/RetryPolicy.h"
#include "delivery/Spool.h"
#include "delivery/Transport.h"
#include <atomic>
#include <string>
#include <vector>

namespace PostHog
{

class BatchDelivery
/// The request loop of the senders (and of sync mode): builds the request body (gzip as
/// configured), posts it through a Transport and follows the RetryPolicy: 2xx delivers, 413
/// splits the batch into halves sent in turn, transient failures wait and retry, the rest
/// fails. Every outcome is counted and resolved where the batch lives: acknowledged in the
/// Spool for spooled batches, in the DeliveryTracker for memory ones. Batches lost at shutdown
/// are reported once, together. Thread-safe (one call of deliver() per sender thread).
{
public:
	BatchDelivery(const ClientOptions& options, ClientCounters& counters, const Reporter& reporter,
	              DeliveryTracker& tracker);

	void setSpool(Spool* spool) { _spool = spool; }

	std::size_t deliver(Batch batch, Transport& transport);
	/// Sends a batch (and the halves of a 413 split) until it is resolved; returns the events delivered.

	void resolveFailed(const Batch& batch, ClientError::Kind kind, const std::string& why, int status);
	/// Counts the batch failed (reason from kind and status) and reports it; a spooled batch
	/// still on disk at shutdown is left there instead.

	void reportShutdownLosses();
	/// One Shutdown report for every batch lost at shutdown since the last one.

	void abort();
	/// Stops retrying: waits end and later attempts resolve as Shutdown.

	bool aborted(long waitMs);
	/// Waits up to waitMs for abort(); true when it happened.

	std::uint64_t leftInSpool() const noexcept { return _leftInSpool.load(); }
	/// Events of batches abandoned at shutdown that stay in the spool for the next client.

private:
	std::size_t attemptUntilResolved(Batch& batch, Transport& transport, Poco::Random& random,
	                                 std::vector<Batch>& work);
	/// Sends one batch until it is delivered, split (the halves go to work) or failed.
	Transport::Response send(const Batch& batch, Transport& transport, std::string& buffer) const;
	bool waitToRetry(const Batch& batch, int attempt, const Transport::Response& response,
	                 const std::string& what, Poco::Random& random);
	/// Logs and sleeps before the next attempt; false (the batch resolved) when the client shut down.
	void splitBatch(Batch& batch, std::vector<Batch>& work);
	void resolveDelivered(const Batch& batch);
	void buildBody(const Batch& batch, std::string& head, std::string& tail) const;

	const ClientOptions& _options;
	ClientCounters& _counters;
	const Reporter& _reporter;
	DeliveryTracker& _tracker;
	RetryPolicy _retry;
	std::string _apiKeyJson;
	Spool* _spool = nullptr;
	Poco::Event _abortEvent{Poco::Event::EVENT_MANUALRESET};
	std::atomic<std::uint64_t> _leftInSpool{0};
	Poco::FastMutex _lostMutex;
	std::uint64_t _shutdownLost = 0;
	std::string _shutdownWhy;
};

} // namespace PostHog

#endif // PostHog_BatchDelivery_INCLUDED
