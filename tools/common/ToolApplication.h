//
// ToolApplication.h
//
// What the command-line tools share: exit statuses, usage errors, and the settings they read.
//

#ifndef PostHog_ToolApplication_INCLUDED
#define PostHog_ToolApplication_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Exception.h"
#include "Poco/Util/Application.h"
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

class ToolApplication : public Poco::Util::Application
/// The base of posthog-send and posthog-flags: their exit statuses (0 done, 1 some input
/// failed, 2 usage or configuration), the one sentence for a rejected command-line option,
/// and the settings every tool reads the same way: --config FILE, --define key=value, and the
/// POSTHOG_* environment variables for keys that neither set. The library's own log stays
/// quiet unless the configuration routes it (the tools print what they report themselves).
{
public:
	enum ExitCode
	{
		ExitOk = 0,
		ExitFailed = 1,
		ExitUsage = 2
	};

	static int exitCode(int applicationResult);
	/// Maps what Application::run() returned to 0, 1 or 2 (Poco's EXIT_CONFIG, 78, and
	/// EXIT_USAGE, 64, become 2; any other failure 1).

	static std::string usageError(const Poco::Exception& e);
	/// One sentence for an option error from init().

	static int runMain(Poco::AutoPtr<ToolApplication> app, int argc, char** argv);
	/// A tool's main(): init() (an option error prints "<command>: <sentence> (see <command>
	/// --help)" and gives 2), then run(), mapped by exitCode().

	std::string loadConfigFile(const std::string& path);
	/// Loads an .xml, .properties, .ini or .json file into config(); the sentence saying why it
	/// could not, or empty.

	std::string define(const std::string& assignment);
	/// Sets key=value in config(); the sentence saying why it could not, or empty.

	void applyEnvironment(const std::vector<std::pair<std::string, std::string>>& keysAndVariables);
	/// For each (key, variable): the variable's value when config() has no key and the
	/// variable is set and not empty.

protected:
	explicit ToolApplication(const std::string& command);

	void initialize(Poco::Util::Application& self) override;

	const std::string& command() const noexcept { return _command; }

private:
	std::string _command;
};

} // namespace PostHog

#endif // PostHog_ToolApplication_INCLUDED
