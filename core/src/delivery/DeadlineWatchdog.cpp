//
// DeadlineWatchdog.cpp
//

#include "delivery/DeadlineWatchdog.h"
#include "delivery/RequestDeadline.h"
#include <limits>
#include <pthread.h>

namespace PostHog
{

DeadlineWatchdog::DeadlineWatchdog()
    : _changed(new Poco::Condition), _wakeAt(std::numeric_limits<Poco::Clock::ClockVal>::max())
{
	pthread_atfork(forkPrepare, forkParent, forkChild);
}

DeadlineWatchdog& DeadlineWatchdog::instance()
{
	static DeadlineWatchdog* watchdog = new DeadlineWatchdog;
	return *watchdog;
}

void DeadlineWatchdog::forkPrepare()
{
	instance()._mutex.lock();
}

void DeadlineWatchdog::forkParent()
{
	instance()._mutex.unlock();
}

void DeadlineWatchdog::forkChild()
{
	// The thread does not exist in the child; the parent's deadlines are not the child's.
	DeadlineWatchdog& w = instance();
	// The parent's thread and its wait are not in the child: both are left alone, not destroyed.
	static_cast<void>(w._thread.release());
	static_cast<void>(w._changed.release());
	w._changed.reset(new Poco::Condition);
	w._deadlines.clear();
	w._wakeAt = std::numeric_limits<Poco::Clock::ClockVal>::max();
	w._mutex.unlock();
}

void DeadlineWatchdog::ensureThread()
{
	if (_thread)
		return;
	_thread.reset(new Poco::Thread("PostHog deadlines"));
	_thread->start(*this);
}

DeadlineWatchdog::Key DeadlineWatchdog::add(const Poco::Clock& end, std::weak_ptr<RequestDeadline> deadline,
                                            std::uint64_t generation)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	ensureThread();
	Key key(end.raw(), ++_nextId);
	_deadlines.emplace(key, Entry{std::move(deadline), generation});
	if (key.first < _wakeAt)
	{
		_wakeAt = key.first;
		_changed->signal();
	}
	return key;
}

void DeadlineWatchdog::remove(const Key& key)
{
	// The thread is not woken: it finds nothing due when it wakes at the removed deadline.
	Poco::FastMutex::ScopedLock lock(_mutex);
	_deadlines.erase(key);
}

void DeadlineWatchdog::run()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (;;)
	{
		Poco::Clock now;
		while (!_deadlines.empty() && _deadlines.begin()->first.first <= now.raw())
		{
			Entry due = std::move(_deadlines.begin()->second);
			_deadlines.erase(_deadlines.begin());
			Poco::ScopedUnlock<Poco::FastMutex> unlock(_mutex);
			if (std::shared_ptr<RequestDeadline> d = due.deadline.lock())
				d->expire(due.generation);
		}
		if (_deadlines.empty())
		{
			_wakeAt = std::numeric_limits<Poco::Clock::ClockVal>::max();
			_changed->wait(_mutex);
			continue;
		}
		_wakeAt = _deadlines.begin()->first.first;
		Poco::Clock::ClockDiff us = _wakeAt - Poco::Clock().raw();
		if (us > 0)
			_changed->tryWait(_mutex, static_cast<long>((us + 999) / 1000));
	}
}

} // namespace PostHog
