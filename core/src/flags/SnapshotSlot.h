//
// SnapshotSlot.h
//
// An immutable object that readers load without a lock and a writer replaces.
//

#ifndef PostHog_SnapshotSlot_INCLUDED
#define PostHog_SnapshotSlot_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Timestamp.h"
#include <atomic>
#include <deque>
#include <memory>
#include <utility>

namespace PostHog
{

template<class T>
class SnapshotSlot
/// Holds the current version of an immutable T. get() is one atomic load (no lock, no
/// reference count: std::atomic_load on a shared_ptr takes a lock in libstdc++). publish()
/// swaps in a new version and keeps the replaced ones alive for a grace period (kGrace) before
/// freeing them, so a reader that loaded a pointer just before a swap may use it for that long;
/// readers use what get() returns for one evaluation and never keep it.
{
public:
	static constexpr Poco::Timestamp::TimeDiff kGrace = 60 * 1000000; // microseconds

	SnapshotSlot() = default;
	SnapshotSlot(const SnapshotSlot&) = delete;
	SnapshotSlot& operator=(const SnapshotSlot&) = delete;

	const T* get() const noexcept { return _current.load(std::memory_order_acquire); }
	/// The current version, or null; valid for kGrace after it is replaced.

	std::shared_ptr<const T> share() const
	/// The current version with ownership (for a caller that keeps it).
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		return _owner;
	}

	void publish(std::shared_ptr<const T> next)
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		Poco::Timestamp now;
		if (_owner)
			_retired.emplace_back(now, std::move(_owner));
		_owner = std::move(next);
		_current.store(_owner.get(), std::memory_order_release);
		while (!_retired.empty() && now - _retired.front().first > kGrace)
			_retired.pop_front();
	}

	Poco::FastMutex& mutex() noexcept { return _mutex; }
	/// For the fork handlers, which hold it across fork().

private:
	std::atomic<const T*> _current{nullptr};
	mutable Poco::FastMutex _mutex;
	std::shared_ptr<const T> _owner;
	std::deque<std::pair<Poco::Timestamp, std::shared_ptr<const T>>> _retired;
};

} // namespace PostHog

#endif // PostHog_SnapshotSlot_INCLUDED
