//
// StageHarness.cpp
//

#include "StageHarness.h"
#include "PluginDocs.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/NumberFormatter.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "Poco/UUIDGenerator.h"
#include "PostHog/PluginLibrary.h"
#include <cmath>

namespace PostHogTest
{

StageHarness::StageHarness(const std::string& stage, const Options& options) : _tester("", "", options, stage)
{
}

StageHarness::~StageHarness() = default;

PostHog::Pipeline::Outcome StageHarness::run(PostHog::Message& message)
{
	return _tester.run(message);
}

Poco::AutoPtr<Poco::Util::MapConfiguration> StageHarness::configuration(const std::string& stage,
                                                                        const Options& options)
{
	return PostHog::StageTester::configuration("", "", options, stage);
}

std::string StageHarness::buildError(const std::string& stage, const Options& options)
{
	try
	{
		StageHarness harness(stage, options);
	}
	catch (Poco::Exception& e)
	{
		return e.displayText();
	}
	return "";
}

PostHog::Message StageHarness::message(const std::string& event, const std::string& distinctId,
                                       PostHog::Properties properties)
{
	PostHog::Message m(PostHog::Message::Type::Capture, event, distinctId, std::move(properties));
	m.setUuid(Poco::UUIDGenerator::defaultGenerator().createRandom());
	m.setTimestamp(Poco::Timestamp());
	return m;
}

std::vector<std::string> StageHarness::optionRows(const std::string& library, const std::string& className)
{
	PostHog::PluginLibrary plugin(library);
	std::vector<std::string> rows;
	{
		std::unique_ptr<PostHog::Middleware> stage = plugin.create(className);
		for (const auto& spec : stage->options())
			rows.push_back(PluginDocs::optionRow(spec));
	} // the instance goes before its library
	return rows;
}

} // namespace PostHogTest
