//
// PluginList.h
//
// posthog-send --list-plugins.
//

#ifndef PostHogSend_PluginList_INCLUDED
#define PostHogSend_PluginList_INCLUDED

#include "PostHog/PluginCatalog.h"
#include <iosfwd>
#include <string>
#include <vector>

namespace PostHogSend
{

class PluginList
/// Prints every loadable stage of the plugin directories with its option table:
///
///     PostHogSampling  (/usr/lib/x86_64-linux-gnu/posthog-cpp/plugins/libPostHogSampling.so)
///       class SamplingMiddleware: stage kind 'sampling', onError = pass
///         rate     double  1   share of distinct ids kept (0 to 1)
///
/// and the configuration lines that place it in a chain.
{
public:
	static void print(std::ostream& out, const std::vector<std::string>& directories,
	                  const std::vector<PostHog::PluginCatalog::LibraryInfo>& libraries);
};

} // namespace PostHogSend

#endif // PostHogSend_PluginList_INCLUDED
