//
// FlagDefinitionsCache.h
//
// Where several clients share the feature flag definitions that one of them fetched.
//

#ifndef PostHog_FlagDefinitionsCache_INCLUDED
#define PostHog_FlagDefinitionsCache_INCLUDED

#include "PostHog/PostHog.h"
#include <memory>
#include <string>

namespace PostHog
{

class PostHog_API FlagDefinitionsCache
/// An external store for the flag definitions (the sdk-specs flag-definition-loader's external
/// cache), so that one poll serves every process on a host or in a fleet: at each poll interval
/// the client asks shouldFetch(); the one that gets true fetches from PostHog and store()s what
/// it got; every client load()s the cached copy when it changed. posthog.flags.sharedCache
/// selects the built-in implementation over a file and a lock file; an application can
/// implement this over Redis, memcached or a database and set ClientOptions::flagsCache.
///
/// The client calls these on its poller thread only, never on a caller's thread. They must not
/// throw (an exception is caught, logged, and treated as "nothing cached"; a shouldFetch() that
/// throws means "fetch directly").
/// Definitions that fail to parse never replace good ones the client already holds.
{
public:
	struct Entry
	{
		std::string definitions; /// the JSON body of /flags/definitions
		std::string etag;        /// its ETag, or empty
		std::string version;     /// changes whenever the entry changes (e.g. a time stamp or counter)
	};

	virtual ~FlagDefinitionsCache();

	virtual bool load(Entry& entry) = 0;
	/// Fills entry with the cached definitions; false when nothing usable is cached.

	virtual std::string version() = 0;
	/// A cheap check: the version of the cached entry (empty when none). The client loads only
	/// when it differs from the one it holds.

	virtual bool shouldFetch() = 0;
	/// True when this client should fetch from PostHog now (it holds the right to, e.g. a
	/// lock, until release()); false when another client is responsible and the cache is fresh.

	virtual void store(const Entry& entry) = 0;
	/// Stores freshly fetched definitions (called only after shouldFetch() returned true).

	virtual void clear() = 0;
	/// PostHog refused the personal key or the quota is exhausted: drop the cached entry.

	virtual void release() = 0;
	/// Ends the fetch shouldFetch() allowed (always called after it returned true).

	virtual void shutdown() {}
	/// The client is shutting down: free what the cache holds. An exception is logged and
	/// does not stop the shutdown.
};

} // namespace PostHog

#endif // PostHog_FlagDefinitionsCache_INCLUDED
