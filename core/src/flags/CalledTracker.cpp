//
// CalledTracker.cpp
//

#include "flags/CalledTracker.h"

namespace PostHog
{

CalledTracker::CalledTracker(std::size_t capacity) : _capacity(capacity) {}

bool CalledTracker::firstCall(const std::string& distinctId, const std::string& key, const std::string& value,
                              const std::map<std::string, std::string>& groups)
{
	if (_capacity == 0)
		return true;
	// Fields separated by a byte no id or key contains in practice; groups sorted by the map.
	std::string entry;
	entry.reserve(distinctId.size() + key.size() + value.size() + 8);
	entry.append(distinctId).push_back('\x1f');
	entry.append(key).push_back('\x1f');
	entry.append(value);
	for (const auto& g : groups)
		entry.append("\x1e").append(g.first).append("\x1f").append(g.second);
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!_seen.insert(entry).second)
		return false;
	_order.push_back(std::move(entry));
	if (_order.size() > _capacity)
	{
		_seen.erase(_order.front());
		_order.pop_front();
	}
	return true;
}

void CalledTracker::clear()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_seen.clear();
	_order.clear();
}

std::size_t CalledTracker::size() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _order.size();
}

} // namespace PostHog
