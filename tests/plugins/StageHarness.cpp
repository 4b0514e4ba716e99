//
// StageHarness.cpp
//

#include "StageHarness.h"
#include "PluginLoader.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/NumberFormatter.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "UuidGenerator.h"
#include <cmath>

namespace PostHogTest
{

StageHarness::StageHarness(const std::string& stage, const Options& options)
    : _context(Poco::Logger::get("PostHog.test"))
{
	auto config = configuration(stage, options);
	_pipeline = PostHog::Pipeline::build(*config, _registry, _context);
}

StageHarness::~StageHarness() = default;

PostHog::Pipeline::Outcome StageHarness::run(PostHog::Message& message)
{
	return _pipeline->process(message);
}

Poco::AutoPtr<Poco::Util::MapConfiguration> StageHarness::configuration(const std::string& stage,
                                                                        const Options& options)
{
	Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
	config->setString("posthog.pipeline.stages", stage);
	for (const auto& o : options)
		config->setString("posthog.pipeline." + stage + "." + o.first, o.second);
	return config;
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
	m.setUuid(PostHog::UuidGenerator::next());
	m.setTimestamp(Poco::Timestamp());
	return m;
}

namespace
{

std::string bound(double v)
{
	if (std::floor(v) == v && std::fabs(v) < 1e15)
		return Poco::NumberFormatter::format(static_cast<Poco::Int64>(v));
	return Poco::NumberFormatter::format(v);
}

} // namespace

std::string StageHarness::markdownRow(const PostHog::OptionSpec& spec)
{
	std::string type = PostHog::OptionSpec::typeName(spec.type);
	if (spec.type == PostHog::OptionSpec::Enum)
		type += " (" + Poco::replace(spec.choices, ",", ", ") + ")";
	if ((spec.type == PostHog::OptionSpec::Int || spec.type == PostHog::OptionSpec::Double) &&
	    std::isfinite(spec.min) && std::isfinite(spec.max))
		type += " " + bound(spec.min) + ".." + bound(spec.max);
	std::string name = spec.type == PostHog::OptionSpec::Prefix ? spec.name + ".<name>" : spec.name;
	std::string value = spec.defaultValue.empty() ? "(empty)" : "`" + spec.defaultValue + "`";
	// Markdown would take <event> for an HTML tag.
	std::string description = Poco::replace(Poco::replace(spec.description, "<", "&lt;"), ">", "&gt;");
	return "| `" + name + "` | " + type + " | " + value + " | " + description + " |";
}

std::vector<std::string> StageHarness::optionRows(const std::string& library, const std::string& className)
{
	PostHog::PluginLoader loader(PostHog::Pipeline::defaultPluginDirectories(), false);
	std::vector<std::string> rows;
	{
		std::unique_ptr<PostHog::Middleware> stage(loader.create("docs", library, className));
		for (const auto& spec : stage->options())
			rows.push_back(markdownRow(spec));
	} // the instance goes before its library
	return rows;
}

std::string StageHarness::documentSection(const std::string& path, const std::string& heading)
{
	Poco::Path full(Poco::Environment::get("POSTHOG_SOURCE_DIR", POSTHOG_TEST_SOURCE_DIR));
	full.makeDirectory();
	full.resolve(Poco::Path(path));
	Poco::FileInputStream in(full.toString());
	std::string line, section;
	bool inside = false;
	while (std::getline(in, line))
	{
		if (line.compare(0, 3, "## ") == 0)
		{
			if (inside)
				break;
			inside = Poco::trim(line.substr(3)) == heading;
		}
		if (inside)
			section += line + "\n";
	}
	return section;
}

} // namespace PostHogTest
