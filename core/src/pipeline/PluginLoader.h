//
// PluginLoader.h
//
// Finds, checks and loads middleware plugin libraries.
//

#ifndef PostHog_PluginLoader_INCLUDED
#define PostHog_PluginLoader_INCLUDED

#include "Poco/ClassLoader.h"
#include "PostHog/Middleware.h"
#include <set>
#include <string>
#include <vector>

namespace PostHog
{

class PluginLoader
/// Wraps Poco::ClassLoader<Middleware> with what it cannot do by itself: a search path with
/// clear errors, an interface-version check before the library is loaded for good (Poco's
/// manifest check compares type names only, so it cannot tell two versions of Middleware
/// apart), and the choice of the manifest of the library the configuration names (Poco's
/// create(name) takes the first loaded library exporting a class of that name).
{
public:
	PluginLoader(std::vector<std::string> directories, bool allowInsecure);
	~PluginLoader();
	/// Unloads every library. Destroy the instances created first.

	Middleware* create(const std::string& stage, const std::string& library, const std::string& className);
	/// Loads library (a base name searched in the directories, or an absolute path) and
	/// creates className from its manifest (the only class, when className is empty). Throws
	/// PluginException naming the stage and what went wrong.

	std::string resolve(const std::string& stage, const std::string& library) const;
	/// The path library resolves to. Throws PluginException listing every path tried.

	std::vector<std::string> exportedClasses(const std::string& path);
	/// Loads path (checked) and lists the classes its manifest exports.

	const std::vector<std::string>& directories() const noexcept { return _directories; }

	static unsigned abiVersionOf(const std::string& path);
	/// Opens path privately (RTLD_LOCAL) and reads its posthogMiddlewareAbiVersion(). Throws
	/// PluginException when path is not a loadable library or not a posthog-cpp plugin.

private:
	void load(const std::string& stage, const std::string& path);
	void checkPermissions(const std::string& stage, const std::string& path) const;

	std::vector<std::string> _directories;
	bool _allowInsecure;
	Poco::ClassLoader<Middleware> _classLoader;
	std::vector<std::string> _loaded; // one entry per loadLibrary() call
};

} // namespace PostHog

#endif // PostHog_PluginLoader_INCLUDED
