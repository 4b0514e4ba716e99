//
// PipelineBuilder.h
//
// Turns the posthog.pipeline.* keys into configured stages.
//

#ifndef PostHog_PipelineBuilder_INCLUDED
#define PostHog_PipelineBuilder_INCLUDED

#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Middleware.h"
#include "PostHog/MiddlewareRegistry.h"
#include <string>
#include <vector>

namespace PostHog
{

class MiddlewareContext;
class Pipeline;
class PluginLoader;

class PipelineBuilder
/// What Pipeline::build() does, step by step: read the stage list, refuse a section of
/// posthog.pipeline that is neither a pipeline key nor a stage, find each stage's middleware
/// (registered in code, a built-in plugin, or library and class), check its section against
/// its option table and configure it. Errors are ConfigurationException or PluginException
/// with one sentence naming the stage and the key.
{
public:
	PipelineBuilder(const Poco::Util::AbstractConfiguration& config, const MiddlewareRegistry& registry,
	                MiddlewareContext& context);

	static std::vector<std::string> pluginDirectories(const Poco::Util::AbstractConfiguration& config);
	/// posthog.pipeline.pluginPath (':'-separated or a JSON array; every entry absolute) followed
	/// by Pipeline::defaultPluginDirectories(), each directory once.

	static bool allowInsecure(const Poco::Util::AbstractConfiguration& config);
	/// posthog.pipeline.allowInsecurePlugins.

	void build(Pipeline& pipeline, PluginLoader& loader);
	/// Adds every listed stage, then every registered one the list does not name.

private:
	void checkSections() const;
	Middleware::Ptr create(const std::string& name, PluginLoader& loader) const;
	void configure(Pipeline& pipeline, const std::string& name, Middleware::Ptr middleware);

	const Poco::Util::AbstractConfiguration& _config;
	const MiddlewareRegistry& _registry;
	MiddlewareContext& _context;
	std::vector<std::string> _names;
};

} // namespace PostHog

#endif // PostHog_PipelineBuilder_INCLUDED
