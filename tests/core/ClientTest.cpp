//
// ClientTest.cpp
//
// The Client against a real loopback capture endpoint: the wire shape of every call.
//

#include "CaptureServer.h"
#include "PostHog/Client.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using PostHogTest::CaptureServer;

namespace
{

ClientOptions optionsFor(const CaptureServer& server)
{
	ClientOptions o;
	o.apiKey = "phc_test_key_1234";
	o.host = server.url();
	o.batchInterval = Poco::Timespan(60, 0);
	o.retryBaseDelay = Poco::Timespan(10 * 1000);
	return o;
}

} // namespace

class ClientTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ClientTest);
	CPPUNIT_TEST(testCaptureWireShape);
	CPPUNIT_TEST(testIdentifyAliasGroupPageview);
	CPPUNIT_TEST(testBatchesBySize);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCaptureWireShape()
	{
		CaptureServer server;
		Client client(optionsFor(server));
		EventOptions eo;
		eo.groups = {{"company", "acme"}};
		std::string uuid = client.capture("user-1", "signed up", {{"plan", "pro"}}, eo);
		CPPUNIT_ASSERT_EQUAL(std::size_t(36), uuid.size());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		const auto& r = requests[0];
		CPPUNIT_ASSERT(r.gzip);
		CPPUNIT_ASSERT_EQUAL(std::string("/batch/"), r.path);
		CPPUNIT_ASSERT_EQUAL(std::string("phc_test_key_1234"), r.apiKey);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.events.size());
		auto e = r.events[0];
		CPPUNIT_ASSERT_EQUAL(std::string("signed up"), e->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), e->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(uuid, e->getValue<std::string>("uuid"));
		auto p = e->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), p->getValue<std::string>("plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), p->getValue<std::string>("$lib"));
		CPPUNIT_ASSERT_EQUAL(std::string(POSTHOG_VERSION_STRING), p->getValue<std::string>("$lib_version"));
		CPPUNIT_ASSERT_EQUAL(true, p->getValue<bool>("$geoip_disable"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), p->getObject("$groups")->getValue<std::string>("company"));
	}

	void testIdentifyAliasGroupPageview()
	{
		CaptureServer server;
		Client client(optionsFor(server));
		CPPUNIT_ASSERT(client.identify("user-1", {{"email", "a@example.com"}}));
		CPPUNIT_ASSERT(client.alias("anon-1", "user-1"));
		CPPUNIT_ASSERT(client.groupIdentify("company", "acme", {{"seats", 10}}));
		CPPUNIT_ASSERT(!client.pageview("user-1", "https://example.com/a").empty());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), events[0]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("a@example.com"),
		    events[0]->getObject("properties")->getObject("$set")->getValue<std::string>("email"));
		CPPUNIT_ASSERT_EQUAL(std::string("$create_alias"), events[1]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"), events[1]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), events[1]->getObject("properties")->getValue<std::string>("alias"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"), events[1]->getObject("properties")->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("$groupidentify"), events[2]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("$company_acme"), events[2]->getValue<std::string>("distinct_id"));
		auto gp = events[2]->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("company"), gp->getValue<std::string>("$group_type"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), gp->getValue<std::string>("$group_key"));
		CPPUNIT_ASSERT_EQUAL(10, gp->getObject("$group_set")->getValue<int>("seats"));
		CPPUNIT_ASSERT_EQUAL(std::string("$pageview"), events[3]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/a"),
		    events[3]->getObject("properties")->getValue<std::string>("$current_url"));
	}

	void testBatchesBySize()
	{
		CaptureServer server;
		ClientOptions o = optionsFor(server);
		o.batchSize = 10;
		Client client(o);
		for (int i = 0; i < 35; ++i)
			client.capture("u" + std::to_string(i), "e" + std::to_string(i));
		CPPUNIT_ASSERT(server.waitForEvents(30, 10000));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), requests.size());
		int n = 0;
		for (const auto& r : requests)
		{
			CPPUNIT_ASSERT(r.events.size() <= 10);
			for (const auto& e : r.events)
				CPPUNIT_ASSERT_EQUAL("e" + std::to_string(n++), e->getValue<std::string>("event"));
		}
		CPPUNIT_ASSERT_EQUAL(35, n);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientTest);
