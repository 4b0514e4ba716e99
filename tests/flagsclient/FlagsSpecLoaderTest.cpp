//
// FlagsSpecLoaderTest.cpp
//
// The sdk-specs flag-definition-loader scenarios and http-client's "Feature flag evaluation
// retry policy" scenarios, one test each, named after them.
//

#include "FlagsTestSupport.h"
#include "HostileServer.h"
#include "Poco/Timestamp.h"
#include "PostHog/Client.h"
#include "PostHog/FlagDefinitionsCache.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <stdexcept>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

class TestCache : public FlagDefinitionsCache
/// An application's cache provider, scripted by the tests.
{
public:
	std::atomic<bool> fetch{false};
	std::atomic<bool> failRead{false};
	std::atomic<bool> failDecision{false};
	std::atomic<bool> failShutdown{false};
	std::atomic<int> stores{0};
	std::atomic<int> shutdowns{0};
	Poco::FastMutex mutex;
	Entry entry;

	bool load(Entry& out) override
	{
		if (failRead)
			throw std::runtime_error("cache read failed");
		Poco::FastMutex::ScopedLock lock(mutex);
		out = entry;
		return !entry.definitions.empty();
	}
	std::string version() override
	{
		if (failRead)
			throw std::runtime_error("cache read failed");
		Poco::FastMutex::ScopedLock lock(mutex);
		return entry.version;
	}
	bool shouldFetch() override
	{
		if (failDecision)
			throw std::runtime_error("decision failed");
		return fetch;
	}
	void store(const Entry& e) override
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		entry = e;
		entry.version = std::to_string(++stores);
	}
	void clear() override
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		entry = Entry();
	}
	void release() override {}
	void shutdown() override
	{
		++shutdowns;
		if (failShutdown)
			throw std::runtime_error("shutdown failed");
	}
	void put(const std::string& definitions)
	{
		Poco::FastMutex::ScopedLock lock(mutex);
		entry.definitions = definitions;
		entry.version = "cached-" + std::to_string(definitions.size());
	}
};

bool waitFor(const std::function<bool()>& condition, long timeoutMs = 10000)
{
	Poco::Timestamp start;
	while (!condition())
	{
		if (start.elapsed() > timeoutMs * 1000)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
}

} // namespace

class FlagsSpecLoaderTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FlagsSpecLoaderTest);
	CPPUNIT_TEST(testLoaderFetchesAndCachesLocalEvaluationDefinitions);
	CPPUNIT_TEST(testLoaderKeepsStaleDefinitionsWhenRefreshFails);
	CPPUNIT_TEST(testLoaderRefreshesAfterPollingInterval);
	CPPUNIT_TEST(testSyncProviderResultsAreUsedWhereSupported);
	CPPUNIT_TEST(testLoaderStoresDefinitionsAfterThisInstanceFetches);
	CPPUNIT_TEST(testProviderReadFailuresPreservePreviouslyLoadedDefinitions);
	CPPUNIT_TEST(testProviderFetchDecisionFailuresFailSafeToDirectFetch);
	CPPUNIT_TEST(testProviderShutdownIsInvokedAndIsolatedFromSdkShutdown);
	CPPUNIT_TEST(testFlagsRequestRetriesOneTransientTransportFailureByDefault);
	CPPUNIT_TEST(testFlagsRequestRetriesTransientGatewayHttpStatusErrorsByDefault);
	CPPUNIT_TEST(testFlagsRequestDoesNotRetryNonTransientHttpStatusErrors);
	CPPUNIT_TEST(testRequestTimeoutBoundsEachWholeAttempt);
	CPPUNIT_TEST(testZeroConfiguredFlagRetriesDisablesRetry);
	CPPUNIT_TEST(testConfiguredFlagRetriesUse300msExponentialBackoff);
	CPPUNIT_TEST_SUITE_END();

public:
	void testLoaderFetchesAndCachesLocalEvaluationDefinitions()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		auto requests = f.flags.definitionsRequestList();
		CPPUNIT_ASSERT(!requests.empty());
		CPPUNIT_ASSERT_EQUAL(std::string("/flags/definitions?token=phc_project_key_1234&send_cohorts"),
		                     requests[0].path);
		CPPUNIT_ASSERT_EQUAL(std::string("Bearer phx_personal_key_5678"),
		                     requests[0].headers["Authorization"]);
		for (int i = 0; i < 3; ++i)
			CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.definitionsRequests());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testLoaderKeepsStaleDefinitionsWhenRefreshFails()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		f.flags.failDefinitions(1, {500, "{}", 0, false});
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor([&] { return !c.statistics().flagLastPollError.empty(); }));
		f.flags.failDefinitions(1, {200, "{\"flags\": [", 0, false});
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor([&] { return f.flags.definitionsRequests() >= 3; }));
		CPPUNIT_ASSERT(
		    waitFor([&] { return c.statistics().flagLastPollError.find("refused") != std::string::npos; }));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), c.statistics().flagDefinitions);
	}

	void testLoaderRefreshesAfterPollingInterval()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsPollInterval = Poco::Timespan(1, 0);
		Client& c = f.start(true, o);
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui", false)}),
		                       "\"v2\"");
		CPPUNIT_ASSERT(waitFor([&] { return c.getFeatureFlag("beta-ui", "user-1") == FlagValue(false); }));
		CPPUNIT_ASSERT(f.flags.definitionsRequests() >= 2);
	}

	void testSyncProviderResultsAreUsedWhereSupported()
	{
		FlagsFixture f;
		auto cache = std::make_shared<TestCache>();
		cache->put(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsCache = cache;
		Client& c = f.start(true, o);
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.definitionsRequests());
	}

	void testLoaderStoresDefinitionsAfterThisInstanceFetches()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		auto cache = std::make_shared<TestCache>();
		cache->fetch = true;
		ClientOptions o = f.options(true);
		o.flagsCache = cache;
		Client& c = f.start(true, o);
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT(cache->stores >= 1);
		Poco::FastMutex::ScopedLock lock(cache->mutex);
		for (const char* part : {"\"flags\"", "\"group_type_mapping\"", "\"cohorts\""})
			CPPUNIT_ASSERT(cache->entry.definitions.find(part) != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::string("\"v1\""), cache->entry.etag);
	}

	void testProviderReadFailuresPreservePreviouslyLoadedDefinitions()
	{
		FlagsFixture f;
		auto cache = std::make_shared<TestCache>();
		cache->put(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsCache = cache;
		o.flagsPollInterval = Poco::Timespan(1, 0);
		Client& c = f.start(true, o);
		cache->failRead = true;
		c.reloadFeatureFlags();
		Poco::Thread::sleep(200);
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
	}

	void testProviderFetchDecisionFailuresFailSafeToDirectFetch()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		auto cache = std::make_shared<TestCache>();
		cache->failDecision = true;
		ClientOptions o = f.options(true);
		o.flagsCache = cache;
		Client& c = f.start(true, o);
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT(f.flags.definitionsRequests() >= 1);
	}

	void testProviderShutdownIsInvokedAndIsolatedFromSdkShutdown()
	{
		FlagsFixture f;
		auto cache = std::make_shared<TestCache>();
		cache->put(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		cache->failShutdown = true;
		ClientOptions o = f.options(true);
		o.flagsCache = cache;
		Client& c = f.start(true, o);
		c.capture("user-1", "after", {});
		CPPUNIT_ASSERT(c.shutdown(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT_EQUAL(1, cache->shutdowns.load());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.server.eventCount());
	}

	void testFlagsRequestRetriesOneTransientTransportFailureByDefault()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		// A transport failure: the answer does not arrive within posthog.flags.requestTimeout.
		// (The loopback server cannot drop a routed connection without Poco answering 500.)
		f.flags.failFlags(1, {200, "{}", 1000, false});
		ClientOptions o = f.options(false);
		o.flagsRequestTimeout = Poco::Timespan(300 * 1000);
		Client& c = f.start(false, o);
		FeatureFlagResult r = c.getFeatureFlagResult("a", "user-1");
		CPPUNIT_ASSERT(r.value == FlagValue(true));
		CPPUNIT_ASSERT(r.error.empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.flags.flagsRequests());
	}

	void testFlagsRequestRetriesTransientGatewayHttpStatusErrorsByDefault()
	{
		for (int status : {502, 504})
		{
			FlagsFixture f;
			f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
			f.flags.failFlags(1, {status, "{}", 0, false});
			Client& c = f.start(false);
			CPPUNIT_ASSERT(c.getFeatureFlag("a", "user-1") == FlagValue(true));
			CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.flags.flagsRequests());
		}
	}

	void testFlagsRequestDoesNotRetryNonTransientHttpStatusErrors()
	{
		for (int status : {408, 429, 500, 503})
		{
			FlagsFixture f;
			f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
			f.flags.failFlags(1, {status, "{}", 0, false});
			Client& c = f.start(false);
			FeatureFlagResult r = c.getFeatureFlagResult("a", "user-1");
			CPPUNIT_ASSERT(!r.value.hasValue());
			CPPUNIT_ASSERT_EQUAL("api_error_" + std::to_string(status), r.error);
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		}
	}

	void testRequestTimeoutBoundsEachWholeAttempt()
	{
		// A /flags endpoint that trickles its status line and headers, one byte every 50 ms,
		// forever: every read succeeds within a socket timeout, so only a bound on the whole
		// attempt ends it. The timed-out attempt is a transport failure: retried once (the
		// http-client flags requirement), then the call returns "timeout".
		HostileServer server(HostileServer::Trickle);
		server.trickleMs = 50;
		FlagsFixture f;
		ClientOptions o = f.options(false);
		o.host = server.url();
		o.proxy = "none";
		o.flagsRequestTimeout = Poco::Timespan(300 * 1000);
		Client& c = f.start(false, o);
		FlagOptions noEvent; // nothing for the client to send to this peer at shutdown
		noEvent.sendFeatureFlagEvents = false;
		FeatureFlagResult r = c.getFeatureFlagResult("a", "user-1", noEvent);
		CPPUNIT_ASSERT(!r.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::string("timeout"), r.error);
		CPPUNIT_ASSERT_EQUAL(2, server.requests());
		CPPUNIT_ASSERT(server.bytesSent() >= 2);
		CPPUNIT_ASSERT(c.statistics().flagRemoteRequests == 2);
	}

	void testZeroConfiguredFlagRetriesDisablesRetry()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		f.flags.failFlags(1, {502, "{}", 0, false});
		ClientOptions o = f.options(false);
		o.flagsRetries = 0;
		Client& c = f.start(false, o);
		CPPUNIT_ASSERT(!c.getFeatureFlag("a", "user-1").hasValue());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testConfiguredFlagRetriesUse300msExponentialBackoff()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		f.flags.failFlags(2, {504, "{}", 0, false});
		ClientOptions o = f.options(false);
		o.flagsRetries = 2;
		Client& c = f.start(false, o);
		CPPUNIT_ASSERT(c.getFeatureFlag("a", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.flags.flagsRequests());
		// The waits are not timed here (tests assert behaviour); RemoteEvaluator sleeps 300 ms,
		// then 600 ms, between the attempts.
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagsSpecLoaderTest);
