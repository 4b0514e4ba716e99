//
// ClientCounters.h
//
// The live counters behind Client::statistics().
//

#ifndef PostHog_ClientCounters_INCLUDED
#define PostHog_ClientCounters_INCLUDED

#include "Poco/Mutex.h"
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

namespace PostHog
{

struct ClientCounters
/// The counters a client keeps of what happened to its events (rejected, delivered, failed,
/// retried, dropped by reason, ...). Written from callers, the worker and senders; read by
/// statistics() at any time.
{
	std::atomic<std::uint64_t> rejected{0};
	std::atomic<std::uint64_t> delivered{0};
	std::atomic<std::uint64_t> failed{0};
	std::atomic<std::uint64_t> retried{0};
	std::atomic<std::uint64_t> requests{0};
	std::atomic<std::uint64_t> queueFull{0}; // total dropped because the queue was full
	std::atomic<std::uint64_t> queueFullUnreported{0};

	std::atomic<std::uint64_t> inFlight{0}; // events taken by a sender and not resolved yet

	void addDrop(const std::string& reason, std::uint64_t count = 1)
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		dropped[reason] += count;
	}

	void addFailed(const std::string& reason, std::uint64_t count)
	/// Counts events given up on, with why ("shutdown", "retries_exhausted", "refused",
	/// "spool_write", "spool_lost", ...).
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		failedByReason[reason] += count;
		failed.fetch_add(count, std::memory_order_relaxed);
	}

	void resetLocked() noexcept
	/// Sets every counter back to zero, as a new client has them (a forked child starts
	/// counting afresh). The caller holds mutex.
	{
		for (auto* counter : {&rejected, &delivered, &failed, &retried, &requests, &queueFull,
		                      &queueFullUnreported, &inFlight})
			counter->store(0, std::memory_order_relaxed);
		dropped.clear();
		failedByReason.clear();
	}

	mutable Poco::FastMutex mutex;
	std::map<std::string, std::uint64_t> dropped;        // by reason, except queue_full (atomic above)
	std::map<std::string, std::uint64_t> failedByReason; // what addFailed() counted
};

} // namespace PostHog

#endif // PostHog_ClientCounters_INCLUDED
