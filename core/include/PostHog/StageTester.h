//
// StageTester.h
//
// Loads one middleware stage the way the pipeline does, for a plugin's own tests.
//

#ifndef PostHog_StageTester_INCLUDED
#define PostHog_StageTester_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Logger.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Message.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/Pipeline.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

class StageTester
/// A plugin is a MODULE library that a test cannot link, and configure() called directly gets
/// no defaults. StageTester loads the built library by path through the same Pipeline::build()
/// a Client uses (ABI check, option table, defaults, the stage's name on errors), so a plugin's
/// test sees exactly what a user's configuration would give it:
///
///     PostHog::StageTester stage(PLUGIN_PATH, "Example::DeploymentMiddleware",
///                                {{"environment", "staging"}});
///     PostHog::Message message(PostHog::Message::Type::Capture, "signup", "user-1");
///     PostHog::Pipeline::Outcome outcome = stage.run(message);
///     assert(outcome.passed && message.properties().get("environment").getString() == "staging");
///
/// Header-only: it uses the public API alone. The constructor throws what Pipeline::build()
/// throws (ConfigurationException, PluginException), so a test can check its option errors.
{
public:
	using Options = std::vector<std::pair<std::string, std::string>>;

	StageTester(const std::string& library, const std::string& className, const Options& options = Options(),
	            const std::string& stage = "stage")
	    : _context(Poco::Logger::get("PostHog"))
	{
		_pipeline = Pipeline::build(*configuration(library, className, options, stage), _registry, _context);
	}

	Pipeline::Outcome run(Message& message) { return _pipeline->process(message); }
	/// Runs the message through the stage. Never throws (see Middleware).

	Pipeline& pipeline() { return *_pipeline; }
	/// The one-stage pipeline, for statistics().

	MiddlewareContext& context() { return _context; }
	/// The context the stage was attached to (super properties set in code).

	static Poco::AutoPtr<Poco::Util::MapConfiguration> configuration(const std::string& library,
	                                                                 const std::string& className,
	                                                                 const Options& options,
	                                                                 const std::string& stage = "stage")
	/// posthog.pipeline.stages = <stage>, its library and class (each when not empty: a built-in
	/// stage needs neither), and posthog.pipeline.<stage>.<key> = <value> for every option given.
	{
		Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
		const std::string prefix = "posthog.pipeline." + stage + ".";
		config->setString("posthog.pipeline.stages", stage);
		if (!library.empty())
			config->setString(prefix + "library", library);
		if (!className.empty())
			config->setString(prefix + "class", className);
		for (const auto& option : options)
			config->setString(prefix + option.first, option.second);
		return config;
	}

private:
	MiddlewareContext _context; // outlives the pipeline
	MiddlewareRegistry _registry;
	std::unique_ptr<Pipeline> _pipeline;
};

} // namespace PostHog

#endif // PostHog_StageTester_INCLUDED
