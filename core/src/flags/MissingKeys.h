//
// MissingKeys.h
//
// Flag keys PostHog confirmed do not exist, until the definitions are next refreshed.
//

#ifndef PostHog_MissingKeys_INCLUDED
#define PostHog_MissingKeys_INCLUDED

#include "Poco/Mutex.h"
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace PostHog
{

class MissingKeys
/// evaluate-flags' optional negative knowledge: a requested key that neither the loaded
/// definitions nor a successful /flags answer (no error, not quota limited) contain is
/// remembered, so asking for it again makes no request until the next successful definitions
/// refresh (a 304 included), which the refresh's epoch marks. Bounded: once full, nothing more
/// is remembered until the next refresh. Thread-safe (one short lock per call; used only on the
/// way to a remote request).
{
public:
	explicit MissingKeys(std::size_t capacity = 1000);

	bool allKnown(const std::vector<std::string>& keys, std::int64_t epoch);
	/// Whether every key is known missing under this refresh epoch (false for no keys). Knowledge
	/// from an earlier epoch is forgotten first.

	void add(const std::vector<std::string>& keys, std::int64_t epoch);
	/// Remembers the keys, unless a refresh happened since epoch was read.

	std::size_t size() const;
	Poco::FastMutex& mutex() noexcept { return _mutex; }
	/// For the fork handlers, which hold it across fork().

private:
	void forgetUnless(std::int64_t epoch);

	std::size_t _capacity;
	mutable Poco::FastMutex _mutex;
	std::int64_t _epoch = 0;
	std::unordered_set<std::string> _keys;
};

} // namespace PostHog

#endif // PostHog_MissingKeys_INCLUDED
