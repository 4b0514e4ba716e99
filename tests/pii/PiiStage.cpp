//
// PiiStage.cpp
//

#include "PiiStage.h"
#include "Poco/Exception.h"
#include "Poco/Logger.h"

namespace PostHogTest
{

PiiStage::PiiStage(const Options& options) : _context(Poco::Logger::get("PiiTest"))
{
	_pipeline = PostHog::Pipeline::build(*configuration(options), _registry, _context);
}

PiiStage::~PiiStage() = default;

Poco::AutoPtr<Poco::Util::MapConfiguration> PiiStage::configuration(const Options& options)
{
	Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
	config->setString("posthog.pipeline.stages", "pii");
	for (const auto& o : options)
		config->setString("posthog.pipeline.pii." + o.first, o.second);
	return config;
}

PostHog::Pipeline::Outcome PiiStage::run(PostHog::Message& message)
{
	return _pipeline->process(message);
}

PostHog::Properties PiiStage::scrub(const PostHog::Properties& properties)
{
	PostHog::Message message(PostHog::Message::Type::Capture, "test", "user-1", properties);
	PostHog::Pipeline::Outcome outcome = run(message);
	if (!outcome.passed)
		return PostHog::Properties{{"$dropped", outcome.reason}};
	return message.properties();
}

std::string PiiStage::buildError(const Options& options)
{
	try
	{
		PiiStage stage(options);
		return "";
	}
	catch (const Poco::Exception& e)
	{
		return e.displayText();
	}
}

} // namespace PostHogTest
