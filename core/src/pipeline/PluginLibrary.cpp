//
// PluginLibrary.cpp
//

#include "PostHog/PluginLibrary.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Pipeline.h"
#include "pipeline/PluginLoader.h"

namespace PostHog
{

namespace
{

// PluginLoader names the stage it loads for; a library opened on its own has none.
const std::string kNoStage = "(list)";

std::string withoutStage(const std::string& message)
{
	static const std::string prefix = "stage '" + kNoStage + "': ";
	return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size()) : message;
}

} // namespace

PluginLibrary::PluginLibrary(const std::string& library, bool allowInsecure)
    : PluginLibrary(library, Pipeline::defaultPluginDirectories(), allowInsecure)
{
}

PluginLibrary::PluginLibrary(const std::string& library, std::vector<std::string> directories,
                             bool allowInsecure)
    : _loader(new PluginLoader(std::move(directories), allowInsecure))
{
	try
	{
		_path = _loader->resolve(kNoStage, library);
		_loader->exportedClasses(_path);
	}
	catch (PluginException& e)
	{
		throw PluginException(withoutStage(e.message()));
	}
}

PluginLibrary::~PluginLibrary() = default;

std::vector<std::string> PluginLibrary::classNames() const
{
	return _loader->exportedClasses(_path);
}

std::unique_ptr<Middleware> PluginLibrary::create(const std::string& className)
{
	try
	{
		return std::unique_ptr<Middleware>(_loader->create(kNoStage, _path, className));
	}
	catch (PluginException& e)
	{
		throw PluginException(withoutStage(e.message()));
	}
}

} // namespace PostHog
