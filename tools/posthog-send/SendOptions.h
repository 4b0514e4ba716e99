//
// SendOptions.h
//
// posthog-send's command-line options.
//

#ifndef PostHogSend_SendOptions_INCLUDED
#define PostHogSend_SendOptions_INCLUDED

#include "Poco/Util/OptionSet.h"
#include <string>

namespace PostHog
{
class ToolApplication;
}

namespace PostHogSend
{

class SendOptions
/// The options posthog-send defines, what each one sets (flags here, configuration keys in the
/// application's configuration), and the help text. A usage error is kept, not thrown, so that
/// main() reports it as one sentence with exit status 2.
{
public:
	void define(Poco::Util::OptionSet& options) const;
	/// Adds --help, --version, --config, --api-key, --host, --define, --dry-run, --explain,
	/// --list-plugins and --list-options.

	bool handle(PostHog::ToolApplication& app, const std::string& name, const std::string& value);
	/// Applies one option. False when option processing should stop (--help).

	static void printHelp(const Poco::Util::OptionSet& options, const std::string& command);

	bool help = false;
	bool version = false;
	bool listPlugins = false;
	bool listOptions = false;
	bool dryRun = false;
	bool explain = false;
	std::string usageError; /// the first usage error, without the "posthog-send: " prefix

private:
	void keepFirst(const std::string& error);
};

} // namespace PostHogSend

#endif // PostHogSend_SendOptions_INCLUDED
