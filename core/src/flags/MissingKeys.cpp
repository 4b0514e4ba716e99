//
// MissingKeys.cpp
//

#include "flags/MissingKeys.h"

namespace PostHog
{

MissingKeys::MissingKeys(std::size_t capacity) : _capacity(capacity) {}

void MissingKeys::forgetUnless(std::int64_t epoch)
{
	if (epoch != _epoch)
	{
		_keys.clear();
		_epoch = epoch;
	}
}

bool MissingKeys::allKnown(const std::vector<std::string>& keys, std::int64_t epoch)
{
	if (keys.empty())
		return false;
	Poco::FastMutex::ScopedLock lock(_mutex);
	forgetUnless(epoch);
	for (const auto& key : keys)
		if (_keys.find(key) == _keys.end())
			return false;
	return true;
}

void MissingKeys::add(const std::vector<std::string>& keys, std::int64_t epoch)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (epoch < _epoch)
		return; // a refresh happened while the request was out: its answer may be stale
	forgetUnless(epoch);
	for (const auto& key : keys)
		if (_keys.size() < _capacity)
			_keys.insert(key);
}

std::size_t MissingKeys::size() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _keys.size();
}

} // namespace PostHog
