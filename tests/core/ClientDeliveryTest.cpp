//
// ClientDeliveryTest.cpp
//
// The Client's queue, batching, retries, flush and shutdown against a real loopback capture
// endpoint with fault injection. Timing checks use lower bounds (what must have been waited)
// and generous upper bounds only.
//

#include "ClientTestSupport.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "PostHog/Client.h"
#include "delivery/HttpTransport.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <set>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

long elapsedMs(const Poco::Timestamp& since)
{
	return static_cast<long>(since.elapsed() / 1000);
}

} // namespace

class ClientDeliveryTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ClientDeliveryTest);
	CPPUNIT_TEST(testGzipOnAndOff);
	CPPUNIT_TEST(testBatchesByInterval);
	CPPUNIT_TEST(testIntervalBoundsHowLongAnEventWaits);
	CPPUNIT_TEST(testByteCapSplitsRequests);
	CPPUNIT_TEST(testEventOverOneMegabyteIsDropped);
	CPPUNIT_TEST(testFlushOnAnEmptyQueueSendsNothing);
	CPPUNIT_TEST(testFlushReportsFailed);
	CPPUNIT_TEST(testFlushTimesOutWhileARetryIsPendingAndTheEventIsDeliveredLater);
	CPPUNIT_TEST(testShutdownDrainsIsIdempotentAndRejectsLaterCalls);
	CPPUNIT_TEST(testShutdownTimeoutReportsWhatIsLeft);
	CPPUNIT_TEST(testDestructorShutsDown);
	CPPUNIT_TEST(testRetryOn503);
	CPPUNIT_TEST(testRetryAfterSecondsIsHonoured);
	CPPUNIT_TEST(testRetryAfterHttpDateIsHonoured);
	CPPUNIT_TEST(testNetworkErrorsAreRetriedUntilTheServerIsBack);
	CPPUNIT_TEST(test413SplitsIntoHalvesUntilDelivered);
	CPPUNIT_TEST(test413OnASingleEventIsFinal);
	CPPUNIT_TEST(testFinalClientErrorsAreNotRetried);
	CPPUNIT_TEST(testMaxRetriesExhaustedIsReported);
	CPPUNIT_TEST(testQueueOverflowDropsAreCountedAndReported);
	CPPUNIT_TEST(testQueueOverflowBlockDropsNothing);
	CPPUNIT_TEST(testConcurrentProducers);
	CPPUNIT_TEST(testStatisticsAddUp);
	CPPUNIT_TEST(testHostWithAPathPrefix);
	CPPUNIT_TEST(testSlowServerTimesOutAndIsRetried);
	CPPUNIT_TEST(testConnectionClosedWithoutReplyIsRetried);
	CPPUNIT_TEST(testFlushWaitsForEveryConnection);
	CPPUNIT_TEST(testShutdownWhileProducersRunLosesNothingSilently);
	CPPUNIT_TEST(testRetryableAndFinalStatuses);
	CPPUNIT_TEST(testParseRetryAfter);
	CPPUNIT_TEST(testBeforeSendEditsReachTheWire);
	CPPUNIT_TEST(testConcurrentFlushesWhileProducing);
	CPPUNIT_TEST(testErrorCallbackThatThrowsIsContained);
	CPPUNIT_TEST(testAStageThatEmptiesRequiredFieldsCostsOnlyThatEvent);
	CPPUNIT_TEST(testBackoffDoublesPerAttempt);
	CPPUNIT_TEST_SUITE_END();

public:
	void testGzipOnAndOff()
	{
		for (bool gzip : {true, false})
		{
			CaptureServer server;
			ClientOptions o = testOptions(server.url());
			o.gzip = gzip;
			Client client(o);
			client.capture("user-1", "compressed?", {{"gzip", gzip}});
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
			auto requests = server.requests();
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
			const auto& r = requests[0];
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.events.size());
			CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.headers.at("Content-Type"));
			if (gzip)
			{
				CPPUNIT_ASSERT_EQUAL(std::string("gzip"), r.headers.at("Content-Encoding"));
				CPPUNIT_ASSERT(r.rawBody.size() > 2 && static_cast<unsigned char>(r.rawBody[0]) == 0x1f &&
				               static_cast<unsigned char>(r.rawBody[1]) == 0x8b);
			}
			else
			{
				CPPUNIT_ASSERT(r.headers.count("Content-Encoding") == 0);
				CPPUNIT_ASSERT_EQUAL(r.body, r.rawBody);
				CPPUNIT_ASSERT_EQUAL('{', r.rawBody[0]);
			}
		}
	}

	void testBatchesByInterval()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.batchInterval = Poco::Timespan(100 * 1000);
		Client client(o);
		Poco::Timestamp start;
		client.capture("user-1", "first");
		client.capture("user-1", "second");
		client.capture("user-1", "third");
		// No flush: only the interval sends them (batch.size is 100).
		CPPUNIT_ASSERT(server.waitForEvents(3, 10000));
		CPPUNIT_ASSERT(elapsedMs(start) >= 90);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT((std::vector<std::string>{"first", "second", "third"}) ==
		               eventNames(requests[0].events));
		// A later event goes out on its own interval too.
		client.capture("user-1", "fourth");
		CPPUNIT_ASSERT(server.waitForEvents(4, 10000));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
	}

	void testIntervalBoundsHowLongAnEventWaits()
	{
		// batch.interval is the longest an event waits for its batch to fill, wherever in the
		// worker's sleep it arrives: here half-way through the worker's first interval.
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.batchInterval = Poco::Timespan(2, 0);
		Client client(o);
		Poco::Thread::sleep(1000);
		Poco::Timestamp captured;
		client.capture("user-1", "waiting");
		CPPUNIT_ASSERT(server.waitForEvents(1, 10000));
		long waited = elapsedMs(captured);
		CPPUNIT_ASSERT_MESSAGE("sent after " + std::to_string(waited) + " ms", waited >= 900);
		CPPUNIT_ASSERT_MESSAGE("sent after " + std::to_string(waited) + " ms (interval 2000)", waited < 2700);
	}

	void testByteCapSplitsRequests()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.batchMaxBytes = 4000;
		Client client(o);
		std::string filler(1000, 'x');
		for (int i = 0; i < 10; ++i)
			client.capture("user-1", "e" + std::to_string(i), {{"filler", filler}});
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT(requests.size() >= 3);
		int n = 0;
		for (const auto& r : requests)
		{
			// The cap applies to the events' JSON; the envelope adds api_key and sent_at.
			CPPUNIT_ASSERT_MESSAGE(std::to_string(r.body.size()), r.body.size() <= 4000 + 200);
			CPPUNIT_ASSERT(r.events.size() >= 1);
			for (const auto& e : r.events)
				CPPUNIT_ASSERT_EQUAL("e" + std::to_string(n++), str(e, "event"));
		}
		CPPUNIT_ASSERT_EQUAL(10, n);
	}

	void testEventOverOneMegabyteIsDropped()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		client.capture("user-1", "before");
		client.capture("user-1", "huge", {{"blob", std::string(1000 * 1000, 'a')}});
		client.capture("user-1", "after");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"before", "after"}) == eventNames(server.events()));
		auto tooLarge = errors.of(ClientError::TooLarge);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), tooLarge.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), tooLarge[0].events);
		CPPUNIT_ASSERT(tooLarge[0].message.find("'huge'") != std::string::npos);
		CPPUNIT_ASSERT(tooLarge[0].message.find("1 MB") != std::string::npos);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.droppedByReason["too_large"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.delivered);
	}

	void testFlushOnAnEmptyQueueSendsNothing()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(elapsedMs(start) < 5000);
		client.capture("user-1", "one");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
	}

	void testFlushReportsFailed()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(1, 400);
		client.capture("user-1", "refused");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
		client.capture("user-1", "accepted");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"accepted"}) == eventNames(server.events()));
	}

	void testFlushTimesOutWhileARetryIsPendingAndTheEventIsDeliveredLater()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(1, 503, "1");
		client.capture("user-1", "Save");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(300 * 1000)) == Client::FlushResult::TimedOut);
		CPPUNIT_ASSERT(elapsedMs(start) >= 290);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.failed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.retried);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(elapsedMs(start) >= 950); // Retry-After: 1
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testShutdownDrainsIsIdempotentAndRejectsLaterCalls()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		StartedThreads workers;
		Client client(o);
		CPPUNIT_ASSERT(workers.started() > 0); // the worker and the sender run
		for (int i = 0; i < 5; ++i)
			client.capture("user-1", "e" + std::to_string(i));
		CPPUNIT_ASSERT(client.shutdown(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), workers.alive()); // worker and sender joined
		Poco::Timestamp again;
		CPPUNIT_ASSERT(client.shutdown(Poco::Timespan(10, 0)));
		CPPUNIT_ASSERT(client.shutdown());
		CPPUNIT_ASSERT(elapsedMs(again) < 5000);
		CPPUNIT_ASSERT(client.capture("user-1", "after shutdown").empty());
		CPPUNIT_ASSERT(!client.identify("user-1"));
		CPPUNIT_ASSERT(!client.alias("a", "b"));
		CPPUNIT_ASSERT(!client.groupIdentify("company", "acme"));
		CPPUNIT_ASSERT(client.pageview("user-1", "https://example.com").empty());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(1, 0)) == Client::FlushResult::Delivered);
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), client.statistics().enqueued);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.count(ClientError::DeliveryFailed));
	}

	void testShutdownTimeoutReportsWhatIsLeft()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(1, 503, "30");
		client.capture("user-1", "stuck 1");
		client.capture("user-1", "stuck 2");
		Poco::Timestamp start;
		// The batch is out and waits 30 s for its retry.
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(200 * 1000)) == Client::FlushResult::TimedOut);
		CPPUNIT_ASSERT(!client.shutdown(Poco::Timespan(200 * 1000)));
		CPPUNIT_ASSERT(elapsedMs(start) < 10000); // did not wait for the 30 s Retry-After
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), errors.events(ClientError::Shutdown));
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.failed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
	}

	void testDestructorShutsDown()
	{
		CaptureServer server;
		{
			Client client(testOptions(server.url()));
			client.capture("user-1", "last words");
		}
		CPPUNIT_ASSERT((std::vector<std::string>{"last words"}) == eventNames(server.events()));
	}

	void testRetryOn503()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(2, 503);
		client.capture("user-1", "persistent");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), requests.size());
		CPPUNIT_ASSERT_EQUAL(503, requests[0].status);
		CPPUNIT_ASSERT_EQUAL(503, requests[1].status);
		CPPUNIT_ASSERT_EQUAL(200, requests[2].status);
		CPPUNIT_ASSERT_EQUAL(
		    requests[0].body.substr(0, requests[0].body.find("\"sent_at\"")),
		    requests[2].body.substr(0, requests[2].body.find("\"sent_at\""))); // the same batch again
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.retried);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), stats.requests);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testRetryAfterSecondsIsHonoured()
	{
		CaptureServer server;
		Client client(
		    testOptions(server.url())); // retryBaseDelay is 10 ms: only Retry-After explains a long wait
		server.failNext(1, 429, "1");
		client.capture("user-1", "rate limited");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		long waited = elapsedMs(start);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(waited) + " ms", waited >= 950);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(waited) + " ms", waited < 15000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(429, server.requests()[0].status);
	}

	void testRetryAfterHttpDateIsHonoured()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		// HTTP dates have whole seconds: 2 s ahead is at least 1 s ahead once truncated.
		std::string date = Poco::DateTimeFormatter::format(Poco::Timestamp() + 2 * Poco::Timespan::SECONDS,
		                                                   Poco::DateTimeFormat::HTTP_FORMAT);
		server.failNext(1, 503, date);
		client.capture("user-1", "rate limited");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		long waited = elapsedMs(start);
		CPPUNIT_ASSERT_MESSAGE(date + ": " + std::to_string(waited) + " ms", waited >= 900);
		CPPUNIT_ASSERT_MESSAGE(date + ": " + std::to_string(waited) + " ms", waited < 15000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
	}

	void testNetworkErrorsAreRetriedUntilTheServerIsBack()
	{
		std::unique_ptr<CaptureServer> server(new CaptureServer);
		Poco::UInt16 port = server->port();
		ErrorRecorder errors;
		ClientOptions o = testOptions(server->url());
		o.retryBaseDelay = Poco::Timespan(50 * 1000);
		o.onError = errors.callback();
		Client client(o);
		client.capture("user-1", "warm-up");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		server->stop(); // the kept-alive connection breaks and new ones are refused
		server.reset();
		client.capture("user-1", "while down");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(300 * 1000)) == Client::FlushResult::TimedOut);
		CPPUNIT_ASSERT(client.statistics().retried >= 1);
		server.reset(new CaptureServer(port));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"while down"}) == eventNames(server->events()));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client.statistics().delivered);
	}

	void test413SplitsIntoHalvesUntilDelivered()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(2, 413);
		for (int i = 0; i < 8; ++i)
			client.capture("user-1", "e" + std::to_string(i));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		// 8 -> 413; first half 4 -> 413; its halves 2 and 2; then the second half 4.
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), requests.size());
		CPPUNIT_ASSERT_EQUAL(413, requests[0].status);
		CPPUNIT_ASSERT_EQUAL(413, requests[1].status);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests[2].events.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests[3].events.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), requests[4].events.size());
		auto names = eventNames(server.events());
		CPPUNIT_ASSERT_EQUAL(std::size_t(8), names.size());
		for (int i = 0; i < 8; ++i)
			CPPUNIT_ASSERT_EQUAL("e" + std::to_string(i), names[static_cast<std::size_t>(i)]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(8), client.statistics().delivered);
	}

	void test413OnASingleEventIsFinal()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		server.failNext(1, 413);
		client.capture("user-1", "alone");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
		auto failed = errors.of(ClientError::DeliveryFailed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed.size());
		CPPUNIT_ASSERT_EQUAL(413, failed[0].httpStatus);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed[0].events);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
	}

	void testFinalClientErrorsAreNotRetried()
	{
		for (int status : {400, 401})
		{
			CaptureServer server;
			ErrorRecorder errors;
			ClientOptions o = testOptions(server.url());
			o.onError = errors.callback();
			Client client(o);
			server.failNext(1, status);
			client.capture("user-1", "a");
			client.capture("user-1", "b");
			client.capture("user-1", "c");
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
			Poco::Thread::sleep(50);
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
			auto failed = errors.of(ClientError::DeliveryFailed);
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed.size());
			CPPUNIT_ASSERT_EQUAL(status, failed[0].httpStatus);
			CPPUNIT_ASSERT_EQUAL(std::size_t(3), failed[0].events);
			CPPUNIT_ASSERT(failed[0].message.find(std::to_string(status)) != std::string::npos);
			CPPUNIT_ASSERT(failed[0].message.find("phc_test_key_1234") == std::string::npos);
			auto stats = client.statistics();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), stats.failed);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.retried);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.delivered);
		}
	}

	void testMaxRetriesExhaustedIsReported()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.maxRetries = 2;
		o.onError = errors.callback();
		Client client(o);
		server.failNext(10, 503);
		client.capture("user-1", "doomed");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.requestCount());
		auto failed = errors.of(ClientError::DeliveryFailed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed.size());
		CPPUNIT_ASSERT_EQUAL(503, failed[0].httpStatus);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed[0].events);
		CPPUNIT_ASSERT(failed[0].message.find("3 attempts") != std::string::npos);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.retried);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.failed);
	}

	void testQueueOverflowDropsAreCountedAndReported()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.queueCapacity = 5;
		o.onError = errors.callback();
		Client client(o);
		// The worker sleeps (batch.interval 60 s, batch.size 100): the queue fills after 5.
		std::size_t accepted = 0;
		for (int i = 0; i < 50; ++i)
			accepted += client.capture("user-1", "e" + std::to_string(i)).empty() ? 0 : 1;
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), accepted);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), client.statistics().queued);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"e0", "e1", "e2", "e3", "e4"}) ==
		               eventNames(server.events()));
		CPPUNIT_ASSERT(errors.waitFor(ClientError::QueueFull, 1, 5000));
		client.shutdown();
		CPPUNIT_ASSERT_EQUAL(std::size_t(45), errors.events(ClientError::QueueFull));
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(45), stats.droppedByReason["queue_full"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(45), stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), stats.enqueued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), stats.delivered);
	}

	void testQueueOverflowBlockDropsNothing()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.queueCapacity = 5;
		o.batchSize = 10;
		o.queueOverflow = ClientOptions::Overflow::Block;
		o.onError = errors.callback();
		Client client(o);
		for (int i = 0; i < 200; ++i)
			CPPUNIT_ASSERT(!client.capture("user-1", "e" + std::to_string(i)).empty());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto names = eventNames(server.events());
		CPPUNIT_ASSERT_EQUAL(std::size_t(200), names.size());
		for (std::size_t i = 0; i < names.size(); ++i)
			CPPUNIT_ASSERT_EQUAL("e" + std::to_string(i), names[i]);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(200), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testConcurrentProducers()
	{
		const int threads = 8;
		const int perThread = 5000;
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.queueCapacity = threads * perThread;
		o.onError = errors.callback();
		Client client(o);
		std::vector<std::vector<std::string>> uuids(threads);
		std::vector<std::thread> producers;
		for (int t = 0; t < threads; ++t)
		{
			producers.emplace_back(
			    [&client, &uuids, t, perThread]
			    {
				    for (int i = 0; i < perThread; ++i)
					    uuids[static_cast<std::size_t>(t)].push_back(
					        client.capture("user-" + std::to_string(t), "tick", {{"thread", t}, {"i", i}}));
			    });
		}
		for (auto& p : producers)
			p.join();
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(60, 0)) == Client::FlushResult::Delivered);
		std::set<std::string> returned;
		for (const auto& v : uuids)
		{
			for (const auto& u : v)
			{
				CPPUNIT_ASSERT(!u.empty());
				returned.insert(u);
			}
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(threads * perThread), returned.size());
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(threads * perThread), events.size());
		std::set<std::string> received;
		std::map<int, int> next;
		for (const auto& e : events)
		{
			received.insert(str(e, "uuid"));
			int t = props(e)->getValue<int>("thread");
			int i = props(e)->getValue<int>("i");
			CPPUNIT_ASSERT_EQUAL_MESSAGE("thread " + std::to_string(t), next[t], i); // per-thread FIFO
			next[t] = i + 1;
		}
		CPPUNIT_ASSERT(returned == received);
		for (const auto& r : server.requests())
			CPPUNIT_ASSERT(r.events.size() <= 100);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(threads * perThread), stats.enqueued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(threads * perThread), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testStatisticsAddUp()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		o.middleware.addFunction("sampler", [](Message& m) { return m.event() != "skip"; });
		Client client(o);
		server.failNext(1, 400);
		client.capture("user-1", "refused");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
		client.capture("user-1", "skip");
		client.capture("user-1", "skip");
		client.capture("user-1", "huge", {{"blob", std::string(1000 * 1000, 'a')}});
		client.capture("user-1", "ok 1");
		client.capture("user-1", "ok 2");
		client.capture("", "rejected");
		server.failNext(1, 503);
		client.capture("user-1", "ok 3");
		// Clean: everything queued when shutdown began was delivered (the 400 came before).
		CPPUNIT_ASSERT(client.shutdown(Poco::Timespan(10, 0)));
		auto s = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), s.enqueued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.rejected);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), s.delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.failed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), s.dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), s.droppedByReason["stage:sampler"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.droppedByReason["too_large"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), s.retried);
		CPPUNIT_ASSERT_EQUAL(s.enqueued, s.delivered + s.dropped + s.failed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.queued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(server.requestCount()), s.requests);
		CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(s.stages.size()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), s.stages[0].dropped);
	}

	void testHostWithAPathPrefix()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.host = server.url() + "/ingest/";
		Client client(o);
		client.capture("user-1", "proxied");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT_EQUAL(std::string("/ingest/batch/"), requests[0].path);
	}

	void testSlowServerTimesOutAndIsRetried()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.httpTimeout = Poco::Timespan(300 * 1000);
		o.onError = errors.callback();
		Client client(o);
		CaptureServer::Fault slow;
		slow.status = 200;
		slow.delayMs = 1500;
		server.failNext(1, slow);
		client.capture("user-1", "patient");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(elapsedMs(start) >= 250);
		CPPUNIT_ASSERT(elapsedMs(start) < 1400); // did not wait for the slow answer
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
		CPPUNIT_ASSERT((std::vector<std::string>{"patient"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().retried);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testConnectionClosedWithoutReplyIsRetried()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		CaptureServer::Fault hangUp;
		hangUp.closeWithoutReply = true;
		server.failNext(2, hangUp);
		client.capture("user-1", "resilient");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.requestCount());
		CPPUNIT_ASSERT((std::vector<std::string>{"resilient"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), client.statistics().retried);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testFlushWaitsForEveryConnection()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.connections = 4;
		o.batchSize = 10;
		Client client(o);
		server.setDelay(30);
		for (int i = 0; i < 200; ++i)
			client.capture("user-1", "e" + std::to_string(i));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(30, 0)) == Client::FlushResult::Delivered);
		// Flush returned only once every batch, on every connection, was answered.
		CPPUNIT_ASSERT_EQUAL(std::size_t(200), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(200), client.statistics().delivered);
		std::set<std::string> names;
		for (const auto& n : eventNames(server.events()))
			names.insert(n);
		CPPUNIT_ASSERT_EQUAL(std::size_t(200), names.size());
	}

	void testShutdownWhileProducersRunLosesNothingSilently()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.batchSize = 50;
		o.queueCapacity = 100000;
		o.onError = errors.callback();
		Client client(o);
		std::atomic<bool> stop{false};
		std::vector<std::set<std::string>> accepted(4);
		std::vector<std::thread> producers;
		for (int t = 0; t < 4; ++t)
		{
			producers.emplace_back(
			    [&, t]
			    {
				    for (int i = 0; i < 5000 && !stop; ++i)
				    {
					    std::string uuid = client.capture("user-" + std::to_string(t), "busy");
					    if (!uuid.empty())
						    accepted[static_cast<std::size_t>(t)].insert(uuid);
				    }
			    });
		}
		Poco::Thread::sleep(30);
		bool clean = client.shutdown(Poco::Timespan(60, 0));
		Poco::Thread::sleep(20); // producers keep calling into the shut-down client
		stop = true;
		for (auto& p : producers)
			p.join();
		std::set<std::string> all;
		for (const auto& a : accepted)
			all.insert(a.begin(), a.end());
		std::set<std::string> received;
		for (const auto& e : server.events())
			received.insert(str(e, "uuid"));
		auto s = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(all.size()), s.enqueued);
		CPPUNIT_ASSERT(clean);
		// Everything accepted was delivered: a clean shutdown covers what raced with it.
		CPPUNIT_ASSERT_EQUAL(all.size(), received.size());
		CPPUNIT_ASSERT(all == received);
		CPPUNIT_ASSERT_EQUAL(s.enqueued, s.delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.failed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.count(ClientError::Shutdown));
	}

	void testRetryableAndFinalStatuses()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		for (int status : {408, 500, 502, 504})
		{
			server.reset();
			server.failNext(1, status);
			client.capture("user-1", "retry " + std::to_string(status));
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(status), std::size_t(2), server.requestCount());
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
		for (int status : {403, 404, 422})
		{
			server.reset();
			server.failNext(1, status);
			client.capture("user-1", "final " + std::to_string(status));
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(status), std::size_t(1), server.requestCount());
			CPPUNIT_ASSERT_EQUAL(status, errors.of(ClientError::DeliveryFailed).back().httpStatus);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), errors.count(ClientError::DeliveryFailed));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), client.statistics().retried);
	}

	void testParseRetryAfter()
	{
		CPPUNIT_ASSERT_EQUAL(120000L, HttpTransport::parseRetryAfter("120"));
		CPPUNIT_ASSERT_EQUAL(0L, HttpTransport::parseRetryAfter(" 0 "));
		CPPUNIT_ASSERT_EQUAL(-1L, HttpTransport::parseRetryAfter("-5"));
		// Garbage is not a Retry-After at all (Poco's lenient date parser alone would read
		// "soon" as year 0).
		CPPUNIT_ASSERT_EQUAL(-1L, HttpTransport::parseRetryAfter("soon"));
		CPPUNIT_ASSERT_EQUAL(-1L, HttpTransport::parseRetryAfter("in 5 minutes"));
		CPPUNIT_ASSERT_EQUAL(-1L, HttpTransport::parseRetryAfter(""));
		CPPUNIT_ASSERT_EQUAL(0L, HttpTransport::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")); // past
		std::string future = Poco::DateTimeFormatter::format(Poco::Timestamp() + 30 * Poco::Timespan::SECONDS,
		                                                     Poco::DateTimeFormat::HTTP_FORMAT);
		long ms = HttpTransport::parseRetryAfter(future);
		CPPUNIT_ASSERT_MESSAGE(future + " -> " + std::to_string(ms), ms > 28000 && ms <= 30000);
	}

	void testBeforeSendEditsReachTheWire()
	{
		// A hook may change the event's name, distinct id, timestamp and uuid; the batch
		// carries what it left.
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		Poco::UUID replaced("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
		o.middleware.addFunction("rename",
		                         [&replaced](Message& m)
		                         {
			                         m.setEvent("renamed");
			                         m.setDistinctId("hashed-" + m.distinctId());
			                         m.setTimestamp(Poco::Timestamp::fromEpochTime(1735689600));
			                         m.setUuid(replaced);
			                         m.properties().remove("email");
			                         return true;
		                         });
		Client client(o);
		client.capture("user-1", "original", {{"email", "x@example.com"}, {"kept", 1}});
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("renamed"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("hashed-user-1"), str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("2025-01-01T00:00:00.000Z"), str(events[0], "timestamp"));
		CPPUNIT_ASSERT_EQUAL(replaced.toString(), str(events[0], "uuid"));
		CPPUNIT_ASSERT(!props(events[0])->has("email"));
		CPPUNIT_ASSERT_EQUAL(1, props(events[0])->getValue<int>("kept"));
	}

	void testConcurrentFlushesWhileProducing()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.batchSize = 20;
		o.connections = 2;
		o.queueCapacity = 100000;
		o.onError = errors.callback();
		Client client(o);
		std::atomic<bool> stop{false};
		std::atomic<int> accepted{0};
		std::atomic<int> flushes{0};
		std::atomic<int> badFlushes{0};
		std::vector<std::thread> threads;
		for (int t = 0; t < 3; ++t)
		{
			threads.emplace_back(
			    [&]
			    {
				    for (int i = 0; i < 5000 && !stop; ++i)
				    {
					    if (!client.capture("user-1", "busy").empty())
						    ++accepted;
				    }
			    });
		}
		for (int t = 0; t < 2; ++t)
		{
			threads.emplace_back(
			    [&]
			    {
				    while (!stop)
				    {
					    if (client.flush(Poco::Timespan(60, 0)) != Client::FlushResult::Delivered)
						    ++badFlushes;
					    ++flushes;
				    }
			    });
		}
		Poco::Thread::sleep(300);
		stop = true;
		for (auto& t : threads)
			t.join();
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(60, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(flushes.load() > 0);
		CPPUNIT_ASSERT_EQUAL(0, badFlushes.load());
		CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(accepted.load()), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testErrorCallbackThatThrowsIsContained()
	{
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		std::atomic<int> calls{0};
		o.onError = [&calls](const ClientError&)
		{
			++calls;
			throw std::runtime_error("callback bug");
		};
		Client client(o);
		CPPUNIT_ASSERT(client.capture("", "bad").empty()); // InvalidInput on this thread
		server.failNext(1, 400);
		client.capture("user-1", "refused");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed); // on the sender
		client.capture("user-1", "fine");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(2, calls.load());
		CPPUNIT_ASSERT((std::vector<std::string>{"fine"}) == eventNames(server.events()));
	}

	void testAStageThatEmptiesRequiredFieldsCostsOnlyThatEvent()
	{
		// PostHog refuses a whole batch over one event without a distinct id or name: an event
		// a stage emptied must not take the rest of its batch down with it.
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = testOptions(server.url());
		o.onError = errors.callback();
		o.middleware.addFunction("buggy",
		                         [](Message& m)
		                         {
			                         if (m.event() == "lose id")
				                         m.setDistinctId("");
			                         if (m.event() == "lose name")
				                         m.setEvent("");
			                         return true;
		                         });
		Client client(o);
		client.capture("user-1", "good 1");
		client.capture("user-1", "lose id");
		client.capture("user-1", "lose name");
		client.capture("user-1", "good 2");
		client.flush(Poco::Timespan(10, 0));
		CPPUNIT_ASSERT((std::vector<std::string>{"good 1", "good 2"}) == eventNames(server.events()));
		CPPUNIT_ASSERT(server.errors().empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.count(ClientError::DeliveryFailed));
		auto invalid = errors.of(ClientError::StageError);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), invalid.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), invalid[0].events);
		CPPUNIT_ASSERT(invalid[0].message.find("distinct id") != std::string::npos);
		auto s = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), s.droppedByReason["invalid"]);
		CPPUNIT_ASSERT_EQUAL(s.enqueued, s.delivered + s.dropped + s.failed);
	}

	void testBackoffDoublesPerAttempt()
	{
		// retryDelay 100 ms, three failures: waits of at least 50 + 100 + 200 ms (jitter keeps
		// half to all of 100, 200, 400). Without the doubling they would be at most 300 ms.
		CaptureServer server;
		ClientOptions o = testOptions(server.url());
		o.retryBaseDelay = Poco::Timespan(100 * 1000);
		Client client(o);
		server.failNext(3, 503);
		client.capture("user-1", "backing off");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		long waited = elapsedMs(start);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(waited) + " ms", waited >= 340);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(waited) + " ms", waited < 15000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), server.requestCount());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientDeliveryTest);
