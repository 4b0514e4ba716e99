//
// EnrichmentMiddleware.cpp
//

#include "EnrichmentMiddleware.h"
#include "Poco/ClassLibrary.h"
#include "Poco/Environment.h"
#include "Poco/Logger.h"
#include "Poco/Process.h"
#include "Poco/String.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ConfigMap.h"
#include "PostHog/MiddlewareContext.h"
#include <vector>

namespace PostHog
{

EnrichmentMiddleware::EnrichmentMiddleware() = default;

EnrichmentMiddleware::~EnrichmentMiddleware() = default;

std::string EnrichmentMiddleware::name() const
{
	return "enrichment";
}

const OptionTable& EnrichmentMiddleware::options() const
{
	static const OptionTable table = {
	    {"properties", OptionSpec::Prefix, "",
	     "static properties: properties.<name> = <value> (sent as strings)"},
	    {"env", OptionSpec::Prefix, "",
	     "properties from environment variables, read once at start: env.<name> = <VARIABLE>; an unset "
	     "variable adds nothing, a set one wins over properties.<name>"},
	    {"appVersion", OptionSpec::String, "", "sent as app_version when not empty"},
	    {"hostName", OptionSpec::Bool, "true", "add host_name (the machine's host name)"},
	    {"os", OptionSpec::Bool, "true",
	     "add os_name, os_version and os_arch (e.g. Linux, 6.1.0-13-amd64, x86_64)"},
	    {"runtime", OptionSpec::Bool, "true", "add runtime (e.g. C++/Poco 1.11.0)"},
	    {"processId", OptionSpec::Bool, "false",
	     "add process_id (the process id; changes with every restart)"},
	    {"superProperties", OptionSpec::Bool, "true",
	     "add the super properties set in code (Client::registerProperties); they win over the configured "
	     "ones"},
	    {"overwrite", OptionSpec::Bool, "false", "replace properties the caller set with the same name"},
	};
	return table;
}

void EnrichmentMiddleware::attach(MiddlewareContext& context)
{
	_context = &context;
}

std::string EnrichmentMiddleware::runtimeDescription()
{
	Poco::UInt32 v = Poco::Environment::libraryVersion(); // 0xMMmmpprr
	return "C++/Poco " + std::to_string((v >> 24) & 0xFF) + "." + std::to_string((v >> 16) & 0xFF) + "." +
	       std::to_string((v >> 8) & 0xFF);
}

void EnrichmentMiddleware::configure(const Poco::Util::AbstractConfiguration& config)
{
	// Lowest precedence first: each later set() replaces an earlier one of the same name.
	_static.clear();
	if (config.getBool("hostName"))
		_static.set("host_name", Poco::Environment::nodeName());
	if (config.getBool("os"))
	{
		_static.set("os_name", Poco::Environment::osName());
		_static.set("os_version", Poco::Environment::osVersion());
		_static.set("os_arch", Poco::Environment::osArchitecture());
	}
	if (config.getBool("runtime"))
		_static.set("runtime", runtimeDescription());
	if (config.getBool("processId"))
		_static.set("process_id", static_cast<long>(Poco::Process::id()));
	std::string appVersion = Poco::trim(config.getString("appVersion"));
	if (!appVersion.empty())
		_static.set("app_version", appVersion);

	ConfigMap map(config, options());
	for (const auto& e : map.getPrefix("properties"))
		_static.set(e.first, e.second);

	for (const auto& e : map.getPrefix("env"))
	{
		std::string variable = Poco::trim(e.second);
		if (variable.empty())
			throw Poco::InvalidArgumentException("option 'env." + e.first +
			                                     "' = '' names no environment variable");
		if (Poco::Environment::has(variable))
			_static.set(e.first, Poco::Environment::get(variable));
		else if (_context)
			_context->logger().information("enrichment: environment variable " + variable +
			                               " (for property '" + e.first +
			                               "') is not set; the property is not added");
	}

	_superProperties = config.getBool("superProperties");
	_overwrite = config.getBool("overwrite");
	_combinedFor.reset();
}

Middleware::Result EnrichmentMiddleware::process(Message& message)
{
	const Properties* add = &_static;
	if (_superProperties && _context)
	{
		std::shared_ptr<const Properties> super = _context->superProperties();
		if (!super->empty())
		{
			// The super properties and the configured ones, combined once per snapshot (a new
			// snapshot comes only with registerProperties()): one merge per message. Holding
			// the snapshot keeps its address from being reused by a later one.
			if (super != _combinedFor)
			{
				if (_overwrite)
				{
					_combined = _static;
					_combined.merge(*super, true);
				}
				else
				{
					_combined = *super;
					_combined.merge(_static, false);
				}
				_combinedFor = std::move(super);
			}
			add = &_combined;
		}
	}
	message.properties().merge(*add, _overwrite);
	return Result::pass();
}

Middleware::OnError EnrichmentMiddleware::defaultOnError() const
{
	return OnError::Pass;
}

} // namespace PostHog

using PostHog::EnrichmentMiddleware; // the manifest names the class as written here

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(EnrichmentMiddleware)
POCO_END_MANIFEST
