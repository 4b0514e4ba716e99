//
// CalledTracker.h
//
// Remembers which $feature_flag_called events were already sent.
//

#ifndef PostHog_CalledTracker_INCLUDED
#define PostHog_CalledTracker_INCLUDED

#include "Poco/Mutex.h"
#include <deque>
#include <map>
#include <string>
#include <unordered_set>

namespace PostHog
{

class CalledTracker
/// A bounded set of (distinct id, flag key, value, groups) entries: firstCall() is true the
/// first time an entry is seen, so $feature_flag_called goes out once per person, flag, value
/// and group context. When the set is full the oldest entry is forgotten (never the whole set).
/// Capacity 0 disables deduplication. Thread-safe (one short lock per call).
{
public:
	explicit CalledTracker(std::size_t capacity);

	bool firstCall(const std::string& distinctId, const std::string& key, const std::string& value,
	               const std::map<std::string, std::string>& groups);

	void clear();
	std::size_t size() const;
	Poco::FastMutex& mutex() noexcept { return _mutex; }
	/// For the fork handlers, which hold it across fork().

private:
	std::size_t _capacity;
	mutable Poco::FastMutex _mutex;
	std::unordered_set<std::string> _seen;
	std::deque<std::string> _order;
};

} // namespace PostHog

#endif // PostHog_CalledTracker_INCLUDED
