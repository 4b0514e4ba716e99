//
// PluginCatalog.h
//
// Lists the middleware plugins a pipeline could load, with their option tables.
//

#ifndef PostHog_PluginCatalog_INCLUDED
#define PostHog_PluginCatalog_INCLUDED

#include "PostHog/Middleware.h"
#include "PostHog/OptionSpec.h"
#include "PostHog/PostHog.h"
#include <string>
#include <vector>

namespace Poco
{
namespace Util
{
class AbstractConfiguration;
}
} // namespace Poco

namespace PostHog
{

class PostHog_API PluginCatalog
/// What posthog-send --list-plugins prints: every plugin library in the plugin directories and,
/// for each class it exports, the stage kind and the option table (name, type, default,
/// description), read from the plugin itself.
///
///     for (const auto& library : PluginCatalog::scan(PluginCatalog::directories(config)))
///         for (const auto& c : library.classes)
///             std::cout << library.baseName << " " << c.className << " " << c.options.size() << "\n";
{
public:
	struct ClassInfo
	{
		std::string className;       /// as exported by the manifest ("SamplingMiddleware")
		std::string kind;            /// Middleware::name() ("sampling")
		Middleware::OnError onError; /// the plugin's defaultOnError()
		OptionTable options;         /// the plugin's options()
	};

	struct LibraryInfo
	{
		std::string path;     /// absolute path of the library file
		std::string baseName; /// what posthog.pipeline.<stage>.library takes ("PostHogSampling")
		std::vector<ClassInfo> classes;
		std::string error;      /// why the library could not be read (then classes is empty)
		std::string shadowedBy; /// a library of the same file name in an earlier directory, which
		                        /// the pipeline would load instead (this one is not opened)
	};

	static std::vector<std::string> directories(const Poco::Util::AbstractConfiguration& config);
	/// The directories a pipeline built from config searches, in order: Pipeline::pluginDirectories(),
	/// the one function the pipeline itself uses. Throws ConfigurationException for a relative
	/// directory in pluginPath.

	static std::vector<LibraryInfo> scan(const std::vector<std::string>& directories,
	                                     bool allowInsecure = false);
	/// Every file named lib*.so or *.so in the directories (missing directories are skipped; the
	/// files of one directory in name order). Each library is loaded with the same checks as the
	/// pipeline (interface version, permissions unless allowInsecure), each exported class is
	/// created once to read its name, options and on-error policy, then destroyed, and the
	/// library is unloaded. Never throws for a bad library: its error is recorded instead.
	/// Cost: loads every library; for tools, not for the hot path.

private:
	static void loadClasses(LibraryInfo& info, const std::string& dir, bool allowInsecure);
	/// Loads info.path and lists its classes, or sets info.error.
};

} // namespace PostHog

#endif // PostHog_PluginCatalog_INCLUDED
