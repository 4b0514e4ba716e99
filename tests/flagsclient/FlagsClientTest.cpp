//
// FlagsClientTest.cpp
//
// The flag machinery around the evaluation engine, end to end against the loopback server:
// the definitions poller (ETag, 304, 401, 402, slow answers), the shared host cache, the
// definitions file, remote errors, capture(sendFeatureFlags), statistics, key masking,
// concurrency while definitions are swapped, and a large definitions load.
//

#include "FlagsTestSupport.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Timestamp.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "flags/DefinitionsSnapshot.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <iostream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

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

std::string manyFlags(int count)
/// count flags of ~2 KB each (several conditions with property filters), the last one "last".
{
	std::string filler(1800, 'x');
	std::vector<std::string> flags;
	for (int i = 0; i < count; ++i)
	{
		std::string key = i + 1 == count ? "last" : "flag-" + std::to_string(i);
		std::string d = FlagsEndpoint::definition(key);
		d.insert(d.size() - 1, ",\"description\":\"" + filler + "\"");
		flags.push_back(d);
	}
	return FlagsEndpoint::definitions(flags);
}

} // namespace

class FlagsClientTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FlagsClientTest);
	CPPUNIT_TEST(testPollerSendsETagAndKeepsDefinitionsOn304);
	CPPUNIT_TEST(testUnauthorizedClearsDefinitions);
	CPPUNIT_TEST(testQuotaExceededClearsDefinitions);
	CPPUNIT_TEST(testSlowDefinitionsNeverBlockCallers);
	CPPUNIT_TEST(testSharedCacheOnePollServesEveryClient);
	CPPUNIT_TEST(testBrokenSharedCacheFileKeepsGoodDefinitions);
	CPPUNIT_TEST(testDefinitionsFileNeedsNoNetwork);
	CPPUNIT_TEST(testUnreadableDefinitionsFileStopsTheClient);
	CPPUNIT_TEST(testRemoteErrorsNeverThrow);
	CPPUNIT_TEST(testCaptureSendFeatureFlagsLocally);
	CPPUNIT_TEST(testCaptureSendFeatureFlagsRemotelyOnTheWorker);
	CPPUNIT_TEST(testCaptureSendFeatureFlagsInSyncMode);
	CPPUNIT_TEST(testStatisticsCountPollsAndRemoteRequests);
	CPPUNIT_TEST(testPersonalKeyIsMaskedInLogsAndErrors);
	CPPUNIT_TEST(testConfigurationKeys);
	CPPUNIT_TEST(testOptionsSetInCodeAreChecked);
	CPPUNIT_TEST(testEightThreadsEvaluateWhileDefinitionsAreSwapped);
	CPPUNIT_TEST(testLargeDefinitionsLoadWithoutBlockingEvaluations);
#if !defined(__SANITIZE_THREAD__) // ThreadSanitizer does not support threads started after fork()
	CPPUNIT_TEST(testForkedChildPollsAgain);
#endif
	CPPUNIT_TEST_SUITE_END();

public:
	void testPollerSendsETagAndKeepsDefinitionsOn304()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor([&] { return c.statistics().flagPollsNotModified == 1; }));
		auto requests = f.flags.definitionsRequestList();
		CPPUNIT_ASSERT_EQUAL(std::string("\"v1\""), requests.at(1).headers["If-None-Match"]);
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
	}

	void testUnauthorizedClearsDefinitions()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "false"}}));
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		f.flags.failDefinitions(1, {401, "{\"detail\":\"bad key\"}", 0, false});
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor([&] { return c.statistics().flagDefinitions == 0; }));
		CPPUNIT_ASSERT(c.statistics().flagLastPollError.find("401") != std::string::npos);
		// Without definitions the flag is asked of PostHog.
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(false));
	}

	void testQuotaExceededClearsDefinitions()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		f.flags.failDefinitions(1, {402, "{}", 0, false});
		f.flags.setQuotaLimited(true);
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor([&] { return c.statistics().flagDefinitions == 0; }));
		FeatureFlagResult r = c.getFeatureFlagResult("beta-ui", "user-1");
		CPPUNIT_ASSERT(!r.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::string("quota_limited"), r.error);
	}

	void testSlowDefinitionsNeverBlockCallers()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		f.flags.setDefinitionsDelay(1500);
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "false"}}));
		Client& c = f.start(false, f.options(true));
		// Not loaded yet: answered remotely, without waiting for the poll.
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(false));
		CPPUNIT_ASSERT(c.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-2") == FlagValue(true));
	}

	void testSharedCacheOnePollServesEveryClient()
	{
		FlagsFixture f;
		Poco::TemporaryFile dir;
		dir.createDirectories();
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsSharedCache = Poco::Path(dir.path(), "flags.cache").toString();
		Client first(o);
		CPPUNIT_ASSERT(first.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		Client second(o);
		Client third(o);
		CPPUNIT_ASSERT(second.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT(third.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT(third.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.definitionsRequests());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), second.statistics().flagPolls + third.statistics().flagPolls);
	}

	void testBrokenSharedCacheFileKeepsGoodDefinitions()
	{
		FlagsFixture f;
		Poco::TemporaryFile dir;
		dir.createDirectories();
		std::string path = Poco::Path(dir.path(), "flags.cache").toString();
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsSharedCache = path;
		Client first(o);
		CPPUNIT_ASSERT(first.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		Client second(o);
		CPPUNIT_ASSERT(second.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		{
			Poco::FileOutputStream out(path);
			out << "posthog-flag-definitions 1\n\"v9\"\n{\"flags\": [ broken";
		}
		second.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitFor(
		    [&] { return second.statistics().flagLastPollError.find("shared cache") != std::string::npos; }));
		CPPUNIT_ASSERT(second.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
	}

	void testDefinitionsFileNeedsNoNetwork()
	{
		FlagsFixture f;
		Poco::TemporaryFile file;
		{
			Poco::FileOutputStream out(file.path());
			out << FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui", true, 100, "blue")});
		}
		ClientOptions o = f.options(false);
		o.flagsDefinitionsFile = file.path();
		Client& c = f.start(false, o);
		CPPUNIT_ASSERT(c.waitForLocalEvaluationReady(Poco::Timespan(0)));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue("blue"));
		CPPUNIT_ASSERT(!c.getFeatureFlag("unknown", "user-1").hasValue());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.definitionsRequests() + f.flags.flagsRequests());
	}

	void testUnreadableDefinitionsFileStopsTheClient()
	{
		FlagsFixture f;
		ClientOptions o = f.options(false);
		o.flagsDefinitionsFile = "/nonexistent/flags.json";
		try
		{
			Client c(o);
			CPPUNIT_FAIL("expected ConfigurationException");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("posthog.flags.definitionsFile = '/nonexistent/flags.json'") ==
			               0);
		}
	}

	void testRemoteErrorsNeverThrow()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		ClientOptions o = f.options(false);
		o.flagsRequestTimeout = Poco::Timespan(200 * 1000);
		o.flagsRetries = 0;
		Client& c = f.start(false, o);
		f.flags.failFlags(1, {200, "{}", 1500, false});
		CPPUNIT_ASSERT_EQUAL(std::string("timeout"), c.getFeatureFlagResult("a", "u").error);
		f.flags.failFlags(1, {200, "not json", 0, false});
		CPPUNIT_ASSERT_EQUAL(std::string("unknown_error"), c.getFeatureFlagResult("a", "u").error);
		f.flags.setErrorsWhileComputing(true);
		FeatureFlagResult partial = c.getFeatureFlagResult("a", "u");
		CPPUNIT_ASSERT(partial.value == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::string("errors_while_computing_flags"), partial.error);
		f.flags.setQuotaLimited(true);
		CPPUNIT_ASSERT_EQUAL(std::string("quota_limited"), c.getFeatureFlagResult("a", "u").error);
		f.server.stop();
		CPPUNIT_ASSERT_EQUAL(std::string("connection_error"), c.getFeatureFlagResult("a", "u").error);
		CPPUNIT_ASSERT(c.getAllFlags("u").empty());
	}

	void testCaptureSendFeatureFlagsLocally()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("on"), FlagsEndpoint::definition("off", true, 0),
		                          FlagsEndpoint::definition("v", true, 100, "blue")});
		EventOptions options;
		options.sendFeatureFlags = true;
		c.capture("user-1", "bought", {}, options);
		auto p = FlagsFixture::props(f.events("bought").at(0));
		CPPUNIT_ASSERT(p->getValue<bool>("$feature/on"));
		CPPUNIT_ASSERT(!p->getValue<bool>("$feature/off"));
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), p->getValue<std::string>("$feature/v"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), p->getArray("$active_feature_flags")->size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testCaptureSendFeatureFlagsRemotelyOnTheWorker()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}, {"b", "false"}}));
		ClientOptions o = f.options(false);
		o.flagsRequestTimeout = Poco::Timespan(10, 0);
		Client& c = f.start(false, o);
		// The remote answer is slow: capture() returns at once, the worker waits for it.
		f.flags.failFlags(
		    1, {200, "{\"flags\":{\"a\":{\"key\":\"a\",\"enabled\":true,\"variant\":null}}}", 3000, false});
		Poco::Timestamp before;
		EventOptions options;
		options.sendFeatureFlags = true;
		options.groups = {{"company", "acme"}};
		CPPUNIT_ASSERT(!c.capture("user-1", "bought", {}, options).empty());
		CPPUNIT_ASSERT(before.elapsed() < 2000 * 1000); // far less than the answer's 3 s
		auto p = FlagsFixture::props(f.events("bought").at(0));
		CPPUNIT_ASSERT(p->getValue<bool>("$feature/a"));
		CPPUNIT_ASSERT(!p->has("$__posthog_flags_pending"));
		auto body = f.flags.flagsRequestBodies().at(0);
		CPPUNIT_ASSERT_EQUAL(std::string("acme"),
		                     body->getObject("groups")->getValue<std::string>("company"));
	}

	void testCaptureSendFeatureFlagsInSyncMode()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		ClientOptions o = f.options(false);
		o.syncMode = true;
		Client& c = f.start(false, o);
		EventOptions options;
		options.sendFeatureFlags = true;
		c.capture("user-1", "bought", {}, options);
		auto p = FlagsFixture::props(f.events("bought").at(0));
		CPPUNIT_ASSERT(p->getValue<bool>("$feature/a"));
		CPPUNIT_ASSERT(!p->has("$__posthog_flags_pending"));
	}

	void testStatisticsCountPollsAndRemoteRequests()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"x", "true"}}));
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		c.getFeatureFlag("x", "user-1");
		ClientStatistics s = c.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.flagPolls);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.flagRemoteRequests);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.flagDefinitions);
		CPPUNIT_ASSERT(s.flagDefinitionsAgeMs >= 0);
		CPPUNIT_ASSERT(s.flagLastPollError.empty());
	}

	void testPersonalKeyIsMaskedInLogsAndErrors()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({}));
		f.flags.failDefinitions(1, {500, "{}", 0, false});
		ClientOptions o = f.options(true);
		o.flagsDefinitionsFile.clear();
		Client& c = f.start(false, o);
		CPPUNIT_ASSERT(waitFor([&] { return !c.statistics().flagLastPollError.empty(); }));
		CPPUNIT_ASSERT(c.statistics().flagLastPollError.find("phx_personal_key_5678") == std::string::npos);
		o.flagsDefinitionsFile = "/nonexistent/phx_personal_key_5678/flags.json";
		try
		{
			Client broken(o);
			CPPUNIT_FAIL("expected ConfigurationException");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("phx_personal_key_5678") == std::string::npos);
			CPPUNIT_ASSERT(e.message().find("phx_…5678") != std::string::npos);
		}
	}

	void testConfigurationKeys()
	{
		Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
		config->setString("posthog.apiKey", "phc_x");
		config->setString("posthog.personalApiKey", "phx_y");
		config->setString("posthog.flags.pollInterval", "5000");
		config->setString("posthog.flags.requestTimeout", "700");
		config->setString("posthog.flags.retries", "3");
		config->setString("posthog.flags.sharedCache", "/tmp/c");
		config->setString("posthog.flags.definitionsFile", "/tmp/d");
		config->setString("posthog.flags.calledCacheSize", "10");
		ClientOptions o = ClientOptions::fromConfiguration(*config);
		CPPUNIT_ASSERT_EQUAL(std::string("phx_y"), o.personalApiKey);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(5000), o.flagsPollInterval.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(700), o.flagsRequestTimeout.totalMilliseconds());
		CPPUNIT_ASSERT_EQUAL(3, o.flagsRetries);
		CPPUNIT_ASSERT_EQUAL(std::string("/tmp/c"), o.flagsSharedCache);
		CPPUNIT_ASSERT_EQUAL(std::string("/tmp/d"), o.flagsDefinitionsFile);
		CPPUNIT_ASSERT_EQUAL(std::size_t(10), o.flagsCalledCacheSize);
		config->setString("posthog.flags.retries", "many");
		try
		{
			ClientOptions::fromConfiguration(*config);
			CPPUNIT_FAIL("expected ConfigurationException");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("posthog.flags.retries") != std::string::npos);
		}
	}

	void testOptionsSetInCodeAreChecked()
	{
		ClientOptions o;
		o.apiKey = "phc_x";
		o.personalApiKey = "phx_secret_personal";
		o.flagsRetries = 11;
		try
		{
			o.validate();
			CPPUNIT_FAIL("expected ConfigurationException");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("posthog.flags.retries = '11'") == 0);
		}
		o.flagsRetries = 1;
		o.flagsPollInterval = Poco::Timespan(10 * 1000);
		CPPUNIT_ASSERT_THROW(o.validate(), ConfigurationException);
	}

	void testEightThreadsEvaluateWhileDefinitionsAreSwapped()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("a")}), "\"e0\"");
		ClientOptions o = f.options(true);
		o.flagsPollInterval = Poco::Timespan(1, 0);
		Client& c = f.start(true, o);
		std::atomic<bool> stop{false};
		std::atomic<int> wrong{0};
		std::atomic<long> evaluations{0};
		std::vector<std::thread> threads;
		FlagOptions quiet;
		quiet.sendFeatureFlagEvents = false;
		quiet.onlyEvaluateLocally = true;
		for (int t = 0; t < 8; ++t)
			threads.emplace_back(
			    [&, t]
			    {
				    while (!stop.load())
				    {
					    FlagValue v = c.getFeatureFlag("a", "user-" + std::to_string(t), quiet);
					    if (!(v == FlagValue(true) || v == FlagValue(false)))
						    ++wrong;
					    ++evaluations;
				    }
			    });
		for (int i = 1; i <= 4; ++i)
		{
			f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("a", i % 2 == 0)}),
			                       "\"e" + std::to_string(i) + "\"");
			c.reloadFeatureFlags();
			std::size_t polls = f.flags.definitionsRequests();
			CPPUNIT_ASSERT(waitFor(
			    [&] {
				    return f.flags.definitionsRequests() > polls - 1 &&
				           c.statistics().flagPolls >= std::uint64_t(i + 1);
			    }));
		}
		stop = true;
		for (auto& t : threads)
			t.join();
		CPPUNIT_ASSERT_EQUAL(0, wrong.load());
		CPPUNIT_ASSERT(evaluations.load() > 0);
	}

	void testLargeDefinitionsLoadWithoutBlockingEvaluations()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("small")}), "\"s\"");
		Client& c = f.start(true);
		std::string big = manyFlags(5000);
		f.flags.setDefinitions(big, "\"big\"");
		std::atomic<bool> loaded{false};
		std::atomic<long> during{0};
		std::thread evaluator(
		    [&]
		    {
			    FlagOptions quiet;
			    quiet.sendFeatureFlagEvents = false;
			    quiet.onlyEvaluateLocally = true;
			    while (!loaded.load())
			    {
				    c.getFeatureFlag("small", "user-1", quiet);
				    ++during;
			    }
		    });
		Poco::Timestamp start;
		c.reloadFeatureFlags();
		bool ok = waitFor([&] { return c.statistics().flagDefinitions == 5000; }, 60000);
		long ms = static_cast<long>(start.elapsed() / 1000);
		loaded = true;
		evaluator.join();
		CPPUNIT_ASSERT(ok);
		CPPUNIT_ASSERT(during.load() > 0);
		CPPUNIT_ASSERT(c.getFeatureFlag("last", "user-1") == FlagValue(true));
		std::cerr << " [5000 flags, " << big.size() / 1024 << " KiB: fetched and loaded in " << ms << " ms; "
		          << during.load() << " evaluations meanwhile]";
	}

	void testForkedChildPollsAgain()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		std::size_t before = f.flags.definitionsRequests();
		pid_t pid = ::fork();
		if (pid == 0)
		{
			// The child answers from the inherited definitions, then its own poller fetches.
			bool ok = c.getFeatureFlag("beta-ui", "child", FlagOptions()) == FlagValue(true);
			c.reloadFeatureFlags();
			ok = ok && waitFor([&] { return c.statistics().flagPolls >= 1; }, 10000);
			::_exit(ok ? 0 : 1);
		}
		int status = 0;
		::waitpid(pid, &status, 0);
		CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CPPUNIT_ASSERT(f.flags.definitionsRequests() > before);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagsClientTest);
