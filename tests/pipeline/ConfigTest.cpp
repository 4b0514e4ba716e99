//
// ConfigTest.cpp
//
// The one configuration engine: the client's key table, unknown keys refused with the nearest
// valid one, ConfigMap's typed reads, required stage options, stage names on configure()
// errors, structured drop reasons and the plugin directories, with real configuration files.
//

#include "Poco/Logger.h"
#include "Poco/Util/JSONConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/ConfigMap.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/Pipeline.h"
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace PostHog;
using Poco::AutoPtr;
using Poco::Util::AbstractConfiguration;
using Poco::Util::MapConfiguration;

namespace
{

const char* kKey = "phc_configtest0000000000000000000000000000";

AutoPtr<AbstractConfiguration> xml(const std::string& text)
{
	std::istringstream in(text);
	return new Poco::Util::XMLConfiguration(in);
}

AutoPtr<AbstractConfiguration> properties(const std::string& text)
{
	std::istringstream in(text);
	return new Poco::Util::PropertyFileConfiguration(in);
}

// The message of the ConfigurationException ClientOptions::fromConfiguration() and the pipeline
// throw for config, or "" when both accept it.
std::string errorOf(const AbstractConfiguration& config,
                    const MiddlewareRegistry& registry = MiddlewareRegistry())
{
	try
	{
		ClientOptions options = ClientOptions::fromConfiguration(config);
		MiddlewareContext context(Poco::Logger::get("ConfigTest"));
		Pipeline::build(*options.configuration, registry, context);
	}
	catch (ConfigurationException& e)
	{
		return e.message();
	}
	return "";
}

class RequiredStage : public Middleware
{
public:
	std::string name() const override { return "required"; }
	const OptionTable& options() const override
	{
		static const OptionTable table = {
		    OptionSpec::makeRequired("endpoint", OptionSpec::String, "where to post"),
		    {"mode", OptionSpec::String, "plain", "how"},
		};
		return table;
	}
	void configure(const AbstractConfiguration& config) override
	{
		if (config.getString("mode") == "bad")
			throw ConfigurationException("mode 'bad' needs an endpoint on https");
		endpoint = config.getString("endpoint");
	}
	Result process(Message& message) override
	{
		return message.event() == "drop me" ? Result::drop("asked to") : Result::pass();
	}
	std::string endpoint;
};

} // namespace

class ConfigTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ConfigTest);
	CPPUNIT_TEST(testTableDefaultsAreTheStructDefaults);
	CPPUNIT_TEST(testMisspeltKeyNamesNearestInEveryFormat);
	CPPUNIT_TEST(testStageInsteadOfStagesRefused);
	CPPUNIT_TEST(testEmptyStageElementStaysValid);
	CPPUNIT_TEST(testUnlistedStageSectionRefused);
	CPPUNIT_TEST(testValuesCheckedByTheTable);
	CPPUNIT_TEST(testConfigMapListsPairsAndPrefixes);
	CPPUNIT_TEST(testRequiredOption);
	CPPUNIT_TEST(testConfigureErrorNamesTheStage);
	CPPUNIT_TEST(testDropReasonIsStructured);
	CPPUNIT_TEST(testPluginDirectoriesAcceptJsonArrayAndDeduplicate);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTableDefaultsAreTheStructDefaults()
	{
		AutoPtr<MapConfiguration> config = new MapConfiguration;
		config->setString("posthog.apiKey", kKey);
		ClientOptions read = ClientOptions::fromConfiguration(*config);
		ClientOptions plain;
		CPPUNIT_ASSERT_EQUAL(plain.host, read.host);
		CPPUNIT_ASSERT_EQUAL(plain.enabled, read.enabled);
		CPPUNIT_ASSERT_EQUAL(plain.batchSize, read.batchSize);
		CPPUNIT_ASSERT(plain.batchInterval == read.batchInterval);
		CPPUNIT_ASSERT_EQUAL(plain.batchMaxBytes, read.batchMaxBytes);
		CPPUNIT_ASSERT_EQUAL(plain.queueCapacity, read.queueCapacity);
		CPPUNIT_ASSERT(plain.queueOverflow == read.queueOverflow);
		CPPUNIT_ASSERT_EQUAL(plain.gzipLevel, read.gzipLevel);
		CPPUNIT_ASSERT(plain.httpTimeout == read.httpTimeout);
		CPPUNIT_ASSERT_EQUAL(plain.maxRetries, read.maxRetries);
		CPPUNIT_ASSERT_EQUAL(plain.connections, read.connections);
		CPPUNIT_ASSERT(plain.retryBaseDelay == read.retryBaseDelay);
		CPPUNIT_ASSERT(plain.shutdownTimeout == read.shutdownTimeout);
		CPPUNIT_ASSERT_EQUAL(plain.spoolMaxBytes, read.spoolMaxBytes);
		CPPUNIT_ASSERT(plain.spoolFull == read.spoolFull);
		CPPUNIT_ASSERT(plain.spoolFsync == read.spoolFsync);
		CPPUNIT_ASSERT(plain.spoolFsyncInterval == read.spoolFsyncInterval);
	}

	void testMisspeltKeyNamesNearestInEveryFormat()
	{
		const std::string expected =
		    "posthog.batch.sise is not a configuration key; did you mean posthog.batch.size?";
		auto fromXml = xml(std::string("<config><posthog><apiKey>") + kKey +
		                   "</apiKey><batch><sise>10</sise></batch></posthog></config>");
		CPPUNIT_ASSERT_EQUAL(expected, errorOf(*fromXml));
		auto fromProperties =
		    properties(std::string("posthog.apiKey = ") + kKey + "\nposthog.batch.sise = 10\n");
		CPPUNIT_ASSERT_EQUAL(expected, errorOf(*fromProperties));
		std::istringstream jsonText(std::string(R"({"posthog": {"apiKey": ")") + kKey +
		                            R"(", "batch": {"sise": 10}, "pipeline": {"stages": ["sampling"]}}})");
		AutoPtr<AbstractConfiguration> fromJson = new Poco::Util::JSONConfiguration(jsonText);
		CPPUNIT_ASSERT_EQUAL(expected, errorOf(*fromJson));
		AutoPtr<MapConfiguration> defined = new MapConfiguration; // what -D key=value sets
		defined->setString("posthog.apiKey", kKey);
		defined->setString("posthog.batch.sise", "10");
		CPPUNIT_ASSERT_EQUAL(expected, errorOf(*defined));
		defined->setString("posthog.batch.sise", "");
		CPPUNIT_ASSERT_EQUAL(expected, errorOf(*defined)); // an empty value is a key all the same
		AutoPtr<MapConfiguration> far = new MapConfiguration;
		far->setString("posthog.apiKey", kKey);
		far->setString("posthog.colour", "blue");
		CPPUNIT_ASSERT_EQUAL(std::string("posthog.colour is not a configuration key; posthog-send "
		                                 "--list-options lists them all"),
		                     errorOf(*far));
		far->setString("application.colour", "blue"); // only posthog.* is the client's
		far->setString("posthog.colour", "");
		far->remove("posthog.colour");
		CPPUNIT_ASSERT_EQUAL(std::string(), errorOf(*far));
	}

	void testStageInsteadOfStagesRefused()
	{
		auto config = xml(std::string("<config><posthog><apiKey>") + kKey +
		                  "</apiKey><pipeline><stage>validation, pii</stage></pipeline></posthog></config>");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("posthog.pipeline.stage is not a pipeline key and posthog.pipeline.stages "
		                "lists no stage 'stage'; did you mean posthog.pipeline.stages?"),
		    errorOf(*config));
		auto props = properties(std::string("posthog.apiKey = ") + kKey + "\nposthog.pipeline.stage = pii\n");
		CPPUNIT_ASSERT(errorOf(*props).find("did you mean posthog.pipeline.stages?") != std::string::npos);
	}

	void testEmptyStageElementStaysValid()
	{
		MiddlewareRegistry registry;
		registry.add("required", new RequiredStage);
		auto config =
		    xml(std::string("<config><posthog><apiKey>") + kKey +
		        "</apiKey><batch/><pipeline><stages>required</stages><validation/>"
		        "<required><endpoint>https://x</endpoint></required></pipeline></posthog></config>");
		CPPUNIT_ASSERT_EQUAL(std::string(), errorOf(*config, registry));
		std::istringstream jsonText(std::string(R"({"posthog": {"apiKey": ")") + kKey +
		                            R"(", "batch": {"size": 10}, "pipeline": {"stages": ["sampling"],
		                            "sampling": {"rate": 0.5}}}})");
		AutoPtr<AbstractConfiguration> json = new Poco::Util::JSONConfiguration(jsonText);
		CPPUNIT_ASSERT_EQUAL(std::string(), errorOf(*json));
	}

	void testUnlistedStageSectionRefused()
	{
		auto config =
		    properties(std::string("posthog.apiKey = ") + kKey +
		               "\nposthog.pipeline.stages = sampling\nposthog.pipeline.samplng.rate = 0.5\n");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("posthog.pipeline.samplng is not a pipeline key and posthog.pipeline.stages "
		                "lists no stage 'samplng'; did you mean posthog.pipeline.sampling?"),
		    errorOf(*config));
		// A section of a stage registered in code needs no listing.
		MiddlewareRegistry registry;
		registry.add("required", new RequiredStage);
		auto registered = properties(std::string("posthog.apiKey = ") + kKey +
		                             "\nposthog.pipeline.required.endpoint = https://x\n");
		CPPUNIT_ASSERT_EQUAL(std::string(), errorOf(*registered, registry));
	}

	void testValuesCheckedByTheTable()
	{
		AutoPtr<MapConfiguration> config = new MapConfiguration;
		config->setString("posthog.apiKey", kKey);
		config->setString("posthog.batch.interval", "0");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("posthog.batch.interval = '0' is not a number of milliseconds between 1 and 3600000"),
		    errorOf(*config));
		ClientOptions options;
		options.apiKey = kKey;
		options.connections = 65;
		try
		{
			options.validate();
			CPPUNIT_FAIL("validate() accepted 65 connections");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT_EQUAL(
			    std::string("posthog.http.connections = '65' is not an integer between 1 and 64"),
			    e.message());
		}
		CPPUNIT_ASSERT_EQUAL(std::string("posthog.http.connections"),
		                     ClientKeys::spec("posthog.http.connections").name);
		CPPUNIT_ASSERT_THROW(ClientKeys::spec("posthog.http.nosuch"), Poco::NotFoundException);
	}

	void testConfigMapListsPairsAndPrefixes()
	{
		OptionTable table = {
		    {"events", OptionSpec::List, "", ""},
		    {"rates", OptionSpec::List, "", ""},
		    {"properties", OptionSpec::Prefix, "", ""},
		    {"on", OptionSpec::Bool, "yes", ""},
		};
		std::istringstream json(R"({"s": {"events": ["a", " b ", ""], "rates": "x:1, a:b:0.5, :2",
		    "properties": {"plan": "pro", "tier": {"level": "3"}}}})");
		AutoPtr<AbstractConfiguration> config = new Poco::Util::JSONConfiguration(json);
		ConfigMap map(*config, table, "s");
		CPPUNIT_ASSERT(map.getList("events") == std::vector<std::string>({"a", "b"}));
		ConfigMap::Pairs expected = {{"x", "1"}, {"a:b", "0.5"}, {"", "2"}};
		CPPUNIT_ASSERT(map.getPairs("rates") == expected);
		ConfigMap::Pairs prefix = {{"plan", "pro"}, {"tier.level", "3"}};
		CPPUNIT_ASSERT(map.getPrefix("properties") == prefix);
		CPPUNIT_ASSERT(map.getBool("on"));
		CPPUNIT_ASSERT(ConfigMap::splitList("/a:/b: :", ":") == std::vector<std::string>({"/a", "/b"}));
		bool value = false;
		CPPUNIT_ASSERT(ConfigMap::parseBool(" Off ", value) && !value);
		CPPUNIT_ASSERT(!ConfigMap::parseBool("maybe", value));
		CPPUNIT_ASSERT_EQUAL(std::string("stages"), ConfigMap::nearest("stage", {"stages", "pluginPath"}));
		CPPUNIT_ASSERT_EQUAL(std::string(), ConfigMap::nearest("colour", {"stages", "pluginPath"}));
		AutoPtr<MapConfiguration> bad = new MapConfiguration;
		bad->setString("rates", "x1");
		CPPUNIT_ASSERT_THROW(ConfigMap(*bad, table).getPairs("rates"), ConfigurationException);
	}

	void testRequiredOption()
	{
		MiddlewareRegistry registry;
		RequiredStage* stage = new RequiredStage;
		registry.add("required", stage);
		AutoPtr<MapConfiguration> config = new MapConfiguration;
		config->setString("posthog.apiKey", kKey);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("stage 'required': option 'endpoint' is required (where to post) but not set"),
		    errorOf(*config, registry));
		config->setString("posthog.pipeline.required.endpoint", "https://example.com");
		CPPUNIT_ASSERT_EQUAL(std::string(), errorOf(*config, registry));
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com"), stage->endpoint);
		CPPUNIT_ASSERT_EQUAL(std::string("required"), stage->options()[0].defaultText());
		CPPUNIT_ASSERT_EQUAL(std::string("plain"), stage->options()[1].defaultText());
	}

	void testConfigureErrorNamesTheStage()
	{
		MiddlewareRegistry registry;
		registry.add("strict", new RequiredStage);
		AutoPtr<MapConfiguration> config = new MapConfiguration;
		config->setString("posthog.apiKey", kKey);
		config->setString("posthog.pipeline.strict.endpoint", "http://x");
		config->setString("posthog.pipeline.strict.mode", "bad");
		CPPUNIT_ASSERT_EQUAL(std::string("stage 'strict': mode 'bad' needs an endpoint on https"),
		                     errorOf(*config, registry));
	}

	void testDropReasonIsStructured()
	{
		MiddlewareRegistry registry;
		registry.add("gate", new RequiredStage);
		AutoPtr<MapConfiguration> config = new MapConfiguration;
		config->setString("posthog.pipeline.gate.endpoint", "https://x");
		MiddlewareContext context(Poco::Logger::get("ConfigTest"));
		auto pipeline = Pipeline::build(*config, registry, context);
		Message message(Message::Type::Capture, "drop me", "user-1");
		Pipeline::Outcome outcome = pipeline->process(message);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("gate"), outcome.drop.stage);
		CPPUNIT_ASSERT_EQUAL(std::string("required"), outcome.drop.kind);
		CPPUNIT_ASSERT_EQUAL(std::string("asked to"), outcome.drop.reason);
		CPPUNIT_ASSERT_EQUAL(outcome.drop.stage, outcome.droppedBy); // the old fields stay
		CPPUNIT_ASSERT_EQUAL(outcome.drop.reason, outcome.reason);
	}

	void testPluginDirectoriesAcceptJsonArrayAndDeduplicate()
	{
		std::istringstream json(
		    R"({"posthog": {"pipeline": {"pluginPath": ["/opt/a", "/opt/b/", "/opt/a/"]}}})");
		AutoPtr<AbstractConfiguration> config = new Poco::Util::JSONConfiguration(json);
		std::vector<std::string> dirs = Pipeline::pluginDirectories(*config);
		CPPUNIT_ASSERT(dirs.size() >= 2);
		CPPUNIT_ASSERT_EQUAL(std::string("/opt/a"), dirs[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("/opt/b/"), dirs[1]);
		CPPUNIT_ASSERT(dirs.size() < 3 || dirs[2] != "/opt/a/");
		auto colon = properties("posthog.pipeline.pluginPath = /opt/a:/opt/a/:/opt/b\n");
		std::vector<std::string> fromColons = Pipeline::pluginDirectories(*colon);
		CPPUNIT_ASSERT(fromColons.size() >= 2);
		CPPUNIT_ASSERT_EQUAL(std::string("/opt/a"), fromColons[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("/opt/b"), fromColons[1]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);
