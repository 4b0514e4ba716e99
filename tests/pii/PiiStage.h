//
// PiiStage.h
//
// A real pipeline around the pii plugin (libPostHogPii.so loaded by ClassLoader).
//

#ifndef PostHogTest_PiiStage_INCLUDED
#define PostHogTest_PiiStage_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Message.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/Pipeline.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace PostHogTest
{

class PiiStage
/// posthog.pipeline.stages = pii with posthog.pipeline.pii.<key> = <value> for each option,
/// built by PostHog::Pipeline::build() from a MapConfiguration, exactly as the Client does.
{
public:
	using Options = std::vector<std::pair<std::string, std::string>>;

	explicit PiiStage(const Options& options = Options());
	~PiiStage();

	PostHog::Pipeline::Outcome run(PostHog::Message& message);

	PostHog::Properties scrub(const PostHog::Properties& properties);
	/// The properties after the stage (empty with a "$dropped" key if the stage dropped it).

	PostHog::Pipeline& pipeline() { return *_pipeline; }

	static std::string buildError(const Options& options);
	/// What Pipeline::build() throws for these options, or "" when it builds.

private:
	static Poco::AutoPtr<Poco::Util::MapConfiguration> configuration(const Options& options);

	PostHog::MiddlewareContext _context;
	PostHog::MiddlewareRegistry _registry;
	std::unique_ptr<PostHog::Pipeline> _pipeline;
};

} // namespace PostHogTest

#endif // PostHogTest_PiiStage_INCLUDED
