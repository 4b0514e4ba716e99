//
// MiddlewareContext.h
//
// What a client shares with its middleware stages.
//

#ifndef PostHog_MiddlewareContext_INCLUDED
#define PostHog_MiddlewareContext_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include "Poco/Mutex.h"
#include <memory>

namespace Poco
{
class Logger;
}

namespace PostHog
{

class PostHog_API MiddlewareContext
/// Shared by a client and its stages; outlives them all.
///
/// Super properties: set in code with Client::registerProperties() (any thread), read by the
/// enrichment stage on the worker thread. Readers get an immutable snapshot, so a read never
/// waits on a writer for longer than a pointer copy.
{
public:
	explicit MiddlewareContext(Poco::Logger& logger);

	std::shared_ptr<const Properties> superProperties() const;
	/// The current super properties (never null).

	void registerProperties(const Properties& properties);
	/// Adds or replaces super properties.

	void unregisterProperty(const std::string& key);

	Poco::Logger& logger() const noexcept { return _logger; }

private:
	Poco::Logger& _logger;
	mutable Poco::FastMutex _mutex;
	std::shared_ptr<const Properties> _superProperties;
};

} // namespace PostHog

#endif // PostHog_MiddlewareContext_INCLUDED
