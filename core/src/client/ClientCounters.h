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
/// Written from callers, the worker and senders; read by statistics() at any time.
{
	std::atomic<std::uint64_t> rejected{0};
	std::atomic<std::uint64_t> delivered{0};
	std::atomic<std::uint64_t> failed{0};
	std::atomic<std::uint64_t> retried{0};
	std::atomic<std::uint64_t> requests{0};
	std::atomic<std::uint64_t> queueFull{0};       // total dropped because the queue was full
	std::atomic<std::uint64_t> queueFullUnreported{0};

	void addDrop(const std::string& reason, std::uint64_t count = 1)
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		dropped[reason] += count;
	}

	mutable Poco::FastMutex mutex;
	std::map<std::string, std::uint64_t> dropped; // by reason, except queue_full (atomic above)
};

} // namespace PostHog

#endif // PostHog_ClientCounters_INCLUDED
