//
// DeadlineWatchdog.h
//
// The thread that expires the RequestDeadlines of every HttpTransport in the process.
//

#ifndef PostHog_DeadlineWatchdog_INCLUDED
#define PostHog_DeadlineWatchdog_INCLUDED

#include "Poco/Clock.h"
#include "Poco/Condition.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/ScopedUnlock.h"
#include "Poco/Thread.h"
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

namespace PostHog
{

class RequestDeadline;

class DeadlineWatchdog : public Poco::Runnable
/// One thread for the process that calls RequestDeadline::expire() when a request's time is
/// up. Written for the delivery path instead of Poco::Util::Timer, which wakes its thread on
/// every schedule() and keeps a cancelled task queued until its time: with one deadline per
/// request, that was two thread switches per request and a queue as long as the requests of
/// one http.timeout. Here a deadline is removed when its request ends, and arming one wakes
/// the thread only when it is due before the thread would wake anyway; as every request has
/// the same timeout, that is about once per timeout while requests keep coming. After fork()
/// the child starts its own thread on first use.
{
public:
	using Key = std::pair<Poco::Clock::ClockVal, std::uint64_t>;
	/// When a deadline is due, and a number that makes the key unique.

	static DeadlineWatchdog& instance();
	/// The process's watchdog (never destroyed: clients with static storage duration send from
	/// their destructors).

	Key add(const Poco::Clock& end, std::weak_ptr<RequestDeadline> deadline, std::uint64_t generation);
	/// Calls deadline->expire(generation) at end unless remove()d before.
	void remove(const Key& key);

	void run() override;

private:
	DeadlineWatchdog();
	void ensureThread();
	static void forkPrepare();
	static void forkParent();
	static void forkChild();

	struct Entry
	{
		std::weak_ptr<RequestDeadline> deadline;
		std::uint64_t generation;
	};

	Poco::FastMutex _mutex;
	std::unique_ptr<Poco::Condition> _changed; // replaced in a forked child (the parent's waiter is gone)
	std::map<Key, Entry> _deadlines;
	std::uint64_t _nextId = 0;
	Poco::Clock::ClockVal _wakeAt; // when the thread wakes by itself (maximum: it waits for add())
	std::unique_ptr<Poco::Thread> _thread;
};

} // namespace PostHog

#endif // PostHog_DeadlineWatchdog_INCLUDED
