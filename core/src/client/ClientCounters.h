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

	void addDrop(const std::string& reason, std::uint64_t count = 1)
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		dropped[reason] += count;
	}

	void resetLocked() noexcept
	/// Sets every counter back to zero, as a new client has them (a forked child starts
	/// counting afresh). The caller holds mutex.
	{
		for (auto* counter :
		     {&rejected, &delivered, &failed, &retried, &requests, &queueFull, &queueFullUnreported})
			counter->store(0, std::memory_order_relaxed);
		dropped.clear();
	}

	mutable Poco::FastMutex mutex;
	std::map<std::string, std::uint64_t> dropped; // by reason, except queue_full (atomic above)
};

} // namespace PostHog

#endif // PostHog_ClientCounters_INCLUDED
