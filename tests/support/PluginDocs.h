//
// PluginDocs.h
//
// The README's plugin reference, for the tests that check it against the plugins' own tables.
//

#ifndef PostHogTest_PluginDocs_INCLUDED
#define PostHogTest_PluginDocs_INCLUDED

#include "PostHog/OptionSpec.h"
#include <string>
#include <vector>

namespace PostHogTest
{

class PluginDocs
/// README.md documents each built-in plugin under "## Built-in plugins", one "### <name>"
/// section each, with a table row per option. These helpers let a test compare that table with
/// the option table the plugin itself declares, so the documentation cannot drift.
{
public:
	static std::string optionRow(const PostHog::OptionSpec& spec);
	/// The row the README shows for an option: | `name` | type | `default` | description |.

	static std::string missingRows(const std::string& plugin, const std::vector<std::string>& rows);
	/// What README.md's section of plugin lacks: empty when every row is there, else the
	/// missing rows (or a note that there is no such section), one a line.

	static std::string section(const std::string& plugin);
	/// The text of README.md from the line "### <plugin>" to the next "### " or "## " heading;
	/// empty when there is no such section. The source tree is POSTHOG_SOURCE_DIR (set by
	/// ctest), else the tree the tests were built from.
};

} // namespace PostHogTest

#endif // PostHogTest_PluginDocs_INCLUDED
