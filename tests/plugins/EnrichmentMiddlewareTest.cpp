//
// EnrichmentMiddlewareTest.cpp
//
// The enrichment plugin (libPostHogEnrichment.so, loaded through the pipeline): every source
// of properties, every switch, precedence, and bad options.
//

#include "PluginDocs.h"
#include "Poco/Environment.h"
#include "Poco/Process.h"
#include "PostHog/Array.h"
#include "StageHarness.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using PostHogTest::StageHarness;

namespace
{

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

std::string str(const Properties& p, const std::string& key)
{
	Value v = p.get(key);
	return v.isString() ? std::string(v.getString()) : "<" + v.toJSON() + ">";
}

} // namespace

class EnrichmentMiddlewareTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(EnrichmentMiddlewareTest);
	CPPUNIT_TEST(testDefaultsAddHostFacts);
	CPPUNIT_TEST(testSwitches);
	CPPUNIT_TEST(testStaticProperties);
	CPPUNIT_TEST(testEnvironmentVariables);
	CPPUNIT_TEST(testAppVersion);
	CPPUNIT_TEST(testNeverOverwritesCaller);
	CPPUNIT_TEST(testOverwrite);
	CPPUNIT_TEST(testSuperProperties);
	CPPUNIT_TEST(testSuperPropertiesSwitchedOff);
	CPPUNIT_TEST(testManyProperties);
	CPPUNIT_TEST(testAllMessageKinds);
	CPPUNIT_TEST(testBadOptions);
	CPPUNIT_TEST(testOptionsDocumented);
	CPPUNIT_TEST_SUITE_END();

public:
	void testDefaultsAddHostFacts()
	{
		StageHarness h("enrichment");
		Message m = StageHarness::message("signed up", "user-1", {{"plan", "pro"}});
		CPPUNIT_ASSERT(h.run(m).passed);
		const Properties& p = m.properties();
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(p, "plan"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::nodeName(), str(p, "host_name"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::osName(), str(p, "os_name"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::osVersion(), str(p, "os_version"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::osArchitecture(), str(p, "os_arch"));
		CPPUNIT_ASSERT(!Poco::Environment::nodeName().empty());
		Poco::UInt32 v = Poco::Environment::libraryVersion();
		CPPUNIT_ASSERT_EQUAL("C++/Poco " + std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xFF) +
		                         "." + std::to_string((v >> 8) & 0xFF),
		                     str(p, "runtime"));
		CPPUNIT_ASSERT(contains(str(p, "runtime"), "C++/Poco 1."));
		CPPUNIT_ASSERT(!p.has("process_id"));
		CPPUNIT_ASSERT(!p.has("app_version"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), p.size());
	}

	void testSwitches()
	{
		StageHarness h("enrichment",
		               {{"hostName", "false"}, {"os", "false"}, {"runtime", "no"}, {"processId", "true"}});
		Message m = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), m.properties().size());
		CPPUNIT_ASSERT(m.properties().get("process_id").isInt());
		CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(Poco::Process::id()),
		                     m.properties().get("process_id").getInt());

		StageHarness nothing("enrichment", {{"hostName", "off"}, {"os", "0"}, {"runtime", "false"}});
		Message n = StageHarness::message("signed up", "user-1", {{"plan", "pro"}});
		CPPUNIT_ASSERT(nothing.run(n).passed);
		CPPUNIT_ASSERT(n.properties() == Properties({{"plan", "pro"}}));
	}

	void testStaticProperties()
	{
		StageHarness h("enrichment", {{"hostName", "false"},
		                              {"os", "false"},
		                              {"runtime", "false"},
		                              {"properties.deployment", "canary"},
		                              {"properties.seats", "3"},
		                              {"properties.service.name", "checkout"}});
		Message m = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), m.properties().size());
		CPPUNIT_ASSERT_EQUAL(std::string("canary"), str(m.properties(), "deployment"));
		CPPUNIT_ASSERT_EQUAL(std::string("3"), str(m.properties(), "seats")); // strings, as configured
		CPPUNIT_ASSERT_EQUAL(std::string("checkout"), str(m.properties(), "service.name"));
	}

	void testEnvironmentVariables()
	{
		Poco::Environment::set("POSTHOG_PLUGINS_TEST_REGION", "eu-west-1");
		Poco::Environment::set("POSTHOG_PLUGINS_TEST_BUILD", "b-4711");
		StageHarness h("enrichment", {{"env.region", "POSTHOG_PLUGINS_TEST_REGION"},
		                              {"env.build", "POSTHOG_PLUGINS_TEST_BUILD"},
		                              {"env.missing", "POSTHOG_PLUGINS_TEST_NEVER_SET"},
		                              {"properties.region", "default"},
		                              {"properties.zone", "z1"}});
		// Read once: a later change of the variable does not show.
		Poco::Environment::set("POSTHOG_PLUGINS_TEST_BUILD", "b-9999");
		Message m = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("eu-west-1"),
		                     str(m.properties(), "region")); // env wins over properties
		CPPUNIT_ASSERT_EQUAL(std::string("b-4711"), str(m.properties(), "build"));
		CPPUNIT_ASSERT_EQUAL(std::string("z1"), str(m.properties(), "zone"));
		CPPUNIT_ASSERT(!m.properties().has("missing"));
	}

	void testAppVersion()
	{
		StageHarness h("enrichment", {{"appVersion", " 2.4.1 "}});
		Message m = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("2.4.1"), str(m.properties(), "app_version"));
	}

	void testNeverOverwritesCaller()
	{
		StageHarness h("enrichment", {{"properties.deployment", "canary"}, {"appVersion", "2.0"}});
		h.context().registerProperties({{"tenant", "acme"}});
		Message m = StageHarness::message("signed up", "user-1",
		                                  {{"deployment", "caller"},
		                                   {"host_name", "my-host"},
		                                   {"app_version", "1.0"},
		                                   {"tenant", "caller-tenant"}});
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("caller"), str(m.properties(), "deployment"));
		CPPUNIT_ASSERT_EQUAL(std::string("my-host"), str(m.properties(), "host_name"));
		CPPUNIT_ASSERT_EQUAL(std::string("1.0"), str(m.properties(), "app_version"));
		CPPUNIT_ASSERT_EQUAL(std::string("caller-tenant"), str(m.properties(), "tenant"));
		// The caller's keys keep their place; added keys come after them.
		CPPUNIT_ASSERT_EQUAL(std::string("deployment"), std::string(m.properties().begin()->key));
	}

	void testOverwrite()
	{
		StageHarness h("enrichment", {{"properties.deployment", "canary"},
		                              {"properties.plan", "static"},
		                              {"overwrite", "true"},
		                              {"appVersion", "2.0"}});
		h.context().registerProperties({{"plan", "super"}});
		Message m = StageHarness::message(
		    "signed up", "user-1",
		    {{"deployment", "caller"}, {"plan", "caller"}, {"app_version", "1.0"}, {"host_name", "my-host"}});
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("canary"), str(m.properties(), "deployment"));
		CPPUNIT_ASSERT_EQUAL(std::string("super"), str(m.properties(), "plan")); // super wins over static
		CPPUNIT_ASSERT_EQUAL(std::string("2.0"), str(m.properties(), "app_version"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::nodeName(), str(m.properties(), "host_name"));
	}

	void testSuperProperties()
	{
		StageHarness h("enrichment", {{"properties.deployment", "static"}, {"properties.region", "eu"}});
		Message before = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(before).passed);
		CPPUNIT_ASSERT(!before.properties().has("tenant"));
		// Registered after the pipeline was built: seen by the next message.
		h.context().registerProperties({{"tenant", "acme"}, {"deployment", "super"}, {"seats", 3}});
		Message m = StageHarness::message("signed up", "user-1", {{"seats", 5}});
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(m.properties(), "tenant"));
		CPPUNIT_ASSERT_EQUAL(std::string("super"),
		                     str(m.properties(), "deployment")); // super over configured
		CPPUNIT_ASSERT_EQUAL(std::string("eu"), str(m.properties(), "region"));
		CPPUNIT_ASSERT_EQUAL(std::int64_t(5), m.properties().get("seats").getInt()); // caller over super
		h.context().unregisterProperty("tenant");
		Message after = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(after).passed);
		CPPUNIT_ASSERT(!after.properties().has("tenant"));
		CPPUNIT_ASSERT_EQUAL(std::int64_t(3), after.properties().get("seats").getInt());
		// A changed value replaces the old one from the next message on.
		h.context().registerProperties({{"seats", 4}});
		Message changed = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(changed).passed);
		CPPUNIT_ASSERT_EQUAL(std::int64_t(4), changed.properties().get("seats").getInt());
		CPPUNIT_ASSERT_EQUAL(std::string("super"), str(changed.properties(), "deployment"));
	}

	void testManyProperties()
	{
		// More than the 64 entries Properties::merge tracks in one scan: the key-by-key path.
		StageHarness::Options options{{"hostName", "false"}, {"os", "false"}, {"runtime", "false"}};
		for (int i = 0; i < 70; ++i)
			options.emplace_back("properties.p" + std::to_string(i), "v" + std::to_string(i));
		for (const char* overwrite : {"false", "true"})
		{
			options.emplace_back("overwrite", overwrite);
			StageHarness h("enrichment", options);
			options.pop_back();
			Message m =
			    StageHarness::message("signed up", "user-1", {{"p5", "caller"}, {"p69", "caller"}, {"q", 1}});
			CPPUNIT_ASSERT(h.run(m).passed);
			CPPUNIT_ASSERT_EQUAL(std::size_t(71), m.properties().size());
			bool keep = std::string(overwrite) == "false";
			CPPUNIT_ASSERT_EQUAL(std::string(keep ? "caller" : "v5"), str(m.properties(), "p5"));
			CPPUNIT_ASSERT_EQUAL(std::string(keep ? "caller" : "v69"), str(m.properties(), "p69"));
			CPPUNIT_ASSERT_EQUAL(std::string("v0"), str(m.properties(), "p0"));
			CPPUNIT_ASSERT_EQUAL(std::string("v68"), str(m.properties(), "p68"));
			CPPUNIT_ASSERT_EQUAL(std::int64_t(1), m.properties().get("q").getInt());
		}
		// And with a nested caller value in the way of the one-scan path.
		StageHarness few("enrichment", {{"hostName", "false"},
		                                {"os", "false"},
		                                {"runtime", "false"},
		                                {"properties.a", "1"},
		                                {"properties.b", "2"},
		                                {"overwrite", "true"}});
		Message nested = StageHarness::message(
		    "signed up", "user-1",
		    {{"device", Properties{{"a", "inner"}}}, {"b", "caller"}, {"tags", Array{"x"}}});
		CPPUNIT_ASSERT(few.run(nested).passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("{\"device\":{\"a\":\"inner\"},\"b\":\"2\",\"tags\":[\"x\"],\"a\":\"1\"}"),
		    nested.properties().toJSON());
	}

	void testSuperPropertiesSwitchedOff()
	{
		StageHarness h("enrichment", {{"superProperties", "false"}});
		h.context().registerProperties({{"tenant", "acme"}});
		Message m = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT(!m.properties().has("tenant"));
		CPPUNIT_ASSERT(m.properties().has("host_name"));
	}

	void testAllMessageKinds()
	{
		StageHarness h("enrichment", {{"properties.deployment", "canary"}});
		Message identify(Message::Type::Identify, "$identify", "user-1",
		                 {{"$set", Properties{{"plan", "pro"}}}});
		CPPUNIT_ASSERT(h.run(identify).passed);
		CPPUNIT_ASSERT_EQUAL(std::string("canary"), str(identify.properties(), "deployment"));
		// Person properties are left alone: enrichment adds event properties only.
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), identify.properties().get("$set").size());
	}

	void testBadOptions()
	{
		struct Case
		{
			const char* key;
			const char* value;
			const char* expected;
		};
		Case cases[] = {
		    {"hostName", "maybe", "stage 'enrichment': option 'hostName' = 'maybe' is not true or false"},
		    {"overwrite", "2", "stage 'enrichment': option 'overwrite' = '2' is not true or false"},
		    {"processId", "", "stage 'enrichment': option 'processId' = '' is not true or false"},
		    {"env.region", " ",
		     "stage 'enrichment': Invalid argument: option 'env.region' = '' names no environment variable"},
		    {"hostname", "true", "stage 'enrichment': unknown option 'hostname' = 'true'"},
		    {"property.plan", "pro", "stage 'enrichment': unknown option 'property.plan' = 'pro'"},
		};
		for (const auto& c : cases)
		{
			std::string error = StageHarness::buildError("enrichment", {{c.key, c.value}});
			CPPUNIT_ASSERT_MESSAGE(std::string(c.key) + " gave: " + error, contains(error, c.expected));
		}
	}

	void testOptionsDocumented()
	{
		// README.md lists every option exactly as the plugin's own table declares it.
		auto rows = StageHarness::optionRows("PostHogEnrichment", "EnrichmentMiddleware");
		CPPUNIT_ASSERT(rows.size() >= 4);
		std::string missing = PostHogTest::PluginDocs::missingRows("enrichment", rows);
		CPPUNIT_ASSERT_MESSAGE("README.md, section enrichment, lacks:\n" + missing, missing.empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(EnrichmentMiddlewareTest);
