//
// LogsDeliveryTest.cpp
//
// sdk-specs logs spec, delivery side (transport, envelope, compression, queue, flush triggers,
// retries), and fork(), against the loopback server's strict /i/v1/logs.
//

#include "LogsTestSupport.h"
#include "Poco/Thread.h"
#include "PostHog/Exceptions.h"
#include "logs/LogOptions.h"
#include <atomic>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace PostHogTest;
using PostHog::Client;
using PostHog::LogLevel;

class LogsDeliveryTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(LogsDeliveryTest);
	CPPUNIT_TEST(testEndpointAndAuth);
	CPPUNIT_TEST(testSuccessResponse);
	CPPUNIT_TEST(testOneBatchOneEnvelope);
	CPPUNIT_TEST(testGzippedWithHeader);
	CPPUNIT_TEST(testGzipUnavailable);
	CPPUNIT_TEST(testOverflowDropsOldest);
	CPPUNIT_TEST(testTimerFlushIgnoresThreshold);
	CPPUNIT_TEST(testQueueDepthReachingTheThresholdFlushes);
	CPPUNIT_TEST(testGlobalFlushIncludesLogs);
	CPPUNIT_TEST(testBoundedFinalFlush);
	CPPUNIT_TEST(testSingleFlight);
	CPPUNIT_TEST(testBoundedDrain);
	CPPUNIT_TEST(test413ShrinksTheBatch);
	CPPUNIT_TEST(testSingleRecord413IsDropped);
	CPPUNIT_TEST(testPoison4xxDropped);
	CPPUNIT_TEST(testEnqueueContinuesDuringBackoff);
	CPPUNIT_TEST(testNoQuotaSignalFromLogsService);
	CPPUNIT_TEST(testMaxBatchSplitsRequests);
	CPPUNIT_TEST(testLogQueueSurvivesFork);
	CPPUNIT_TEST(testBadLogsKeyNamesTheKey);
	CPPUNIT_TEST(testPerPlatformDefaultsAreDeliberate);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override { _h.reset(new LogsHarness); }
	void tearDown() override { _h.reset(); }

	static std::vector<std::string> bodies(const std::vector<Poco::JSON::Object::Ptr>& records)
	{
		std::vector<std::string> out;
		for (const auto& r : records)
			out.push_back(r->getObject("body")->getValue<std::string>("stringValue"));
		return out;
	}

	void testEndpointAndAuth()
	{
		auto client = _h->client({{"posthog.host", _h->server.url() + "/"}});
		client->captureLog("x");
		client->flush();
		auto requests = _h->server.routedRequests("/i/v1/logs");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT_EQUAL(std::string("POST"), requests[0].method);
		CPPUNIT_ASSERT_EQUAL(std::string("/i/v1/logs?token=phc_test_key_1234"), requests[0].path);
		CPPUNIT_ASSERT_EQUAL(std::string("application/json"), requests[0].headers["Content-Type"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->server.requestCount()); // nothing on /batch/
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.errors().size());
	}

	void testSuccessResponse()
	{
		auto client = _h->client();
		client->captureLog("x");
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered);
		PostHog::RouteStatistics s = client->statistics().logs;
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.enqueued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.sent);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.queued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.requests);
	}

	void testOneBatchOneEnvelope()
	{
		auto client = _h->client();
		for (int i = 0; i < 20; ++i)
			client->captureLog("r" + std::to_string(i));
		client->flush();
		CPPUNIT_ASSERT(_h->logs.batchSizes() == std::vector<std::size_t>{20});
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _h->logs.errors().size());
	}

	void testGzippedWithHeader()
	{
		auto client = _h->client();
		client->captureLog("x");
		client->flush();
		auto requests = _h->server.routedRequests("/i/v1/logs");
		CPPUNIT_ASSERT(requests.at(0).gzip);
		CPPUNIT_ASSERT_EQUAL(std::string("gzip"), requests[0].headers["Content-Encoding"]);
		CPPUNIT_ASSERT(requests[0].rawBody.compare(0, 2, "\x1f\x8b") == 0);
	}

	void testGzipUnavailable()
	{
		auto client = _h->client({{"posthog.http.gzip", "false"}});
		client->captureLog("x");
		client->flush();
		auto requests = _h->server.routedRequests("/i/v1/logs");
		CPPUNIT_ASSERT(!requests.at(0).gzip);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), requests[0].headers.count("Content-Encoding"));
		CPPUNIT_ASSERT_EQUAL(requests[0].body, requests[0].rawBody);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
	}

	void testOverflowDropsOldest()
	{
		auto client = _h->client({{"posthog.logs.maxQueue", "3"}});
		for (int i = 0; i < 5; ++i)
			client->captureLog("r" + std::to_string(i));
		client->flush();
		CPPUNIT_ASSERT(bodies(_h->logs.records()) == (std::vector<std::string>{"r2", "r3", "r4"}));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client->statistics().logs.droppedByReason["queue_full"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->errors.count(PostHog::ClientError::QueueFull));
	}

	void testTimerFlushIgnoresThreshold()
	{
		auto client = _h->client({{"posthog.logs.flushInterval", "50"}});
		client->captureLog("below the threshold");
		CPPUNIT_ASSERT(_h->logs.waitForRecords(1, 10000));
	}

	void testQueueDepthReachingTheThresholdFlushes()
	{
		auto client = _h->client({{"posthog.logs.flushThreshold", "5"}});
		for (int i = 0; i < 5; ++i)
			client->captureLog("r" + std::to_string(i));
		CPPUNIT_ASSERT(_h->logs.waitForRecords(5, 10000));
	}

	void testGlobalFlushIncludesLogs()
	{
		auto client = _h->client();
		client->capture("user-1", "event");
		client->captureLog("log");
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->server.eventCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
	}

	void testBoundedFinalFlush()
	{
		auto delivered = _h->client();
		delivered->captureLog("sent at shutdown");
		CPPUNIT_ASSERT(delivered->shutdown());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
		CPPUNIT_ASSERT(!delivered->captureLog("after shutdown"));

		_h->logs.failNext(1000, 503);
		auto stuck = _h->client({{"posthog.http.maxRetries", "100"}, {"posthog.http.retryDelay", "20"}});
		stuck->captureLog("never acknowledged");
		CPPUNIT_ASSERT(!stuck->shutdown(Poco::Timespan(200 * 1000)));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stuck->statistics().logs.failed);
	}

	void testSingleFlight()
	{
		auto client = _h->client();
		for (int i = 0; i < 200; ++i)
			client->captureLog("r" + std::to_string(i));
		std::atomic<int> done{0};
		struct Flusher : Poco::Runnable
		{
			Client* c;
			std::atomic<int>* done;
			void run() override
			{
				c->flush();
				++*done;
			}
		} ra, rb;
		ra.c = rb.c = client.get();
		ra.done = rb.done = &done;
		Poco::Thread a, b;
		a.start(ra);
		b.start(rb);
		a.join();
		b.join();
		CPPUNIT_ASSERT_EQUAL(2, done.load());
		CPPUNIT_ASSERT_EQUAL(std::size_t(200), _h->logs.records().size()); // nothing sent twice
	}

	void testBoundedDrain()
	{
		auto client = _h->client({{"posthog.logs.maxBatch", "10"}});
		std::atomic<bool> stop{false};
		std::atomic<int> produced{0};
		struct Producer : Poco::Runnable
		{
			Client* c;
			std::atomic<bool>* stop;
			std::atomic<int>* produced;
			void run() override
			{
				while (!stop->load())
				{
					c->captureLog("p" + std::to_string(produced->load()));
					++*produced;
					Poco::Thread::sleep(1);
				}
			}
		} producer;
		producer.c = client.get();
		producer.stop = &stop;
		producer.produced = &produced;
		for (int i = 0; i < 30; ++i)
			client->captureLog("before");
		Poco::Thread thread;
		thread.start(producer);
		// Records keep arriving during the flush; it still ends once what preceded it is sent.
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered);
		stop = true;
		thread.join();
		CPPUNIT_ASSERT(_h->logs.records().size() >= 30);
		client->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(30 + produced.load()), _h->logs.records().size());
	}

	void test413ShrinksTheBatch()
	{
		_h->logs.failNext(1, 413);
		auto client = _h->client();
		for (int i = 0; i < 50; ++i)
			client->captureLog("r" + std::to_string(i));
		client->flush();
		CPPUNIT_ASSERT(_h->logs.batchSizes() == (std::vector<std::size_t>{50, 25, 25}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(50), _h->logs.records().size());
	}

	void testSingleRecord413IsDropped()
	{
		_h->logs.failNext(1, 413);
		auto client = _h->client();
		client->captureLog("too big");
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered); // resolved, not retrying
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client->statistics().logs.failed);
		auto reports = _h->errors.of(PostHog::ClientError::DeliveryFailed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports.size());
		CPPUNIT_ASSERT(reports[0].message.find("413") != std::string::npos);
	}

	void testPoison4xxDropped()
	{
		_h->logs.failNext(1, 400);
		auto client = _h->client();
		client->captureLog("poison");
		client->flush();
		client->captureLog("next");
		client->flush();
		CPPUNIT_ASSERT(bodies(_h->logs.records()) == std::vector<std::string>{"next"});
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->logs.requestCount()); // the 400 was not retried
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client->statistics().logs.failed);
	}

	void testEnqueueContinuesDuringBackoff()
	{
		_h->logs.failNext(3, 503);
		auto client = _h->client({{"posthog.http.retryDelay", "100"}, {"posthog.logs.flushThreshold", "1"}});
		client->captureLog("first");
		while (_h->logs.requestCount() == 0)
			Poco::Thread::sleep(2);
		CPPUNIT_ASSERT(client->captureLog("during backoff")); // the sender is waiting to retry
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(bodies(_h->logs.records()) == (std::vector<std::string>{"first", "during backoff"}));
		CPPUNIT_ASSERT(client->statistics().logs.retried >= 3);
	}

	void testNoQuotaSignalFromLogsService()
	{
		// A 429 (shared infrastructure, never the logs service) is one more retryable status.
		_h->logs.failNext(1, 429);
		auto client = _h->client();
		client->captureLog("x");
		CPPUNIT_ASSERT(client->flush() == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->logs.records().size());
	}

	void testMaxBatchSplitsRequests()
	{
		auto client = _h->client({{"posthog.logs.maxBatch", "4"}});
		for (int i = 0; i < 10; ++i)
			client->captureLog("r" + std::to_string(i));
		client->flush();
		CPPUNIT_ASSERT(_h->logs.batchSizes() == (std::vector<std::size_t>{4, 4, 2}));
	}

	void testLogQueueSurvivesFork()
	{
#if defined(__SANITIZE_THREAD__)
		return; // ThreadSanitizer cannot run threads started after fork() in a multi-threaded process
#endif
		auto client = _h->client();
		client->captureLog("parent before fork"); // queued, not sent: the child must not send it
		pid_t pid = ::fork();
		if (pid == 0)
		{
			bool ok = client->captureLog("from child") && client->flush() == Client::FlushResult::Delivered;
			::_exit(ok ? 0 : 1);
		}
		CPPUNIT_ASSERT(pid > 0);
		int status = 0;
		::waitpid(pid, &status, 0);
		CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		client->captureLog("parent after fork");
		client->flush();
		auto sent = bodies(_h->logs.records());
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), sent.size());
		CPPUNIT_ASSERT_EQUAL(std::string("from child"), sent[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("parent before fork"), sent[1]);
		CPPUNIT_ASSERT_EQUAL(std::string("parent after fork"), sent[2]);
	}

	void testBadLogsKeyNamesTheKey()
	{
		try
		{
			_h->client({{"posthog.logs.maxBatch", "lots"}});
			CPPUNIT_FAIL("a bad posthog.logs value must stop the client");
		}
		catch (PostHog::ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("posthog.logs.maxBatch") != std::string::npos);
		}
	}

	void testPerPlatformDefaultsAreDeliberate()
	{
		// Every posthog.logs.* key is documented in the README with its default.
		std::ifstream in(std::string(POSTHOG_TEST_SOURCE_DIR) + "/README.md");
		std::stringstream readme;
		readme << in.rdbuf();
		for (const PostHog::OptionSpec& spec : PostHog::LogOptions::table())
		{
			std::string row = "| `posthog.logs." + spec.name + "` | " + spec.defaultValue + " |";
			if (readme.str().find(row) == std::string::npos)
				CPPUNIT_FAIL("README.md has no row " + row);
		}
	}

private:
	std::unique_ptr<LogsHarness> _h;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogsDeliveryTest);
