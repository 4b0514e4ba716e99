//
// PluginList.h
//
// posthog-send --list-plugins.
//

#ifndef PostHogSend_PluginList_INCLUDED
#define PostHogSend_PluginList_INCLUDED

#include "PluginCatalog.h"
#include <iosfwd>
#include <string>
#include <vector>

namespace PostHogSend
{

class PluginList
/// Prints every loadable stage of the plugin directories with its option table:
///
///     PostHogSampling  (/usr/lib/x86_64-linux-gnu/posthog-cpp/plugins/libPostHogSampling.so)
///       class SamplingMiddleware: stage kind 'sampling', onError = drop by default
///         posthog.pipeline.<stage>.library = PostHogSampling
///         posthog.pipeline.<stage>.class = SamplingMiddleware
///         rate  double (0..1), default "1"
///             share of distinct ids whose events are kept, 0..1
///
/// and the configuration lines that place it in a chain; and the client's own keys the same way.
{
public:
	static void print(std::ostream& out, const std::vector<std::string>& directories,
	                  const std::vector<PostHog::PluginCatalog::LibraryInfo>& libraries);

	static void printKeys(std::ostream& out);
	/// posthog-send --list-options: every client key of PostHog::ClientKeys, by section, with
	/// its type, default and description, in the form of the stage options above.

	static void printOption(std::ostream& out, const PostHog::OptionSpec& spec, const std::string& prefix,
	                        const std::string& indent);
	/// One option: "<indent><prefix><name>  <type>, default \"<value>\"" (or ", required"), and
	/// its description on the next line.
};

} // namespace PostHogSend

#endif // PostHogSend_PluginList_INCLUDED
