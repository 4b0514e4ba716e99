//
// ClientTest.cpp
//
// The Client against a real loopback capture endpoint: the wire shape of every call.
//

#include "PostHog/Client.h"
#include "ClientTestSupport.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/Event.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Exceptions.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <set>
#include <stdexcept>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

class ClientTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ClientTest);
	CPPUNIT_TEST(testCaptureWireShape);
	CPPUNIT_TEST(testIdentifyAliasGroupPageview);
	CPPUNIT_TEST(testBatchesBySize);
	CPPUNIT_TEST(testBatchFilledAcrossWorkerRoundsGoesOutAtOnce);
	CPPUNIT_TEST(testCaptureWithEveryEventOption);
	CPPUNIT_TEST(testCaptureDefaultsToNowAndAFreshUuidV7);
	CPPUNIT_TEST(testIdentifySetAndSetOnce);
	CPPUNIT_TEST(testAliasWireShape);
	CPPUNIT_TEST(testGroupIdentifyWithAndWithoutDistinctId);
	CPPUNIT_TEST(testPageviewCurrentUrl);
	CPPUNIT_TEST(testCallerSetLibPropertiesAreKept);
	CPPUNIT_TEST(testGeoipTrueOmitsGeoipDisable);
	CPPUNIT_TEST(testPerCallDisableGeoip);
	CPPUNIT_TEST(testBadInputRejectedWithOneReasonEach);
	CPPUNIT_TEST(testDisabledClientSendsNothingAndStartsNoThreads);
	CPPUNIT_TEST(testSyncModeSendsOnTheCallersThread);
	CPPUNIT_TEST(testBeforeSendFunctionModifiesDropsAndFailsClosed);
	CPPUNIT_TEST(testFromConfigurationReadsEveryKey);
	CPPUNIT_TEST(testFromConfigurationNamesKeyAndValueOfWrongValues);
	CPPUNIT_TEST(testClientBuiltFromConfigurationSends);
	CPPUNIT_TEST(testStringsAreEscapedOnTheWire);
	CPPUNIT_TEST(testSyncModeFlushWaitsForASendInProgress);
	CPPUNIT_TEST(testBeforeSendSeesEveryMessageType);
	CPPUNIT_TEST(testBeforeSendChainRunsInOrderAndStopsOnDrop);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCaptureWireShape()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
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
		Client client(testOptions(server.url()));
		CPPUNIT_ASSERT(client.identify("user-1", {{"email", "a@example.com"}}));
		CPPUNIT_ASSERT(client.alias("anon-1", "user-1"));
		CPPUNIT_ASSERT(client.groupIdentify("company", "acme", {{"seats", 10}}));
		CPPUNIT_ASSERT(!client.pageview("user-1", "https://example.com/a").empty());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), events[0]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("a@example.com"),
		    events[0]->getObject("properties")->getObject("$set")->getValue<std::string>("email"));
		CPPUNIT_ASSERT_EQUAL(std::string("$create_alias"), events[1]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"), events[1]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"),
		                     events[1]->getObject("properties")->getValue<std::string>("alias"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"),
		                     events[1]->getObject("properties")->getValue<std::string>("distinct_id"));
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
		ClientOptions o = testOptions(server.url());
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

	void testBatchFilledAcrossWorkerRoundsGoesOutAtOnce()
	{
		// The worker is held on the first event while 13 more are queued, so its second round
		// takes them all and leaves 3 in the open batch; the 7 pushed after that fill it and
		// must go out at once (batch.interval is 60 s), whatever the queue's wake-up count was.
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.batchSize = 10;
		Poco::Event entered, release;
		std::atomic<bool> held{false};
		o.middleware.addFunction("gate",
		                         [&](Message&)
		                         {
			                         if (!held.exchange(true))
			                         {
				                         entered.set();
				                         release.wait();
			                         }
			                         return true;
		                         });
		Client client(o);
		for (int i = 0; i < 10; ++i)
			client.capture("u", "e" + std::to_string(i));
		entered.wait();
		for (int i = 10; i < 23; ++i)
			client.capture("u", "e" + std::to_string(i));
		release.set();
		CPPUNIT_ASSERT(server.waitForEvents(20, 10000));
		for (int i = 23; i < 30; ++i)
			client.capture("u", "e" + std::to_string(i));
		CPPUNIT_ASSERT(server.waitForEvents(30, 10000));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.requests().size());
	}

	void testCaptureWithEveryEventOption()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		EventOptions eo;
		eo.timestamp = Poco::Timestamp::fromEpochTime(1735689600) + 123 * 1000; // 2025-01-01T00:00:00.123Z
		eo.uuid = "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B";
		eo.groups = {{"company", "acme"}, {"team", "core"}};
		eo.set = Properties{{"plan", "pro"}};
		eo.setOnce = Properties{{"first_seen", "2025-01-01"}};
		eo.personless = true;
		std::string uuid = client.capture("user-1", "report exported", {{"format", "csv"}, {"rows", 12}}, eo);
		CPPUNIT_ASSERT_EQUAL(std::string("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), uuid);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		auto e = events[0];
		CPPUNIT_ASSERT_EQUAL(std::string("report exported"), str(e, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), str(e, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("2025-01-01T00:00:00.123Z"), str(e, "timestamp"));
		CPPUNIT_ASSERT_EQUAL(uuid, str(e, "uuid"));
		auto p = props(e);
		CPPUNIT_ASSERT_EQUAL(std::string("csv"), str(p, "format"));
		CPPUNIT_ASSERT_EQUAL(12, p->getValue<int>("rows"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(p->getObject("$groups"), "company"));
		CPPUNIT_ASSERT_EQUAL(std::string("core"), str(p->getObject("$groups"), "team"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(p->getObject("$set"), "plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("2025-01-01"), str(p->getObject("$set_once"), "first_seen"));
		CPPUNIT_ASSERT(p->get("$process_person_profile").isBoolean());
		CPPUNIT_ASSERT_EQUAL(false, p->getValue<bool>("$process_person_profile"));
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), str(p, "$lib"));
		CPPUNIT_ASSERT_EQUAL(std::string(POSTHOG_VERSION_STRING), str(p, "$lib_version"));
		CPPUNIT_ASSERT_EQUAL(true, p->getValue<bool>("$geoip_disable"));
		// Nothing else was added: 2 caller properties + 4 from the options + 3 library ones.
		CPPUNIT_ASSERT_EQUAL(std::size_t(9), p->size());
	}

	void testCaptureDefaultsToNowAndAFreshUuidV7()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		Poco::Timestamp before;
		std::string first = client.capture("user-1", "a");
		std::string second = client.capture("user-1", "b");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		CPPUNIT_ASSERT(first != second);
		CPPUNIT_ASSERT_EQUAL(first, str(events[0], "uuid"));
		CPPUNIT_ASSERT_EQUAL('7', first[14]);                                     // version nibble
		CPPUNIT_ASSERT(std::string("89ab").find(first[19]) != std::string::npos); // RFC 4122 variant
		std::string ts = str(events[0], "timestamp");
		CPPUNIT_ASSERT_EQUAL(std::size_t(24), ts.size());
		CPPUNIT_ASSERT_EQUAL('Z', ts.back());
		Poco::DateTime parsed;
		int tzd = 0;
		CPPUNIT_ASSERT(
		    Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, ts, parsed, tzd));
		CPPUNIT_ASSERT_EQUAL(0, tzd);
		Poco::Timestamp::TimeDiff skew = parsed.timestamp() - before;
		CPPUNIT_ASSERT(skew > -1000 * 1000 && skew < 60 * 1000 * 1000);
		auto p = props(events[0]);
		CPPUNIT_ASSERT(!p->has("$process_person_profile"));
		CPPUNIT_ASSERT(!p->has("$groups"));
		CPPUNIT_ASSERT(!p->has("$set"));
		CPPUNIT_ASSERT(!p->has("$set_once"));
	}

	void testIdentifySetAndSetOnce()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		EventOptions eo;
		eo.set = Properties{{"plan", "pro"}};
		eo.setOnce = Properties{{"signup_source", "ad"}};
		CPPUNIT_ASSERT(client.identify("user-7", {{"email", "ada@example.com"}}, eo));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-7"), str(events[0], "distinct_id"));
		auto p = props(events[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("ada@example.com"), str(p->getObject("$set"), "email"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(p->getObject("$set"), "plan"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), p->getObject("$set")->size());
		CPPUNIT_ASSERT_EQUAL(std::string("ad"), str(p->getObject("$set_once"), "signup_source"));
		CPPUNIT_ASSERT(!p->has("$anon_distinct_id")); // server identify: no anonymous id
	}

	void testAliasWireShape()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		CPPUNIT_ASSERT(client.alias("anon-123", "user-123"));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$create_alias"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-123"), str(events[0], "distinct_id"));
		auto p = props(events[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("anon-123"), str(p, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), str(p, "alias"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(5),
		                     p->size()); // distinct_id, alias, $lib, $lib_version, $geoip_disable
	}

	void testGroupIdentifyWithAndWithoutDistinctId()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		CPPUNIT_ASSERT(client.groupIdentify("company", "acme", {{"plan", "pro"}}));
		CPPUNIT_ASSERT(client.groupIdentify("company", "globex", {{"seats", 3}}, EventOptions(), "user-9"));
		CPPUNIT_ASSERT(client.groupIdentify("team", "core"));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), events.size());
		for (const auto& e : events)
			CPPUNIT_ASSERT_EQUAL(std::string("$groupidentify"), str(e, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("$company_acme"), str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("company"), str(props(events[0]), "$group_type"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(props(events[0]), "$group_key"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(props(events[0])->getObject("$group_set"), "plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-9"), str(events[1], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("globex"), str(props(events[1]), "$group_key"));
		CPPUNIT_ASSERT_EQUAL(3, props(events[1])->getObject("$group_set")->getValue<int>("seats"));
		CPPUNIT_ASSERT_EQUAL(std::string("$team_core"), str(events[2], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), props(events[2])->getObject("$group_set")->size());
	}

	void testPageviewCurrentUrl()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		std::string uuid =
		    client.pageview("user-1", "https://example.com/pricing?x=1", {{"title", "Pricing"}});
		CPPUNIT_ASSERT_EQUAL(std::size_t(36), uuid.size());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$pageview"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(uuid, str(events[0], "uuid"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/pricing?x=1"),
		                     str(props(events[0]), "$current_url"));
		CPPUNIT_ASSERT_EQUAL(std::string("Pricing"), str(props(events[0]), "title"));
	}

	void testCallerSetLibPropertiesAreKept()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		client.capture("user-1", "wrapped",
		               {{"$lib", "posthog-wrapper"}, {"$lib_version", "9.9.9"}, {"$geoip_disable", false}});
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		auto p = props(events[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-wrapper"), str(p, "$lib"));
		CPPUNIT_ASSERT_EQUAL(std::string("9.9.9"), str(p, "$lib_version"));
		CPPUNIT_ASSERT_EQUAL(false, p->getValue<bool>("$geoip_disable"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), p->size());
	}

	void testGeoipTrueOmitsGeoipDisable()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.geoip = true;
		Client client(o);
		client.capture("user-1", "located");
		client.identify("user-1", {{"a", 1}});
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		for (const auto& e : events)
		{
			CPPUNIT_ASSERT(!props(e)->has("$geoip_disable"));
			CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), str(props(e), "$lib"));
		}
	}

	void testPerCallDisableGeoip()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.geoip = true;
		Client located(o);
		EventOptions off;
		off.disableGeoip = true;
		located.capture("user-1", "no location", {}, off);
		located.capture("user-1", "location");
		CPPUNIT_ASSERT(located.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		Client unlocated(testOptions(server.url()));
		EventOptions on;
		on.disableGeoip = false;
		unlocated.capture("user-1", "location anyway", {}, on);
		unlocated.identify("user-1", {{"a", 1}}, on);
		unlocated.capture("user-1", "default");
		CPPUNIT_ASSERT(unlocated.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), events.size());
		CPPUNIT_ASSERT_EQUAL(true, props(events[0])->getValue<bool>("$geoip_disable"));
		CPPUNIT_ASSERT(!props(events[1])->has("$geoip_disable"));
		CPPUNIT_ASSERT_EQUAL(false, props(events[2])->getValue<bool>("$geoip_disable"));
		CPPUNIT_ASSERT_EQUAL(false, props(events[3])->getValue<bool>("$geoip_disable"));
		CPPUNIT_ASSERT_EQUAL(std::string("default"), str(events[4], "event"));
		CPPUNIT_ASSERT_EQUAL(true, props(events[4])->getValue<bool>("$geoip_disable"));
	}

	void testBadInputRejectedWithOneReasonEach()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		EventOptions badUuid;
		badUuid.uuid = "not-a-uuid";
		std::size_t n = 0;
		auto expectOneMore = [&](bool callFailed, const std::string& what)
		{
			++n;
			CPPUNIT_ASSERT_MESSAGE(what, callFailed);
			auto invalid = errors.of(ClientError::InvalidInput);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(what, n, invalid.size());
			CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::size_t(1), invalid.back().events);
			CPPUNIT_ASSERT_MESSAGE(what, !invalid.back().message.empty());
		};
		expectOneMore(client.capture("", "signed up").empty(), "capture without distinct id");
		expectOneMore(client.capture("user-1", "").empty(), "capture with an empty event");
		expectOneMore(client.capture("user-1", "e", Properties(), badUuid).empty(),
		              "capture with a malformed uuid");
		expectOneMore(!client.identify(""), "identify without distinct id");
		expectOneMore(!client.identify("user-1", Properties(), badUuid), "identify with a malformed uuid");
		expectOneMore(!client.alias("", "user-1"), "alias without previous id");
		expectOneMore(!client.alias("anon-1", ""), "alias without new id");
		expectOneMore(!client.groupIdentify("", "acme"), "group identify without type");
		expectOneMore(!client.groupIdentify("company", ""), "group identify without key");
		expectOneMore(client.pageview("user-1", "").empty(), "pageview with an empty url");
		expectOneMore(client.pageview("", "https://example.com").empty(), "pageview without distinct id");
		CPPUNIT_ASSERT(errors.of(ClientError::InvalidInput)[2].message.find("not-a-uuid") !=
		               std::string::npos);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(n), stats.rejected);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.enqueued);
		CPPUNIT_ASSERT_EQUAL(n, errors.all().size());
	}

	void testDisabledClientSendsNothingAndStartsNoThreads()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o;
		o.enabled = false; // no api key needed when disabled
		o.host = server.url();
		o.onError = errors.callback();
		std::size_t threadsBefore = threadCount();
		{
			Client client(o);
			CPPUNIT_ASSERT_EQUAL(threadsBefore, threadCount());
			CPPUNIT_ASSERT(!client.isEnabled());
			CPPUNIT_ASSERT(client.capture("user-1", "ignored").empty());
			CPPUNIT_ASSERT(!client.identify("user-1", {{"a", 1}}));
			CPPUNIT_ASSERT(!client.alias("a", "b"));
			CPPUNIT_ASSERT(!client.groupIdentify("company", "acme"));
			CPPUNIT_ASSERT(client.pageview("user-1", "https://example.com").empty());
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(1, 0)) == Client::FlushResult::Delivered);
			CPPUNIT_ASSERT(client.shutdown(Poco::Timespan(1, 0)));
			auto stats = client.statistics();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.enqueued);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.requests);
		}
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testSyncModeSendsOnTheCallersThread()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.syncMode = true;
		std::thread::id seenOn;
		o.middleware.addFunction("probe",
		                         [&seenOn](Message&)
		                         {
			                         seenOn = std::this_thread::get_id();
			                         return true;
		                         });
		Client client(o);
		std::string uuid = client.capture("user-1", "sync one");
		CPPUNIT_ASSERT(!uuid.empty());
		// Delivered before capture returned: no waiting here.
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.eventCount());
		CPPUNIT_ASSERT(seenOn == std::this_thread::get_id());
		CPPUNIT_ASSERT(client.identify("user-1", {{"a", 1}}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.eventCount());
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(uuid, str(events[0], "uuid"));
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), str(events[1], "event"));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(1, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client.statistics().delivered);
	}

	void testBeforeSendFunctionModifiesDropsAndFailsClosed()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		o.middleware.addFunction("before_send",
		                         [](Message& m)
		                         {
			                         if (m.event() == "drop me")
				                         return false;
			                         m.properties().set("scrubbed", true);
			                         if (m.event() == "throw me")
				                         throw std::runtime_error("scrubber exploded");
			                         return true;
		                         });
		Client client(o);
		client.capture("user-1", "keep me", {{"email", "x@example.com"}});
		client.capture("user-1", "drop me");
		client.capture("user-1", "throw me");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("keep me"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(true, props(events[0])->getValue<bool>("scrubbed"));
		auto stageErrors = errors.of(ClientError::StageError);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), stageErrors.size());
		CPPUNIT_ASSERT(stageErrors[0].message.find("scrubber exploded") != std::string::npos);
		CPPUNIT_ASSERT(stageErrors[0].message.find("throw me") != std::string::npos);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.droppedByReason["stage:before_send"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.delivered);
	}

	void testFromConfigurationReadsEveryKey()
	{
		Poco::AutoPtr<Poco::Util::MapConfiguration> c = new Poco::Util::MapConfiguration;
		c->setString("posthog.apiKey", "phc_from_config");
		c->setString("posthog.host", "http://127.0.0.1:9");
		c->setString("posthog.enabled", "false");
		c->setString("posthog.geoip", "true");
		c->setString("posthog.syncMode", "yes");
		c->setString("posthog.batch.size", "7");
		c->setString("posthog.batch.interval", "250");
		c->setString("posthog.batch.maxBytes", "2097152");
		c->setString("posthog.queue.capacity", "33");
		c->setString("posthog.queue.overflow", "block");
		c->setString("posthog.http.gzip", "off");
		c->setString("posthog.http.gzipLevel", "6");
		c->setString("posthog.http.timeout", "1500");
		c->setString("posthog.http.maxRetries", "4");
		c->setString("posthog.http.connections", "3");
		c->setString("posthog.http.retryDelay", "20");
		c->setString("posthog.http.verify", "false");
		c->setString("posthog.http.caFile", "/etc/ssl/certs/ca.pem");
		c->setString("posthog.shutdownTimeout", "1234");
		c->setString("posthog.http.proxy", "http://proxy.example:3128");
		c->setString("posthog.spool.path", "/var/tmp/posthog-spool");
		c->setString("posthog.spool.maxBytes", "2097152");
		c->setString("posthog.spool.full", "drop-oldest");
		c->setString("posthog.spool.fsync", "interval");
		c->setString("posthog.spool.fsyncInterval", "250");
		c->setString("posthog.pipeline.stages", "x");
		ClientOptions o = ClientOptions::fromConfiguration(*c);
		CPPUNIT_ASSERT_EQUAL(std::string("phc_from_config"), o.apiKey);
		CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9"), o.host);
		CPPUNIT_ASSERT(!o.enabled);
		CPPUNIT_ASSERT(o.geoip);
		CPPUNIT_ASSERT(o.syncMode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), o.batchSize);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(250), o.batchInterval.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2097152), o.batchMaxBytes);
		CPPUNIT_ASSERT_EQUAL(std::size_t(33), o.queueCapacity);
		CPPUNIT_ASSERT(o.queueOverflow == ClientOptions::Overflow::Block);
		CPPUNIT_ASSERT(!o.gzip);
		CPPUNIT_ASSERT_EQUAL(6, o.gzipLevel);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(1500), o.httpTimeout.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(4, o.maxRetries);
		CPPUNIT_ASSERT_EQUAL(3, o.connections);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(20), o.retryBaseDelay.totalMilliseconds());
		CPPUNIT_ASSERT(!o.verifyTls);
		CPPUNIT_ASSERT_EQUAL(std::string("/etc/ssl/certs/ca.pem"), o.caFile);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(1234), o.shutdownTimeout.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(std::string("http://proxy.example:3128"), o.proxy);
		CPPUNIT_ASSERT_EQUAL(std::string("/var/tmp/posthog-spool"), o.spoolPath);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2097152), o.spoolMaxBytes);
		CPPUNIT_ASSERT(o.spoolFull == ClientOptions::SpoolFull::DropOldest);
		CPPUNIT_ASSERT(o.spoolFsync == ClientOptions::SpoolFsync::Interval);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(250), o.spoolFsyncInterval.totalMilliseconds());
		CPPUNIT_ASSERT(o.configuration);
		CPPUNIT_ASSERT_EQUAL(std::string("x"), o.configuration->getString("posthog.pipeline.stages"));

		// Missing keys keep the documented defaults.
		Poco::AutoPtr<Poco::Util::MapConfiguration> minimal = new Poco::Util::MapConfiguration;
		minimal->setString("posthog.apiKey", "phc_k");
		ClientOptions d = ClientOptions::fromConfiguration(*minimal);
		CPPUNIT_ASSERT_EQUAL(std::string("https://us.i.posthog.com"), d.host);
		CPPUNIT_ASSERT(d.enabled && !d.geoip && !d.syncMode && d.gzip && d.verifyTls);
		CPPUNIT_ASSERT_EQUAL(std::size_t(100), d.batchSize);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(5000), d.batchInterval.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(std::size_t(10000), d.queueCapacity);
		CPPUNIT_ASSERT(d.queueOverflow == ClientOptions::Overflow::Drop);
		CPPUNIT_ASSERT_EQUAL(10, d.maxRetries);
		CPPUNIT_ASSERT_EQUAL(1, d.connections);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(30000), d.shutdownTimeout.totalMilliseconds());
	}

	void testFromConfigurationNamesKeyAndValueOfWrongValues()
	{
		const std::vector<std::pair<std::string, std::string>> wrong = {
		    {"posthog.host", "ftp://example.com"}, {"posthog.host", "not a url"},
		    {"posthog.enabled", "perhaps"},        {"posthog.geoip", "2"},
		    {"posthog.syncMode", "sometimes"},     {"posthog.batch.size", "abc"},
		    {"posthog.batch.size", "0"},           {"posthog.batch.size", "100001"},
		    {"posthog.batch.interval", "-5"},      {"posthog.batch.interval", "1s"},
		    {"posthog.batch.maxBytes", "10"},      {"posthog.queue.capacity", "lots"},
		    {"posthog.queue.capacity", "0"},       {"posthog.queue.overflow", "wait"},
		    {"posthog.http.gzip", "gzip"},         {"posthog.http.gzipLevel", "10"},
		    {"posthog.http.timeout", "0"},         {"posthog.http.maxRetries", "101"},
		    {"posthog.http.maxRetries", "-1"},     {"posthog.http.connections", "0"},
		    {"posthog.http.connections", "65"},    {"posthog.http.retryDelay", "fast"},
		    {"posthog.http.verify", "nah"},        {"posthog.shutdownTimeout", "-1"},
		};
		for (const auto& kv : wrong)
		{
			Poco::AutoPtr<Poco::Util::MapConfiguration> c = new Poco::Util::MapConfiguration;
			c->setString("posthog.apiKey", "phc_k");
			c->setString(kv.first, kv.second);
			std::string what = kv.first + " = " + kv.second;
			try
			{
				ClientOptions::fromConfiguration(*c);
				CPPUNIT_FAIL("no ConfigurationException for " + what);
			}
			catch (ConfigurationException& e)
			{
				CPPUNIT_ASSERT_MESSAGE(what + ": " + e.message(),
				                       e.message().find(kv.first) != std::string::npos);
				CPPUNIT_ASSERT_MESSAGE(what + ": " + e.message(),
				                       e.message().find("'" + kv.second + "'") != std::string::npos);
			}
		}
		// The API key is required unless the client is disabled.
		Poco::AutoPtr<Poco::Util::MapConfiguration> noKey = new Poco::Util::MapConfiguration;
		try
		{
			ClientOptions::fromConfiguration(*noKey);
			CPPUNIT_FAIL("no ConfigurationException without posthog.apiKey");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("posthog.apiKey") != std::string::npos);
		}
		noKey->setString("posthog.enabled", "false");
		CPPUNIT_ASSERT(!ClientOptions::fromConfiguration(*noKey).enabled);
	}

	void testClientBuiltFromConfigurationSends()
	{
		CaptureServer server;
		Poco::AutoPtr<Poco::Util::MapConfiguration> c = new Poco::Util::MapConfiguration;
		c->setString("posthog.apiKey", "phc_from_config");
		c->setString("posthog.host", server.url());
		c->setString("posthog.http.gzip", "false");
		c->setString("posthog.batch.size", "2");
		Client client(*c);
		client.capture("user-1", "one");
		client.capture("user-1", "two");
		CPPUNIT_ASSERT(server.waitForEvents(2, 10000));
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT(!requests[0].gzip);
		CPPUNIT_ASSERT_EQUAL(std::string("phc_from_config"), requests[0].apiKey);
	}

	void testStringsAreEscapedOnTheWire()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		std::string quoted = "he said \"hi\"\\n\n\t\x01 end";
		std::string unicode = "caf\xC3\xA9 \xF0\x9F\x8E\xAC"; // café 🎬
		std::string broken = "bad \xFF\xFE bytes";
		client.capture(unicode, quoted, {{quoted, unicode}, {"broken", broken}});
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT(server.errors().empty());
		CPPUNIT_ASSERT_EQUAL(quoted, str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(unicode, str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(unicode, str(props(events[0]), quoted));
		// Invalid UTF-8 becomes U+FFFD instead of breaking the batch.
		CPPUNIT_ASSERT_EQUAL(std::string("bad \xEF\xBF\xBD\xEF\xBF\xBD bytes"),
		                     str(props(events[0]), "broken"));
	}

	void testSyncModeFlushWaitsForASendInProgress()
	{
		// flush() returns once what was enqueued before it is resolved, in sync mode too: here
		// another thread's capture is still waiting (Retry-After: 1) to resend its event.
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.syncMode = true;
		Client client(o);
		server.failNext(1, 503, "1");
		std::thread sender([&client] { client.capture("user-1", "slow sync"); });
		CPPUNIT_ASSERT(server.waitForRequests(1, 10000)); // the first attempt was answered 503
		Client::FlushResult result = client.flush(Poco::Timespan(20, 0));
		std::size_t deliveredAtReturn = server.eventCount();
		sender.join();
		CPPUNIT_ASSERT(result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), deliveredAtReturn);
	}

	void testBeforeSendSeesEveryMessageType()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		std::vector<std::string> seen; // the worker is the only writer; read after flush
		o.middleware.addFunction("before_send",
		                         [&seen](Message& m)
		                         {
			                         seen.push_back(std::string(Message::typeName(m.type())) + ":" +
			                                        m.event());
			                         return true;
		                         });
		Client client(o);
		client.capture("user-1", "clicked");
		client.identify("user-1", {{"a", 1}});
		client.alias("anon-1", "user-1");
		client.groupIdentify("company", "acme");
		client.pageview("user-1", "https://example.com");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(
		    (std::vector<std::string>{"capture:clicked", "identify:$identify", "alias:$create_alias",
		                              "groupidentify:$groupidentify", "capture:$pageview"}) == seen);
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), server.eventCount());
	}

	void testBeforeSendChainRunsInOrderAndStopsOnDrop()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		std::atomic<int> lastInvoked{0};
		auto append = [](Message& m, const char* step)
		{
			std::string trail =
			    m.properties().has("trail") ? std::string(m.properties().get("trail").getString()) : "";
			m.properties().set("trail", trail + step);
		};
		o.middleware.addFunction("first",
		                         [append](Message& m)
		                         {
			                         append(m, "a");
			                         return true;
		                         });
		o.middleware.addFunction("second",
		                         [append](Message& m)
		                         {
			                         append(m, "b");
			                         return m.event() != "stop here";
		                         });
		o.middleware.addFunction("last",
		                         [&lastInvoked, append](Message& m)
		                         {
			                         ++lastInvoked;
			                         append(m, "c");
			                         return true;
		                         });
		Client client(o);
		client.capture("user-1", "stop here");
		client.capture("user-1", "go on");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"go on"}) == eventNames(events));
		CPPUNIT_ASSERT_EQUAL(std::string("abc"), str(props(events[0]), "trail"));
		CPPUNIT_ASSERT_EQUAL(1, lastInvoked.load()); // not for the dropped event
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().droppedByReason["stage:second"]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientTest);
