//
// DeploymentMiddleware.cpp
//

#include "DeploymentMiddleware.h"
#include "Poco/ClassLibrary.h"
#include "Poco/Environment.h"
#include "Poco/Util/AbstractConfiguration.h"

namespace Example
{

std::string DeploymentMiddleware::name() const
{
	return "deployment";
}

const PostHog::OptionTable& DeploymentMiddleware::options() const
{
	// One declaration per option: the defaults, the checks and posthog-send --list-plugins
	// all come from this table.
	static const PostHog::OptionTable table = {
	    {"environment", PostHog::OptionSpec::String, "production", "value of the environment property"},
	    {"release", PostHog::OptionSpec::String, "", "value of the release property (none when empty)"},
	    {"hostname", PostHog::OptionSpec::Bool, "true", "add $hostname, the machine's name"},
	};
	return table;
}

void DeploymentMiddleware::configure(const Poco::Util::AbstractConfiguration& config)
{
	// Every option has a value here: the configured one or the table's default.
	_environment = config.getString("environment");
	_release = config.getString("release");
	if (config.getBool("hostname"))
		_hostname = Poco::Environment::nodeName();
}

PostHog::Middleware::Result DeploymentMiddleware::process(PostHog::Message& message)
{
	PostHog::Properties& properties = message.properties();
	properties.setIfAbsent("environment", _environment);
	if (!_release.empty())
		properties.setIfAbsent("release", _release);
	if (!_hostname.empty())
		properties.setIfAbsent("$hostname", _hostname);
	return Result::pass();
}

PostHog::Middleware::OnError DeploymentMiddleware::defaultOnError() const
{
	return OnError::Pass;
}

} // namespace Example

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(Example::DeploymentMiddleware)
POCO_END_MANIFEST
