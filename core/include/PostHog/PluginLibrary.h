//
// PluginLibrary.h
//
// One middleware plugin library, opened with the pipeline's checks, to list and create its classes.
//

#ifndef PostHog_PluginLibrary_INCLUDED
#define PostHog_PluginLibrary_INCLUDED

#include "PostHog/Middleware.h"
#include "PostHog/PostHog.h"
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class PluginLoader;

class PostHog_API PluginLibrary
/// Opens one plugin library the way Pipeline::build() does (the same search path, file
/// permission and interface-version checks), lists the classes its manifest exports and
/// creates them outside a pipeline. For tools that describe plugins (posthog-send
/// --list-plugins prints each class's option table) and for tests that read a plugin's
/// options; a pipeline needs none of this.
///
///     PluginLibrary library("PostHogSampling");
///     for (const auto& name : library.classNames())
///         std::cout << name << ": " << library.create(name)->options().size() << " options\n";
///
/// The library stays loaded while this object lives: destroy the instances it created first.
{
public:
	explicit PluginLibrary(const std::string& library, bool allowInsecure = false);
	/// Opens library (a base name such as "PostHogSampling", searched in
	/// Pipeline::defaultPluginDirectories(), or an absolute path). Throws PluginException
	/// saying what went wrong and, for a base name, every path tried.

	PluginLibrary(const std::string& library, std::vector<std::string> directories, bool allowInsecure);
	/// Searches the given absolute directories instead.

	~PluginLibrary();
	/// Unloads the library.

	PluginLibrary(const PluginLibrary&) = delete;
	PluginLibrary& operator=(const PluginLibrary&) = delete;

	const std::string& path() const noexcept { return _path; }
	/// The file the library was loaded from.

	std::vector<std::string> classNames() const;
	/// The classes the library's manifest exports, in manifest order.

	std::unique_ptr<Middleware> create(const std::string& className = std::string());
	/// A new, unconfigured instance of className (of the only class, when empty). Throws
	/// PluginException when the library exports no such class or creating it fails.

private:
	std::unique_ptr<PluginLoader> _loader;
	std::string _path;
};

} // namespace PostHog

#endif // PostHog_PluginLibrary_INCLUDED
