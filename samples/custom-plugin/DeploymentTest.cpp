//
// DeploymentTest.cpp
//
// The plugin's own test: loads the built libExampleDeployment.so the way the pipeline does
// (PostHog::StageTester), with the table's defaults, and runs messages through it.
//

#include "Poco/Environment.h"
#include "PostHog/Exceptions.h"
#include "PostHog/StageTester.h"
#include <cstdlib>
#include <iostream>

namespace
{

int failures = 0;

void check(bool ok, const std::string& what)
{
	if (!ok)
	{
		std::cerr << "FAILED: " << what << "\n";
		++failures;
	}
}

std::string property(const PostHog::Message& message, const std::string& name)
{
	const PostHog::Value& value = message.properties().get(name);
	return value.isString() ? std::string(value.getString()) : std::string();
}

} // namespace

int main()
{
	const std::string plugin = PLUGIN_PATH; // set by CMakeLists.txt: the library just built
	const std::string cls = "Example::DeploymentMiddleware";

	// Defaults from the option table: environment = production, no release, $hostname added.
	PostHog::StageTester defaults(plugin, cls);
	PostHog::Message message(PostHog::Message::Type::Capture, "signup", "user-1");
	check(defaults.run(message).passed, "the stage passes every message");
	check(property(message, "environment") == "production", "environment defaults to production");
	check(!message.properties().has("release"), "no release when the option is empty");
	check(property(message, "$hostname") == Poco::Environment::nodeName(), "$hostname is the machine's name");

	// Configured options, and what the caller set is kept.
	PostHog::StageTester staging(plugin, cls,
	                             {{"environment", "staging"}, {"release", "1.2"}, {"hostname", "no"}});
	PostHog::Message own(PostHog::Message::Type::Capture, "signup", "user-1");
	own.properties().set("environment", "dev-laptop");
	staging.run(own);
	check(property(own, "environment") == "dev-laptop", "a property the caller set is not overwritten");
	check(property(own, "release") == "1.2", "release is added");
	check(!own.properties().has("$hostname"), "hostname = no adds no $hostname");

	// A wrong option stops the pipeline with a sentence naming stage, option and value.
	try
	{
		PostHog::StageTester wrong(plugin, cls, {{"hostname", "maybe"}});
		check(false, "hostname = maybe was accepted");
	}
	catch (PostHog::ConfigurationException& e)
	{
		check(e.message() == "stage 'stage': option 'hostname' = 'maybe' is not true or false", e.message());
	}

	std::cout << (failures ? "DeploymentTest: FAILED\n" : "DeploymentTest: OK\n");
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
