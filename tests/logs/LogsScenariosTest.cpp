//
// LogsScenariosTest.cpp
//
// sdk-specs openspec/specs/logs/spec.md, capture side: one test per scenario, named after it,
// against the loopback server's strict /i/v1/logs.
//

#include "LogsTestSupport.h"
#include "PostHog/LogFacade.h"
#include <cmath>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <limits>

using namespace PostHogTest;
using PostHog::LogLevel;
using PostHog::Properties;

class LogsScenariosTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(LogsScenariosTest);
	CPPUNIT_TEST(testCaptureLogWithExplicitLevel);
	CPPUNIT_TEST(testLoggerHelperDelegatesToCaptureLog);
	CPPUNIT_TEST(testMissingLevelDefaultsToInfo);
	CPPUNIT_TEST(testLoggerCalledBeforeTheSdkIsReady);
	CPPUNIT_TEST(testOptedOutUserDropsTheLog);
	CPPUNIT_TEST(testWhitespaceOnlyBodyIsDropped);
	CPPUNIT_TEST(testGatesShortCircuitInOrder);
	CPPUNIT_TEST(testEachLevelMapsToItsNumber);
	CPPUNIT_TEST(testUnknownLevelFallsBackToInfo);
	CPPUNIT_TEST(testTimestampCapturedAtCallTime);
	CPPUNIT_TEST(testTraceFlagsRenamedToFlags);
	CPPUNIT_TEST(testAbsentTraceIdsOmitted);
	CPPUNIT_TEST(testInvalidTraceIdZeroed);
	CPPUNIT_TEST(testTwoLogsInTheSameMillisecond);
	CPPUNIT_TEST(testIntegerEncodedAsString);
	CPPUNIT_TEST(testNestedObjectAsKvlistValue);
	CPPUNIT_TEST(testNonFiniteNumberAsString);
	CPPUNIT_TEST(testNullValueDropsTheKey);
	CPPUNIT_TEST(testContextSnapshotIsFrozenAtCapture);
	CPPUNIT_TEST(testAbsentSessionIdOmitsTheKey);
	CPPUNIT_TEST(testUserAttributeOverridesAutoContext);
	CPPUNIT_TEST(testSdkIdentityKeysProtected);
	CPPUNIT_TEST(testScopeIdentifiesTheSdk);
	CPPUNIT_TEST(testHookDropsRecord);
	CPPUNIT_TEST(testThrowingHookDropsTheRecord);
	CPPUNIT_TEST(testAThrowingHookDoesNotReachTheCaller);
	CPPUNIT_TEST(testCapDropsExcessLogs);
	CPPUNIT_TEST(testCapRunsAfterBeforeSend);
	CPPUNIT_TEST(testCaptureLogIgnoresRemoteConfig);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override { _h.reset(new LogsHarness); }
	void tearDown() override { _h.reset(); }

	// Captures through `capture`, flushes, and returns the one record the endpoint accepted.
	template<typename F>
	Poco::JSON::Object::Ptr single(F capture, const std::map<std::string, std::string>& keys = {})
	{
		auto client = _h->client(keys);
		capture(*client);
		CPPUNIT_ASSERT(client->flush() == PostHog::Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.errors().size());
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), records.size());
		return records[0];
	}

	void testCaptureLogWithExplicitLevel()
	{
		auto r = single([](PostHog::Client& c)
		                { CPPUNIT_ASSERT(c.captureLog("checkout failed", LogLevel::Error)); });
		CPPUNIT_ASSERT_EQUAL(17, r->getValue<int>("severityNumber"));
		CPPUNIT_ASSERT_EQUAL(std::string("checkout failed"),
		                     r->getObject("body")->getValue<std::string>("stringValue"));
	}

	void testLoggerHelperDelegatesToCaptureLog()
	{
		auto r = single(
		    [](PostHog::Client& c) {
			    CPPUNIT_ASSERT(c.logger().info("ready", {{"region", "us"}}));
		    });
		CPPUNIT_ASSERT_EQUAL(9, r->getValue<int>("severityNumber"));
		CPPUNIT_ASSERT_EQUAL(std::string("INFO"), r->getValue<std::string>("severityText"));
		CPPUNIT_ASSERT_EQUAL(std::string("ready"),
		                     r->getObject("body")->getValue<std::string>("stringValue"));
		CPPUNIT_ASSERT_EQUAL(std::string("us"), OtlpLogsEndpoint::stringAttribute(r, "region"));
	}

	void testMissingLevelDefaultsToInfo()
	{
		auto r = single([](PostHog::Client& c) { c.captureLog("hello"); });
		CPPUNIT_ASSERT_EQUAL(9, r->getValue<int>("severityNumber"));
	}

	void testLoggerCalledBeforeTheSdkIsReady()
	{
		PostHog::LogFacade unbound;
		CPPUNIT_ASSERT(!unbound.info("too early"));
		CPPUNIT_ASSERT(!unbound.fatal("too early", {{"k", 1}}));
	}

	void testOptedOutUserDropsTheLog()
	{
		auto client = _h->client();
		client->optOut();
		CPPUNIT_ASSERT(!client->captureLog("x"));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client->statistics().logs.droppedByReason["opted_out"]);
	}

	void testWhitespaceOnlyBodyIsDropped()
	{
		auto client = _h->client();
		CPPUNIT_ASSERT(!client->captureLog("   "));
		CPPUNIT_ASSERT(!client->captureLog("\t\n"));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client->statistics().logs.droppedByReason["empty_body"]);
	}

	void testGatesShortCircuitInOrder()
	{
		int hookCalls = 0;
		auto client = _h->client({{"posthog.enabled", "false"}}, {[&hookCalls](PostHog::LogRecord&)
		                                                          {
			                                                          ++hookCalls;
			                                                          return true;
		                                                          }});
		CPPUNIT_ASSERT(!client->captureLog("x"));
		CPPUNIT_ASSERT_EQUAL(0, hookCalls);
		auto optedOut = _h->client({}, {[&hookCalls](PostHog::LogRecord&)
		                                {
			                                ++hookCalls;
			                                return true;
		                                }});
		optedOut->optOut();
		CPPUNIT_ASSERT(!optedOut->captureLog("x"));
		CPPUNIT_ASSERT(!optedOut->captureLog(" "));
		CPPUNIT_ASSERT_EQUAL(0, hookCalls);
		optedOut->optIn();
		CPPUNIT_ASSERT(!optedOut->captureLog(" ")); // a blank body stops before the hook
		CPPUNIT_ASSERT_EQUAL(0, hookCalls);
	}

	void testEachLevelMapsToItsNumber()
	{
		auto client = _h->client();
		const LogLevel levels[] = {LogLevel::Trace, LogLevel::Debug, LogLevel::Info,
		                           LogLevel::Warn,  LogLevel::Error, LogLevel::Fatal};
		for (LogLevel level : levels)
			client->captureLog(PostHog::severityText(level), level);
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), records.size());
		const int numbers[] = {1, 5, 9, 13, 17, 21};
		const char* texts[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
		for (std::size_t i = 0; i < 6; ++i)
		{
			CPPUNIT_ASSERT_EQUAL(numbers[i], records[i]->getValue<int>("severityNumber"));
			CPPUNIT_ASSERT_EQUAL(std::string(texts[i]), records[i]->getValue<std::string>("severityText"));
		}
	}

	void testUnknownLevelFallsBackToInfo()
	{
		CPPUNIT_ASSERT(PostHog::parseLogLevel("verbose") == LogLevel::Info);
		CPPUNIT_ASSERT(PostHog::parseLogLevel("") == LogLevel::Info);
		CPPUNIT_ASSERT(PostHog::parseLogLevel("WARNING") == LogLevel::Warn);
		auto r = single([](PostHog::Client& c) { c.captureLog("x", PostHog::parseLogLevel("loud")); });
		CPPUNIT_ASSERT_EQUAL(9, r->getValue<int>("severityNumber"));
	}

	void testTimestampCapturedAtCallTime()
	{
		auto client = _h->client();
		Poco::Timestamp before;
		client->captureLog("t1");
		Poco::Timestamp after;
		Poco::Thread::sleep(50);
		Poco::Timestamp flushedAt;
		client->flush();
		auto r = _h->logs.records().at(0);
		std::uint64_t t = std::stoull(r->getValue<std::string>("timeUnixNano"));
		CPPUNIT_ASSERT(t >= static_cast<std::uint64_t>(before.epochMicroseconds() / 1000) * 1000000ULL);
		CPPUNIT_ASSERT(t <= static_cast<std::uint64_t>(after.epochMicroseconds()) * 1000ULL);
		CPPUNIT_ASSERT(t < static_cast<std::uint64_t>(flushedAt.epochMicroseconds() / 1000) * 1000000ULL);
		CPPUNIT_ASSERT(t % 1000000ULL == 0); // whole milliseconds (first of its ms)
	}

	void testTraceFlagsRenamedToFlags()
	{
		auto client = _h->client();
		PostHog::LogRecord withFlags;
		withFlags.body = "with";
		withFlags.flags = 0;
		client->captureLog(withFlags);
		client->captureLog("without");
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), records.size());
		CPPUNIT_ASSERT(records[0]->has("flags"));
		CPPUNIT_ASSERT_EQUAL(0, records[0]->getValue<int>("flags"));
		CPPUNIT_ASSERT(!records[1]->has("flags"));
	}

	void testAbsentTraceIdsOmitted()
	{
		auto client = _h->client();
		client->captureLog("no trace");
		client->captureLog("traced", LogLevel::Info, Properties(), "4BF92F3577B34DA6A3CE929D0E0E4736",
		                   "00F067AA0BA902B7");
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), records.size());
		CPPUNIT_ASSERT(!records[0]->has("traceId"));
		CPPUNIT_ASSERT(!records[0]->has("spanId"));
		CPPUNIT_ASSERT_EQUAL(std::string("4bf92f3577b34da6a3ce929d0e0e4736"),
		                     records[1]->getValue<std::string>("traceId"));
		CPPUNIT_ASSERT_EQUAL(std::string("00f067aa0ba902b7"), records[1]->getValue<std::string>("spanId"));
	}

	void testInvalidTraceIdZeroed()
	{
		// The server zeroes ids of the wrong length; the client leaves them out instead and says so once.
		auto r =
		    single([](PostHog::Client& c)
		           { c.captureLog("bad ids", LogLevel::Info, Properties(), "abc", "not-hex-not-hex!"); });
		CPPUNIT_ASSERT(!r->has("traceId"));
		CPPUNIT_ASSERT(!r->has("spanId"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->errors.count(PostHog::ClientError::InvalidInput));
	}

	void testTwoLogsInTheSameMillisecond()
	{
		auto client = _h->client();
		for (int i = 0; i < 50; ++i)
			client->captureLog("burst " + std::to_string(i));
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(50), records.size());
		for (std::size_t i = 1; i < records.size(); ++i)
			CPPUNIT_ASSERT(std::stoull(records[i]->getValue<std::string>("timeUnixNano")) >
			               std::stoull(records[i - 1]->getValue<std::string>("timeUnixNano")));
	}

	void testIntegerEncodedAsString()
	{
		auto r = single([](PostHog::Client& c) { c.captureLog("x", LogLevel::Info, {{"n", 4999}}); });
		CPPUNIT_ASSERT_EQUAL(std::string("{\"intValue\":\"4999\"}"), OtlpLogsEndpoint::attribute(r, "n"));
	}

	void testNestedObjectAsKvlistValue()
	{
		auto r = single(
		    [](PostHog::Client& c) {
			    c.captureLog("x", LogLevel::Info, {{"outer", Properties{{"inner", 1}}}});
		    });
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "{\"kvlistValue\":{\"values\":[{\"key\":\"inner\",\"value\":{\"intValue\":\"1\"}}]}}"),
		    OtlpLogsEndpoint::attribute(r, "outer"));
	}

	void testNonFiniteNumberAsString()
	{
		auto r = single(
		    [](PostHog::Client& c)
		    {
			    c.captureLog("x", LogLevel::Info,
			                 {{"nan", std::nan("")},
			                  {"inf", std::numeric_limits<double>::infinity()},
			                  {"ninf", -std::numeric_limits<double>::infinity()},
			                  {"pi", 3.25}});
		    });
		// Deviation (COMPLIANCE.md): PostHog::Value holds no non-finite double (the constructor
		// makes it null, library-wide), so such an attribute is left out like a null, not sent
		// as "NaN"/"Infinity".
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "nan"));
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "inf"));
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "ninf"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"doubleValue\":3.25}"), OtlpLogsEndpoint::attribute(r, "pi"));
	}

	void testNullValueDropsTheKey()
	{
		auto r = single(
		    [](PostHog::Client& c) {
			    c.captureLog("x", LogLevel::Info, {{"gone", nullptr}, {"kept", true}});
		    });
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "gone"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"boolValue\":true}"), OtlpLogsEndpoint::attribute(r, "kept"));
	}

	void testContextSnapshotIsFrozenAtCapture()
	{
		auto client = _h->client();
		PostHog::LogRecord record;
		record.body = "as a";
		record.distinctId = "a";
		client->captureLog(record);
		record.distinctId = "b"; // the caller's context changes before the batch is sent
		record.body = "as b";
		client->captureLog(record);
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), records.size());
		CPPUNIT_ASSERT_EQUAL(std::string("a"),
		                     OtlpLogsEndpoint::stringAttribute(records[0], "posthogDistinctId"));
		CPPUNIT_ASSERT_EQUAL(std::string("b"),
		                     OtlpLogsEndpoint::stringAttribute(records[1], "posthogDistinctId"));
	}

	void testAbsentSessionIdOmitsTheKey()
	{
		auto r = single([](PostHog::Client& c) { c.captureLog("no session"); });
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "sessionId"));
		CPPUNIT_ASSERT_EQUAL(std::string(), OtlpLogsEndpoint::attribute(r, "posthogDistinctId"));
	}

	void testUserAttributeOverridesAutoContext()
	{
		auto r = single(
		    [](PostHog::Client& c)
		    {
			    PostHog::LogRecord record;
			    record.body = "x";
			    record.sessionId = "auto";
			    record.attributes.set("sessionId", "custom");
			    c.captureLog(record);
		    });
		CPPUNIT_ASSERT_EQUAL(std::string("custom"), OtlpLogsEndpoint::stringAttribute(r, "sessionId"));
	}

	void testSdkIdentityKeysProtected()
	{
		single([](PostHog::Client& c) { c.captureLog("x"); },
		       {{"posthog.logs.resource.service.name", "evil"},
		        {"posthog.logs.resource.telemetry.sdk.name", "evil"},
		        {"posthog.logs.resource.host.name", "web-1"},
		        {"posthog.logs.serviceVersion", "2.1.0"},
		        {"posthog.logs.environment", "staging"}});
		auto resource = _h->logs.resources().at(0);
		CPPUNIT_ASSERT_EQUAL(std::string("checkout"), resource["service.name"]);
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-cpp"), resource["telemetry.sdk.name"]);
		CPPUNIT_ASSERT_EQUAL(std::string(PostHog::libraryVersion()), resource["telemetry.sdk.version"]);
		CPPUNIT_ASSERT_EQUAL(std::string("web-1"), resource["host.name"]);
		CPPUNIT_ASSERT_EQUAL(std::string("2.1.0"), resource["service.version"]);
		CPPUNIT_ASSERT_EQUAL(std::string("staging"), resource["deployment.environment"]);
		CPPUNIT_ASSERT(!resource["os.name"].empty());
	}

	void testScopeIdentifiesTheSdk()
	{
		auto client = _h->client();
		client->captureLog("x");
		client->flush();
		auto requests = _h->server.routedRequests("/i/v1/logs");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		std::string expected = std::string("\"scope\":{\"name\":\"posthog-cpp\",\"version\":\"") +
		                       PostHog::libraryVersion() + "\"}";
		CPPUNIT_ASSERT(requests[0].body.find(expected) != std::string::npos);
	}

	void testHookDropsRecord()
	{
		auto client = _h->client({}, {[](PostHog::LogRecord& r) { return r.body != "secret"; },
		                              [](PostHog::LogRecord& r)
		                              {
			                              r.attributes.set("scrubbed", true);
			                              return true;
		                              }});
		CPPUNIT_ASSERT(!client->captureLog("secret"));
		CPPUNIT_ASSERT(client->captureLog("public"));
		client->flush();
		auto records = _h->logs.records();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), records.size());
		CPPUNIT_ASSERT_EQUAL(std::string("{\"boolValue\":true}"),
		                     OtlpLogsEndpoint::attribute(records[0], "scrubbed"));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client->statistics().logs.droppedByReason["before_send"]);
	}

	void testThrowingHookDropsTheRecord()
	{
		auto client = _h->client({}, {[](PostHog::LogRecord& r) -> bool
		                              {
			                              r.body = "half-scrubbed";
			                              throw std::runtime_error("scrubber failed on " + r.body);
		                              }});
		CPPUNIT_ASSERT(!client->captureLog("password=hunter2"));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1),
		                     client->statistics().logs.droppedByReason["before_send_error"]);
	}

	void testAThrowingHookDoesNotReachTheCaller()
	{
		auto client = _h->client({}, {[](PostHog::LogRecord& r) -> bool
		                              {
			                              if (r.body == "boom")
				                              throw std::logic_error("hunter2 in the message");
			                              return true;
		                              }});
		CPPUNIT_ASSERT_NO_THROW(client->captureLog("boom"));
		CPPUNIT_ASSERT(client->captureLog("fine"));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
		auto reports = _h->errors.of(PostHog::ClientError::StageError);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports.size());
		CPPUNIT_ASSERT(reports[0].message.find("beforeSend") != std::string::npos);
		CPPUNIT_ASSERT(reports[0].message.find("hunter2") == std::string::npos);
	}

	void testCapDropsExcessLogs()
	{
		auto client = _h->client(
		    {{"posthog.logs.rateLimit.maxLogs", "5"}, {"posthog.logs.rateLimit.window", "600000"}});
		for (int i = 0; i < 8; ++i)
			client->captureLog("record " + std::to_string(i));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), _h->logs.records().size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), client->statistics().logs.droppedByReason["rate_limited"]);
		std::size_t warnings = 0;
		for (const auto& e : _h->errors.of(PostHog::ClientError::Warning))
			warnings += e.message.find("rateLimit") != std::string::npos;
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), warnings);
	}

	void testCapRunsAfterBeforeSend()
	{
		auto client =
		    _h->client({{"posthog.logs.rateLimit.maxLogs", "2"}, {"posthog.logs.rateLimit.window", "600000"}},
		               {[](PostHog::LogRecord& r) { return r.body != "drop"; }});
		for (int i = 0; i < 5; ++i)
			client->captureLog("drop");
		CPPUNIT_ASSERT(client->captureLog("kept 1"));
		CPPUNIT_ASSERT(client->captureLog("kept 2"));
		CPPUNIT_ASSERT(!client->captureLog("over"));
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->logs.records().size());
	}

	void testCaptureLogIgnoresRemoteConfig()
	{
		// No remote configuration is fetched or waited for: the first call is captured.
		auto r = single([](PostHog::Client& c) { CPPUNIT_ASSERT(c.captureLog("first")); });
		CPPUNIT_ASSERT_EQUAL(std::string("first"),
		                     r->getObject("body")->getValue<std::string>("stringValue"));
	}

private:
	std::unique_ptr<LogsHarness> _h;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogsScenariosTest);
