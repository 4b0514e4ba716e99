//
// PluginLoader.cpp
//

#include "pipeline/PluginLoader.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/SharedLibrary.h"
#include "PostHog/Exceptions.h"
#include <cstdlib>
#include <sys/stat.h>
#include <vector>

namespace PostHog
{

namespace
{

using VersionFunction = unsigned (*)();

std::string join(const std::vector<std::string>& items, const std::string& separator)
{
	std::string out;
	for (const auto& item : items)
	{
		if (!out.empty())
			out += separator;
		out += item;
	}
	return out;
}

} // namespace

PluginLoader::PluginLoader(std::vector<std::string> directories, bool allowInsecure)
    : _directories(std::move(directories)), _allowInsecure(allowInsecure)
{
}

PluginLoader::~PluginLoader()
{
	for (auto it = _loaded.rbegin(); it != _loaded.rend(); ++it)
	{
		try
		{
			_classLoader.unloadLibrary(*it);
		}
		catch (...)
		{
		}
	}
}

std::string PluginLoader::resolve(const std::string& stage, const std::string& library) const
{
	const std::string suffix = Poco::SharedLibrary::suffix();
	std::vector<std::string> tried;
	if (library.find('/') != std::string::npos)
	{
		Poco::Path path(library);
		if (!path.isAbsolute())
			throw PluginException(
			    "stage '" + stage + "': plugin library '" + library +
			    "' must be a base name (searched in the plugin directories) or an absolute path");
		for (const std::string& candidate : {library, library + suffix})
		{
			tried.push_back(candidate);
			Poco::File f(candidate);
			if (f.exists() && f.isFile())
				return candidate;
		}
	}
	else
	{
		for (const auto& dir : _directories)
		{
			Poco::Path base(dir);
			base.makeDirectory();
			for (const std::string& name : {"lib" + library + suffix, library + suffix, library})
			{
				std::string candidate = Poco::Path(base, name).toString();
				tried.push_back(candidate);
				Poco::File f(candidate);
				if (f.exists() && f.isFile())
					return candidate;
			}
		}
	}
	throw PluginException("stage '" + stage + "': plugin library '" + library + "' not found; tried " +
	                      (tried.empty() ? std::string("no directory") : join(tried, ", ")));
}

void PluginLoader::checkPermissions(const std::string& stage, const std::string& path) const
{
	if (_allowInsecure)
		return;
	const std::string fix = "; fix its permissions or set posthog.pipeline.allowInsecurePlugins = true";
	// The file that will really be mapped (symbolic links resolved), and every directory on the
	// way to it and to the name the configuration gave: anyone who can write to one of them
	// (without the sticky bit, as /tmp has) could swap the library.
	std::vector<std::string> names{path};
	if (char* real = ::realpath(path.c_str(), nullptr))
	{
		if (path != real)
			names.emplace_back(real);
		std::free(real);
	}
	struct stat st;
	for (const auto& name : names)
	{
		if (::stat(name.c_str(), &st) == 0 && (st.st_mode & S_IWOTH))
			throw PluginException("stage '" + stage + "': plugin library '" + name +
			                      "' is world-writable, so anyone could replace it" + fix);
		Poco::Path dir = Poco::Path(name).parent();
		for (;;)
		{
			std::string d = dir.toString();
			if (::lstat(d.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH) &&
			    !(st.st_mode & S_ISVTX))
				throw PluginException(
				    "stage '" + stage + "': plugin directory '" + d +
				    "' is world-writable and not sticky, so anyone could replace the library" + fix);
			if (dir.depth() == 0)
				break;
			dir.popDirectory();
		}
	}
}

unsigned PluginLoader::abiVersionOf(const std::string& path)
{
	Poco::SharedLibrary library;
	try
	{
		library.load(path, Poco::SharedLibrary::SHLIB_LOCAL);
	}
	catch (Poco::Exception& e)
	{
		throw PluginException("'" + path + "' is not a loadable shared library (" + e.message() + ")");
	}
	if (!library.hasSymbol("posthogMiddlewareAbiVersion") || !library.hasSymbol("pocoBuildManifest"))
	{
		library.unload();
		throw PluginException("'" + path + "' is not a posthog-cpp middleware plugin (it has no " +
		                      "posthogMiddlewareAbiVersion or pocoBuildManifest symbol)");
	}
	auto version = reinterpret_cast<VersionFunction>(library.getSymbol("posthogMiddlewareAbiVersion"))();
	library.unload();
	return version;
}

void PluginLoader::load(const std::string& stage, const std::string& path)
{
	checkPermissions(stage, path);
	unsigned version;
	try
	{
		version = abiVersionOf(path);
	}
	catch (PluginException& e)
	{
		throw PluginException("stage '" + stage + "': plugin library " + e.message());
	}
	if (version != POSTHOG_MIDDLEWARE_ABI_VERSION)
		throw PluginException("stage '" + stage + "': plugin library '" + path +
		                      "' was built against middleware interface version " + std::to_string(version) +
		                      ", but this posthog-cpp " POSTHOG_VERSION_STRING " implements version " +
		                      std::to_string(POSTHOG_MIDDLEWARE_ABI_VERSION) + "; rebuild the plugin");
	try
	{
		_classLoader.loadLibrary(path);
	}
	catch (Poco::Exception& e)
	{
		throw PluginException("stage '" + stage + "': cannot load plugin library '" + path + "' (" +
		                      e.displayText() + ")");
	}
	_loaded.push_back(path);
}

std::vector<std::string> PluginLoader::exportedClasses(const std::string& path)
{
	if (!_classLoader.isLibraryLoaded(path))
		load("(list)", path);
	std::vector<std::string> names;
	const auto* manifest = _classLoader.findManifest(path);
	if (manifest)
	{
		for (auto it = manifest->begin(); it != manifest->end(); ++it)
			names.push_back((*it)->name());
	}
	return names;
}

Middleware* PluginLoader::create(const std::string& stage, const std::string& library,
                                 const std::string& className)
{
	std::string path = resolve(stage, library);
	load(stage, path);
	const auto* manifest = _classLoader.findManifest(path);
	std::vector<std::string> names;
	for (auto it = manifest->begin(); it != manifest->end(); ++it)
		names.push_back((*it)->name());
	std::string wanted = className;
	if (wanted.empty())
	{
		if (names.size() != 1)
			throw PluginException(
			    "stage '" + stage + "': plugin library '" + path + "' exports " +
			    (names.empty() ? std::string("no classes") : "several classes (" + join(names, ", ") + ")") +
			    "; set posthog.pipeline." + stage + ".class");
		wanted = names.front();
	}
	auto it = manifest->find(wanted);
	if (it == manifest->end())
		throw PluginException(
		    "stage '" + stage + "': plugin library '" + path + "' exports no class '" + wanted +
		    "' (it exports: " + (names.empty() ? std::string("nothing") : join(names, ", ")) + ")");
	try
	{
		return (*it)->create();
	}
	catch (Poco::Exception& e)
	{
		throw PluginException("stage '" + stage + "': creating class '" + wanted + "' from '" + path +
		                      "' failed (" + e.displayText() + ")");
	}
}

} // namespace PostHog
