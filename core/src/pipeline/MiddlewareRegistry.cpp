//
// MiddlewareRegistry.cpp
//

#include "PostHog/MiddlewareRegistry.h"
#include "pipeline/FunctionMiddleware.h"
#include "PostHog/Exceptions.h"

namespace PostHog
{

void MiddlewareRegistry::add(const std::string& name, Middleware::Ptr middleware)
{
	if (name.empty())
		throw ConfigurationException("middleware registered in code needs a name");
	if (!middleware)
		throw ConfigurationException("middleware '" + name + "' registered in code is null");
	if (find(name))
		throw ConfigurationException("middleware '" + name + "' is registered twice");
	_entries.emplace_back(name, std::move(middleware));
}

void MiddlewareRegistry::addFunction(const std::string& name, Function function)
{
	if (!function)
		throw ConfigurationException("middleware function '" + name + "' registered in code is empty");
	add(name, Middleware::Ptr(new FunctionMiddleware(std::move(function))));
}

Middleware::Ptr MiddlewareRegistry::find(const std::string& name) const
{
	for (const auto& e : _entries)
	{
		if (e.first == name)
			return e.second;
	}
	return Middleware::Ptr();
}

} // namespace PostHog
