//
// MiddlewareContext.cpp
//

#include "PostHog/MiddlewareContext.h"

namespace PostHog
{

MiddlewareContext::MiddlewareContext(Poco::Logger& logger)
    : _logger(logger), _superProperties(std::make_shared<const Properties>())
{
}

std::shared_ptr<const Properties> MiddlewareContext::superProperties() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _superProperties;
}

void MiddlewareContext::registerProperties(const Properties& properties)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto updated = std::make_shared<Properties>(*_superProperties);
	updated->merge(properties, true);
	_superProperties = std::move(updated);
}

void MiddlewareContext::unregisterProperty(const std::string& key)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto updated = std::make_shared<Properties>(*_superProperties);
	updated->remove(key);
	_superProperties = std::move(updated);
}

} // namespace PostHog
