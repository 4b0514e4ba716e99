//
// SharedFileCache.h
//
// The built-in FlagDefinitionsCache: a file and a lock file that every process on a host shares.
//

#ifndef PostHog_SharedFileCache_INCLUDED
#define PostHog_SharedFileCache_INCLUDED

#include "Poco/Timespan.h"
#include "PostHog/FlagDefinitionsCache.h"
#include <string>

namespace PostHog
{

class SharedFileCache : public FlagDefinitionsCache
/// posthog.flags.sharedCache = <path>. The definitions live in <path> (a header line, the ETag
/// line, then the body), written to a temporary file and renamed over it so that a reader never
/// sees half a file. Which process fetches is decided by flock(2) on <path>.lock, taken without
/// waiting: whoever holds it fetches when the file is older than the poll interval (or
/// missing); the others only read. A process that dies holding the lock loses it with its
/// descriptors, so no stale lock can stop the polling. The version is the file's modification
/// time and size.
{
public:
	SharedFileCache(std::string path, Poco::Timespan maxAge);
	~SharedFileCache() override;

	bool load(Entry& entry) override;
	std::string version() override;
	bool shouldFetch() override;
	void store(const Entry& entry) override;
	void clear() override;
	void release() override;

	static constexpr const char* kHeader = "posthog-flag-definitions 1";

private:
	std::string _path;
	Poco::Timespan _maxAge;
	int _lockFd = -1;
};

} // namespace PostHog

#endif // PostHog_SharedFileCache_INCLUDED
