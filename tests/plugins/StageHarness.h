//
// StageHarness.h
//
// Builds a real pipeline (plugins loaded from the build tree) around one built-in stage.
//

#ifndef PostHogTest_StageHarness_INCLUDED
#define PostHogTest_StageHarness_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Message.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/Pipeline.h"
#include "PostHog/StageTester.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace PostHogTest
{

class StageHarness
/// posthog.pipeline.stages = <stage>, posthog.pipeline.<stage>.<key> = <value> for every
/// option given, built with PostHog::Pipeline::build() exactly as a Client builds it: the
/// plugin library is found in the build tree's plugin directory and loaded by ClassLoader
/// (through PostHog::StageTester, the helper plugin authors get).
{
public:
	using Options = std::vector<std::pair<std::string, std::string>>;

	explicit StageHarness(const std::string& stage, const Options& options = Options());
	/// Throws what Pipeline::build() throws.

	~StageHarness();

	PostHog::Pipeline::Outcome run(PostHog::Message& message);
	/// Runs the message through the pipeline.

	PostHog::Pipeline& pipeline() { return _tester.pipeline(); }
	PostHog::MiddlewareContext& context() { return _tester.context(); }

	static std::string buildError(const std::string& stage, const Options& options);
	/// The message of the exception Pipeline::build() throws for these options, or "" when
	/// it builds.

	static PostHog::Message message(const std::string& event, const std::string& distinctId,
	                                PostHog::Properties properties = PostHog::Properties());
	/// A capture as the Client makes it: a fresh UUIDv7 and the current time.

	static Poco::AutoPtr<Poco::Util::MapConfiguration> configuration(const std::string& stage,
	                                                                 const Options& options);

	static std::vector<std::string> optionRows(const std::string& library, const std::string& className);
	/// PluginDocs::optionRow() of every option the plugin declares, read from the plugin itself (loaded
	/// from the build tree's plugin directory).

private:
	PostHog::StageTester _tester; // the installed helper plugin authors use, around a built-in stage
};

} // namespace PostHogTest

#endif // PostHogTest_StageHarness_INCLUDED
