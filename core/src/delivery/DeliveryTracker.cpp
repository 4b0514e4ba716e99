//
// DeliveryTracker.cpp
//

#include "delivery/DeliveryTracker.h"
#include "Poco/Timestamp.h"
#include <algorithm>

namespace PostHog
{

void DeliveryTracker::processed(std::uint64_t sequence)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (sequence > _processed)
	{
		_processed = sequence;
		_changed.broadcast();
	}
}

void DeliveryTracker::batchOpened(std::uint64_t firstSequence)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_open[firstSequence] += 1;
}

void DeliveryTracker::batchSplit(std::uint64_t firstSequence)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_open[firstSequence] += 1;
}

void DeliveryTracker::batchResolved(std::uint64_t firstSequence)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto it = _open.find(firstSequence);
	if (it != _open.end() && --it->second <= 0)
	{
		_open.erase(it);
		_changed.broadcast();
	}
}

std::uint64_t DeliveryTracker::watermarkLocked() const
{
	if (_abandoned)
		return UINT64_MAX;
	if (_open.empty())
		return _processed;
	return std::min(_processed, _open.begin()->first - 1);
}

std::uint64_t DeliveryTracker::watermark() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return watermarkLocked();
}

bool DeliveryTracker::waitFor(std::uint64_t sequence, Poco::Timespan timeout)
{
	Poco::Timestamp deadline;
	deadline += timeout;
	Poco::FastMutex::ScopedLock lock(_mutex);
	while (watermarkLocked() < sequence)
	{
		Poco::Timestamp now;
		if (now >= deadline)
			return false;
		long ms = static_cast<long>((deadline - now + 999) / 1000);
		_changed.tryWait(_mutex, std::max(1L, ms));
	}
	return true;
}

void DeliveryTracker::abandon()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_abandoned = true;
	_open.clear();
	_changed.broadcast();
}

} // namespace PostHog
