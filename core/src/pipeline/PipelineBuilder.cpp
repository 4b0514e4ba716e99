//
// PipelineBuilder.cpp
//

#include "pipeline/PipelineBuilder.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/ConfigMap.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/Pipeline.h"
#include "pipeline/PluginLoader.h"
#include "pipeline/StageConfigurator.h"
#include <set>

namespace PostHog
{

namespace
{

// Built-in stage name -> library base name and class.
struct BuiltIn
{
	const char* stage;
	const char* library;
	const char* className;
};

const BuiltIn builtIns[] = {
    {"validation", "PostHogValidation", "ValidationMiddleware"},
    {"enrichment", "PostHogEnrichment", "EnrichmentMiddleware"},
    {"sampling", "PostHogSampling", "SamplingMiddleware"},
    {"pii", "PostHogPii", "PiiMiddleware"},
};

const std::string kPipeline = "posthog.pipeline";

// The stage's name in front of a message from its configure(), once.
std::string withStage(const std::string& where, const std::string& message)
{
	return message.compare(0, 7, "stage '") == 0 ? message : where + ": " + message;
}

} // namespace

PipelineBuilder::PipelineBuilder(const Poco::Util::AbstractConfiguration& config,
                                 const MiddlewareRegistry& registry, MiddlewareContext& context)
    : _config(config), _registry(registry), _context(context),
      _names(ClientKeys::read(config, kPipeline).getList("stages"))
{
}

std::vector<std::string> PipelineBuilder::pluginDirectories(const Poco::Util::AbstractConfiguration& config)
{
	std::vector<std::string> dirs;
	for (const auto& d : ClientKeys::read(config, kPipeline).getList("pluginPath", ":"))
	{
		if (!Poco::Path(d).isAbsolute())
			throw ConfigurationException(
			    "posthog.pipeline.pluginPath: directory '" + d +
			    "' is not absolute (plugin directories never depend on the working directory)");
		dirs.push_back(d);
	}
	for (const auto& d : Pipeline::defaultPluginDirectories())
		dirs.push_back(d);
	std::vector<std::string> unique;
	std::set<std::string> seen;
	for (const auto& d : dirs)
	{
		if (seen.insert(Poco::Path(d).makeDirectory().toString()).second)
			unique.push_back(d);
	}
	return unique;
}

bool PipelineBuilder::allowInsecure(const Poco::Util::AbstractConfiguration& config)
{
	return ClientKeys::read(config, kPipeline).getBool("allowInsecurePlugins");
}

void PipelineBuilder::checkSections() const
{
	Poco::Util::AbstractConfiguration::Keys keys;
	_config.keys(kPipeline, keys);
	std::vector<std::string> valid;
	for (const auto& spec : ClientKeys::table(kPipeline))
		valid.push_back(spec.name);
	std::size_t pipelineKeys = valid.size();
	valid.insert(valid.end(), _names.begin(), _names.end());
	for (const auto& key : keys)
	{
		bool known = std::find(valid.begin(), valid.end(), key) != valid.end() || _registry.find(key);
		for (std::size_t i = 0; i < pipelineKeys && !known; ++i)
			known = Poco::icompare(key, valid[i]) == 0 && _config.has(kPipeline + "." + valid[i]);
		if (known)
			continue;
		std::string full = kPipeline + "." + key;
		Poco::Util::AbstractConfiguration::Keys sub;
		_config.keys(full, sub);
		// An empty element (<validation/>) configures nothing.
		if (sub.empty() && Poco::trim(_config.getRawString(full, "")).empty())
			continue;
		std::string hint = ConfigMap::nearest(key, valid);
		throw ConfigurationException(
		    full + " is not a pipeline key and posthog.pipeline.stages lists no stage '" + key + "'; " +
		    (hint.empty() ? std::string("list the stage there or remove the section")
		                  : "did you mean " + kPipeline + "." + hint + "?"));
	}
}

Middleware::Ptr PipelineBuilder::create(const std::string& name, PluginLoader& loader) const
{
	std::string prefix = kPipeline + "." + name;
	std::string library = _config.getString(prefix + ".library", "");
	std::string className = _config.getString(prefix + ".class", "");
	if (library.empty() && className.empty())
	{
		if (Middleware::Ptr registered = _registry.find(name))
			return registered;
		for (const auto& b : builtIns)
		{
			if (name == b.stage)
				return Middleware::Ptr(loader.create(name, b.library, b.className));
		}
		throw ConfigurationException("stage '" + name + "' has no " + prefix + ".library or " + prefix +
		                             ".class, and no middleware is registered in code under that name");
	}
	if (library.empty())
	{
		// A class without a library: a built-in library may export it.
		for (const auto& b : builtIns)
		{
			if (className == b.className)
				library = b.library;
		}
		if (library.empty())
			throw ConfigurationException("stage '" + name + "': " + prefix + ".class is set but " + prefix +
			                             ".library is not");
	}
	return Middleware::Ptr(loader.create(name, library, className));
}

void PipelineBuilder::configure(Pipeline& pipeline, const std::string& name, Middleware::Ptr middleware)
{
	std::string where = "stage '" + name + "'";
	Poco::Util::AbstractConfiguration::Ptr view =
	    const_cast<Poco::Util::AbstractConfiguration&>(_config).createView(kPipeline + "." + name);
	Middleware::OnError onError = middleware->defaultOnError();
	if (view->has("onError"))
	{
		std::string policy = view->getString("onError");
		ConfigMap::checkValue(where, OptionSpec::makeEnum("onError", "drop, pass", "", ""), policy);
		onError = Poco::icompare(Poco::trim(policy), "drop") == 0 ? Middleware::OnError::Drop
		                                                          : Middleware::OnError::Pass;
	}
	auto prepared = StageConfigurator::prepare(name, middleware->options(), view);
	middleware->attach(_context);
	try
	{
		middleware->configure(*prepared);
	}
	catch (ConfigurationException& e)
	{
		throw ConfigurationException(withStage(where, e.message()));
	}
	catch (Poco::Exception& e)
	{
		throw ConfigurationException(withStage(where, e.displayText()));
	}
	catch (std::exception& e)
	{
		throw ConfigurationException(withStage(where, e.what()));
	}
	pipeline.add(name, middleware, onError);
}

void PipelineBuilder::build(Pipeline& pipeline, PluginLoader& loader)
{
	checkSections();
	std::set<std::string> seen;
	for (const auto& name : _names)
	{
		if (!seen.insert(name).second)
			throw ConfigurationException("posthog.pipeline.stages lists stage '" + name +
			                             "' twice; give the second one another name (a stage name is a key, "
			                             "its class is set by .class)");
		configure(pipeline, name, create(name, loader));
	}
	for (const auto& entry : _registry.entries())
	{
		if (!seen.count(entry.first))
			configure(pipeline, entry.first, entry.second);
	}
}

} // namespace PostHog
