//
// PluginsClientTest.cpp
//
// The three built-in plugins in a real Client, configured from a Poco configuration, sending
// to the loopback CaptureServer: what arrives, and what the statistics say was dropped.
//

#include "CaptureServer.h"
#include "Poco/AutoPtr.h"
#include "Poco/Environment.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Client.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using PostHogTest::CaptureServer;

class PluginsClientTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PluginsClientTest);
	CPPUNIT_TEST(testEnrichedAndValidatedThroughClient);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEnrichedAndValidatedThroughClient()
	{
		CaptureServer server;
		Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
		config->setString("posthog.apiKey", "phc_plugins_test_key");
		config->setString("posthog.host", server.url());
		config->setString("posthog.batch.interval", "60000");
		config->setString("posthog.http.retryDelay", "10");
		config->setString("posthog.pipeline.stages", "validation, enrichment, sampling");
		config->setString("posthog.pipeline.validation.eventNamePattern", "^[a-z ]+$");
		config->setString("posthog.pipeline.enrichment.properties.deployment", "canary");
		config->setString("posthog.pipeline.enrichment.appVersion", "3.1.4");
		config->setString("posthog.pipeline.sampling.eventRates", "movie paused:0");
		config->setString("posthog.pipeline.sampling.writeRate", "true");
		Client client(*config);
		client.registerProperties({{"tenant", "acme"}, {"deployment", "super"}});

		CPPUNIT_ASSERT(!client.capture("user-1", "movie played", {{"title", "Heat"}}).empty());
		CPPUNIT_ASSERT(!client.capture("anonymous", "movie played").empty());      // validation: illegal id
		CPPUNIT_ASSERT(!client.capture("user-2", "MoviePlayed").empty());          // validation: pattern
		CPPUNIT_ASSERT(!client.capture("user-3", "movie paused").empty());         // sampling: rate 0
		CPPUNIT_ASSERT(client.identify("user-1", {{"email", "ada@example.com"}})); // passes every stage
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);

		auto events = server.events();
		CPPUNIT_ASSERT(server.errors().empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		auto played = events[0];
		CPPUNIT_ASSERT_EQUAL(std::string("movie played"), played->getValue<std::string>("event"));
		auto p = played->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("Heat"), p->getValue<std::string>("title"));
		CPPUNIT_ASSERT_EQUAL(std::string("super"), p->getValue<std::string>("deployment"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), p->getValue<std::string>("tenant"));
		CPPUNIT_ASSERT_EQUAL(std::string("3.1.4"), p->getValue<std::string>("app_version"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::nodeName(), p->getValue<std::string>("host_name"));
		CPPUNIT_ASSERT_EQUAL(Poco::Environment::osName(), p->getValue<std::string>("os_name"));
		CPPUNIT_ASSERT_EQUAL(1.0, p->getValue<double>("$sample_rate"));
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), p->getValue<std::string>("$lib"));
		auto identify = events[1];
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), identify->getValue<std::string>("event"));
		auto ip = identify->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), ip->getValue<std::string>("tenant"));
		CPPUNIT_ASSERT(!ip->has("$sample_rate")); // identity events are not sampled

		ClientStatistics stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.droppedByReason["stage:validation"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.droppedByReason["stage:sampling"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), stats.stages.size());
		auto& validation = stats.stages[0];
		CPPUNIT_ASSERT_EQUAL(std::string("validation"), validation.name);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), validation.in);
		CPPUNIT_ASSERT_EQUAL(
		    std::uint64_t(1),
		    validation.dropReasons["rule 'eventNamePattern': event 'MoviePlayed' does not match ^[a-z ]+$"]);
		CPPUNIT_ASSERT_EQUAL(
		    std::uint64_t(1),
		    validation.dropReasons
		        ["rule 'illegalDistinctId': the distinct id is 'anonymous', a placeholder PostHog "
		         "refuses to merge persons on"]);
		CPPUNIT_ASSERT_EQUAL(
		    std::uint64_t(1),
		    stats.stages[2].dropReasons["sampled out at rate 0 (eventRates 'movie paused')"]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginsClientTest);
