//
// SpecScenariosTest.cpp
//
// PostHog's sdk-specs acceptance scenarios that apply to a server SDK (tagged @server or @both),
// one test per scenario, named after it. Sources (PostHog/sdk-specs):
//   acceptance/public/{capture,identify,alias,group-identify,flush,shutdown}.feature
//   acceptance/private/{event-batcher,retry-queue,before-send-hook}.feature
//   acceptance/private/http-client.feature (the event-delivery scenarios; the flag ones wait
//   for the feature-flags issue)
//
// The harness is real: a loopback CaptureServer stands in for "the mock PostHog server", and
// "enqueued" is checked where it becomes observable, at the server after a flush. Where a
// scenario assumes a client-side concept, the test says which of ours it maps to.
//

#include "ClientTestSupport.h"
#include "PostHog/Client.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <stdexcept>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

ClientOptions specOptions(const CaptureServer& server, ErrorRecorder& errors)
/// "the SDK is initialized with token test-token".
{
	ClientOptions o = testOptions(server.url(), "test-token");
	o.onError = errors.callback();
	return o;
}

const Poco::Timespan kFlushTimeout(10, 0);

} // namespace

class SpecScenariosTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpecScenariosTest);
	// capture.feature
	CPPUNIT_TEST(testServerCaptureRequiresAnExplicitDistinctId);
	CPPUNIT_TEST(testCaptureHonorsOptOutState);
	CPPUNIT_TEST(testCaptureHonorsOptOutStateAtRunTime);
	CPPUNIT_TEST(testCaptureCanBeModifiedOrDroppedByBeforeSend);
	CPPUNIT_TEST(testCaptureDropsAnImmediatelyDeliveredEventWhenBeforeSendThrows);
	// identify.feature
	CPPUNIT_TEST(testServerIdentifySendsAProfileUpdateForExplicitDistinctId);
	CPPUNIT_TEST(testIdentifyValidatesDistinctId);
	// alias.feature
	CPPUNIT_TEST(testServerAliasLinksExplicitPreviousAndNewIdentities);
	CPPUNIT_TEST(testAliasIsDroppedWhenRequiredIdentitiesAreMissing);
	// group-identify.feature
	CPPUNIT_TEST(testGroupIdentifyEmitsAGroupProfileUpdateEvent);
	CPPUNIT_TEST(testGroupIdentifyRequiresTypeAndKey);
	// flush.feature
	CPPUNIT_TEST(testFlushImmediatelySendsQueuedEvents);
	CPPUNIT_TEST(testFlushIsSafeWhenTheQueueIsEmpty);
	CPPUNIT_TEST(testFlushKeepsEventsRetryableWhenDeliveryFails);
	// shutdown.feature
	CPPUNIT_TEST(testShutdownFlushesQueuedEventsAndDisablesFutureWork);
	CPPUNIT_TEST(testShutdownIsIdempotent);
	CPPUNIT_TEST(testShutdownHonorsDeliveryFailuresWithoutCrashing);
	// event-batcher.feature
	CPPUNIT_TEST(testBatcherFlushesWhenBatchSizeThresholdIsReached);
	CPPUNIT_TEST(testBatcherFlushesWhenIntervalElapses);
	CPPUNIT_TEST(testBatcherPreservesFifoOrderWithinABatch);
	// retry-queue.feature
	CPPUNIT_TEST(testRetryQueueKeepsEventsAfterTransientFailure);
	CPPUNIT_TEST(testRetryQueueDeliversEventsAfterALaterSuccess);
	CPPUNIT_TEST(testRetryQueueDropsOrBoundsEventsWhenCapacityIsExceeded);
	CPPUNIT_TEST(testEventsCapturedWhileAFullQueueIsFlushingArePreservedNotDropped);
	// http-client.feature (event delivery)
	CPPUNIT_TEST(testHttpClientSendsIngestionRequestsWithAuthenticationAndJsonPayload);
	CPPUNIT_TEST(testHttpClientTreatsSuccessfulStatusCodesAsDelivered);
	CPPUNIT_TEST(testHttpClientReportsRetryableFailuresWithoutThrowingToCaptureCallers);
	// before-send-hook.feature
	CPPUNIT_TEST(testBeforeSendCanMutateAnAssembledEventBeforeEnqueue);
	CPPUNIT_TEST(testBeforeSendCanDropAnEvent);
	CPPUNIT_TEST(testBeforeSendExceptionsStopTheChainAndDropTransformedEvents);
	CPPUNIT_TEST_SUITE_END();

public:
	// ---- capture.feature

	void testServerCaptureRequiresAnExplicitDistinctId()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		std::string uuid = client.capture("user-123", "Signed Up", {{"source", "api"}});
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("Signed Up"), str(events[0], "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("api"), str(props(events[0]), "source"));
		CPPUNIT_ASSERT(!str(props(events[0]), "$lib").empty());
		CPPUNIT_ASSERT_EQUAL(uuid, str(events[0], "uuid"));
		// And without one, nothing is enqueued.
		CPPUNIT_ASSERT(client.capture("", "Signed Up", {{"source", "api"}}).empty());
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.count(ClientError::InvalidInput));
	}

	void testCaptureHonorsOptOutStateAtRunTime()
	{
		// The same scenario with the run-time switch: optOut() silences every call, optIn()
		// restores capture; nothing captured while opted out is ever sent.
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(!client.isOptedOut());
		client.optOut();
		CPPUNIT_ASSERT(client.isOptedOut());
		CPPUNIT_ASSERT(client.capture("user-123", "Ignored Event").empty());
		CPPUNIT_ASSERT(!client.identify("user-123", {{"email", "a@example.com"}}));
		CPPUNIT_ASSERT(client.pageview("user-123", "https://example.com").empty());
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().enqueued);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		client.optIn();
		CPPUNIT_ASSERT(!client.isOptedOut());
		CPPUNIT_ASSERT(!client.capture("user-123", "Counted Event").empty());
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("Counted Event"), events[0]->getValue<std::string>("event"));
	}

	void testCaptureHonorsOptOutState()
	{
		// "analytics capture is opted out": a server client has no per-user opt-out; ours is
		// posthog.enabled = false.
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.enabled = false;
		Client client(o);
		CPPUNIT_ASSERT(client.capture("user-123", "Ignored Event").empty());
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().enqueued);
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}

	void testCaptureCanBeModifiedOrDroppedByBeforeSend()
	{
		// "before-send is changed to drop every event": our hooks are fixed at construction, so
		// the hook itself switches behaviour.
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		std::atomic<bool> dropEverything{false};
		o.middleware.addFunction("before_send",
		                         [&dropEverything](Message& m)
		                         {
			                         if (dropEverything)
				                         return false;
			                         m.properties().set("filtered", "yes");
			                         return true;
		                         });
		Client client(o);
		client.capture("user-123", "Filtered Event");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"Filtered Event"}) == eventNames(events));
		CPPUNIT_ASSERT_EQUAL(std::string("yes"), str(props(events[0]), "filtered"));
		dropEverything = true;
		client.capture("user-123", "Dropped Event");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"Filtered Event"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
	}

	void testCaptureDropsAnImmediatelyDeliveredEventWhenBeforeSendThrows()
	{
		// "capture is configured for immediate delivery": posthog.syncMode.
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		ClientOptions o = specOptions(server, errors);
		o.syncMode = true;
		o.middleware.addFunction("before_send",
		                         [](Message&) -> bool { throw std::runtime_error("hook failed"); });
		Client client(o);
		std::string uuid;
		CPPUNIT_ASSERT_NO_THROW(uuid = client.capture("user-123", "Sensitive Event"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().droppedByReason["stage:before_send"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.count(ClientError::StageError));
		CPPUNIT_ASSERT(log.count(Poco::Message::PRIO_WARNING, "hook failed") >= 1);
	}

	// ---- identify.feature

	void testServerIdentifySendsAProfileUpdateForExplicitDistinctId()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(client.identify("user-123", {{"email", "user@test.test"}}));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"$identify"}) == eventNames(events));
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user@test.test"),
		                     str(props(events[0])->getObject("$set"), "email"));
	}

	void testIdentifyValidatesDistinctId()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(!client.identify("", {{"email", "user@test.test"}}));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.count(ClientError::InvalidInput));
	}

	// ---- alias.feature

	void testServerAliasLinksExplicitPreviousAndNewIdentities()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(client.alias("anon-123", "user-123"));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"$create_alias"}) == eventNames(events));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-123"), str(events[0], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), str(props(events[0]), "alias"));
	}

	void testAliasIsDroppedWhenRequiredIdentitiesAreMissing()
	{
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(!client.alias("", "user-123"));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.count(ClientError::InvalidInput));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), log.count(Poco::Message::PRIO_WARNING, "alias rejected"));
	}

	// ---- group-identify.feature

	void testGroupIdentifyEmitsAGroupProfileUpdateEvent()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(client.groupIdentify("company", "company-123", {{"plan", "pro"}}));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"$groupidentify"}) == eventNames(events));
		auto p = props(events[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("company"), str(p, "$group_type"));
		CPPUNIT_ASSERT_EQUAL(std::string("company-123"), str(p, "$group_key"));
		// The scenario's "plan" is the group property: on the wire it sits in $group_set.
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(p->getObject("$group_set"), "plan"));
	}

	void testGroupIdentifyRequiresTypeAndKey()
	{
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(!client.groupIdentify("company", ""));
		CPPUNIT_ASSERT(!client.groupIdentify("", "company-123"));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), errors.count(ClientError::InvalidInput));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2),
		                     log.count(Poco::Message::PRIO_WARNING, "group identify rejected"));
	}

	// ---- flush.feature

	void testFlushImmediatelySendsQueuedEvents()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors)); // batch.interval 60 s: only flush sends
		client.capture("user-123", "First");
		client.capture("user-123", "Second");
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(start.elapsed() < 5 * 1000 * 1000);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT((std::vector<std::string>{"First", "Second"}) == eventNames(requests[0].events));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().queued);
	}

	void testFlushIsSafeWhenTheQueueIsEmpty()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		Client::FlushResult result = Client::FlushResult::TimedOut;
		CPPUNIT_ASSERT_NO_THROW(result = client.flush(kFlushTimeout));
		CPPUNIT_ASSERT(result == Client::FlushResult::Delivered);
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}

	void testFlushKeepsEventsRetryableWhenDeliveryFails()
	{
		// flush(timeout) returns TimedOut while the 503'd batch waits for its retry; the event
		// stays pending (neither delivered, failed nor dropped) and is delivered later.
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		client.capture("user-123", "Save");
		server.failNext(1, 503, "1");
		Client::FlushResult result = Client::FlushResult::Delivered;
		CPPUNIT_ASSERT_NO_THROW(result = client.flush(Poco::Timespan(300 * 1000)));
		CPPUNIT_ASSERT(result == Client::FlushResult::TimedOut);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.delivered + stats.failed + stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(503, server.requests()[0].status);
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(server.events()));
	}

	// ---- shutdown.feature

	void testShutdownFlushesQueuedEventsAndDisablesFutureWork()
	{
		CaptureServer server;
		ErrorRecorder errors;
		StartedThreads workers;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(workers.started() > 0); // the client's worker and sender
		client.capture("user-123", "Save");
		CPPUNIT_ASSERT(client.shutdown(kFlushTimeout));
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().queued);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), workers.alive()); // background workers stopped
		CPPUNIT_ASSERT(client.capture("user-123", "After Shutdown").empty());
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(server.events()));
	}

	void testShutdownIsIdempotent()
	{
		CaptureServer server;
		ErrorRecorder errors;
		StartedThreads workers;
		Client client(specOptions(server, errors));
		CPPUNIT_ASSERT(workers.started() > 0);
		CPPUNIT_ASSERT_NO_THROW(client.shutdown(kFlushTimeout));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), workers.alive());
		bool again = false;
		CPPUNIT_ASSERT_NO_THROW(again = client.shutdown(kFlushTimeout));
		CPPUNIT_ASSERT(again);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), workers.alive());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}

	void testShutdownHonorsDeliveryFailuresWithoutCrashing()
	{
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		Client client(specOptions(server, errors));
		client.capture("user-123", "Save");
		server.failNext(1, 503);
		CPPUNIT_ASSERT_NO_THROW(client.shutdown(kFlushTimeout));
		// The delivery warning: the 503 is logged with the retry it caused.
		CPPUNIT_ASSERT(log.count(Poco::Message::PRIO_WARNING, "HTTP 503") >= 1);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().retried);
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(server.events()));
	}

	// ---- event-batcher.feature

	void testBatcherFlushesWhenBatchSizeThresholdIsReached()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.batchSize = 2; // "flush at is 2"
		Client client(o);
		client.capture("user-123", "First");
		client.capture("user-123", "Second");
		CPPUNIT_ASSERT(server.waitForEvents(2, 10000)); // no flush() call
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT((std::vector<std::string>{"First", "Second"}) == eventNames(requests[0].events));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().queued);
	}

	void testBatcherFlushesWhenIntervalElapses()
	{
		// The scenario advances a fake clock by the 10 s interval; ours is the real clock, so
		// the interval is 300 ms and the event must not go before it.
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.batchInterval = Poco::Timespan(300 * 1000);
		Client client(o);
		Poco::Timestamp start;
		client.capture("user-123", "Delayed");
		CPPUNIT_ASSERT(server.waitForEvents(1, 10000)); // no flush() call
		CPPUNIT_ASSERT(start.elapsed() >= 290 * 1000);
		CPPUNIT_ASSERT((std::vector<std::string>{"Delayed"}) == eventNames(server.events()));
	}

	void testBatcherPreservesFifoOrderWithinABatch()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.batchSize = 3;
		Client client(o);
		client.capture("user-123", "First");
		client.capture("user-123", "Second");
		client.capture("user-123", "Third");
		CPPUNIT_ASSERT(server.waitForEvents(3, 10000));
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		CPPUNIT_ASSERT((std::vector<std::string>{"First", "Second", "Third"}) ==
		               eventNames(requests[0].events));
	}

	// ---- retry-queue.feature

	void testRetryQueueKeepsEventsAfterTransientFailure()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		server.failNext(1, 503, "1");
		client.capture("user-123", "Retry Me");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(300 * 1000)) == Client::FlushResult::TimedOut);
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.retried);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.delivered + stats.failed + stats.dropped);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size());
	}

	void testRetryQueueDeliversEventsAfterALaterSuccess()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		server.failNext(1, 503);
		client.capture("user-123", "Retry Me");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"Retry Me"}) == eventNames(server.events()));
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.queued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.requests);
	}

	void testRetryQueueDropsOrBoundsEventsWhenCapacityIsExceeded()
	{
		// "retry queue capacity is 2": what is held while delivery fails is bounded by
		// posthog.queue.capacity (2) plus what the delivery side holds: the batch being retried,
		// the hand-off (2 x connections batches) and what the worker took from the queue (it
		// takes everything queued, up to the capacity, and waits to hand off the first of it), so
		// at most 2 + 1 + 2 + 2 events of one event per batch. Everything past that is dropped with a
		// capacity warning; everything held is delivered once PostHog is back.
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		ClientOptions o = specOptions(server, errors);
		o.queueCapacity = 2;
		o.batchSize = 1;
		o.connections = 1;
		o.maxRetries = 100;
		server.failNext(1000, 503);
		Client client(o);
		std::vector<std::string> held;
		for (int i = 0; i < 40; ++i)
		{
			std::string name = "e" + std::to_string(i);
			if (!client.capture("user-123", name).empty())
				held.push_back(name);
			if (i == 0)
				CPPUNIT_ASSERT(server.waitForRequests(1, 5000)); // the first batch is retrying
		}
		CPPUNIT_ASSERT_MESSAGE("held " + std::to_string(held.size()), held.size() >= 2 && held.size() <= 7);
		CPPUNIT_ASSERT(eventNames(server.events()).empty());
		server.reset(); // PostHog is back
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		// The worker reports the drops when it is free again (it waits on the hand-off meanwhile).
		CPPUNIT_ASSERT(errors.waitFor(ClientError::QueueFull, 1, 5000));
		CPPUNIT_ASSERT(log.count(Poco::Message::PRIO_WARNING, "queue was full") >= 1);
		CPPUNIT_ASSERT(held == eventNames(server.events())); // nothing held was lost, in order
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(40 - held.size()), client.statistics().dropped);
	}

	void testEventsCapturedWhileAFullQueueIsFlushingArePreservedNotDropped()
	{
		// "retry queue capacity is 3": posthog.queue.capacity = 3. The first batch is held at the
		// server while more events are captured until the client refuses one, so the queue (and
		// everything behind it) really is full while the flush is in flight.
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.queueCapacity = 3;
		o.batchSize = 3;
		o.connections = 1;
		server.setDelay(1500);
		Client client(o);
		for (int i = 1; i <= 3; ++i)
			CPPUNIT_ASSERT(!client.capture("user-123", "initial-" + std::to_string(i)).empty());
		Client::FlushResult first = Client::FlushResult::TimedOut;
		std::thread flusher([&] { first = client.flush(kFlushTimeout); });
		CPPUNIT_ASSERT(server.waitForRequests(1, 5000)); // the first batch is at the server
		std::vector<std::string> replacements;
		bool refused = false;
		for (int i = 1; i <= 100 && !refused; ++i)
		{
			std::string name = "replacement-" + std::to_string(i);
			if (client.capture("user-123", name).empty())
				refused = true;
			else
				replacements.push_back(name);
		}
		CPPUNIT_ASSERT(refused);                  // the queue was full
		CPPUNIT_ASSERT(replacements.size() >= 3); // and held at least its capacity
		server.setDelay(0);
		flusher.join();
		CPPUNIT_ASSERT(first == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT(!requests.empty());
		CPPUNIT_ASSERT((std::vector<std::string>{"initial-1", "initial-2", "initial-3"}) ==
		               eventNames(requests[0].events));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		std::vector<std::string> later;
		for (std::size_t i = 1; i < server.requests().size(); ++i)
		{
			for (const auto& name : eventNames(server.requests()[i].events))
				later.push_back(name);
		}
		CPPUNIT_ASSERT(replacements == later); // every accepted replacement, none twice, in order
	}

	// ---- http-client.feature (event delivery)

	void testHttpClientSendsIngestionRequestsWithAuthenticationAndJsonPayload()
	{
		// "host https://mock.posthog.test": the loopback server plays that host.
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		client.capture("user-123", "Save");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto requests = server.requests();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
		const auto& r = requests[0];
		CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
		CPPUNIT_ASSERT_EQUAL(std::string("/batch/"), r.path);
		CPPUNIT_ASSERT_EQUAL(std::string("test-token"), r.apiKey);
		CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.headers.at("Content-Type"));
		CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(r.headers.at("User-Agent").find("posthog-cpp/")));
		CPPUNIT_ASSERT(r.body.find("\"Save\"") != std::string::npos);
		CPPUNIT_ASSERT((std::vector<std::string>{"Save"}) == eventNames(r.events));
	}

	void testHttpClientTreatsSuccessfulStatusCodesAsDelivered()
	{
		CaptureServer server;
		ErrorRecorder errors;
		Client client(specOptions(server, errors));
		client.capture("user-123", "Save");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered); // 200
		CaptureServer::Fault accepted;
		accepted.status = 202;
		accepted.body = "{\"status\":1}";
		server.failNext(1, accepted);
		client.capture("user-123", "Save again");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered); // any 2xx
		auto stats = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats.delivered);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.queued);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.retried);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
	}

	void testHttpClientReportsRetryableFailuresWithoutThrowingToCaptureCallers()
	{
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		Client client(specOptions(server, errors));
		server.failNext(1, 503, "1");
		std::string uuid;
		CPPUNIT_ASSERT_NO_THROW(uuid = client.capture("user-123", "Retry Me"));
		CPPUNIT_ASSERT(!uuid.empty());
		Client::FlushResult result = Client::FlushResult::Delivered;
		CPPUNIT_ASSERT_NO_THROW(result = client.flush(Poco::Timespan(300 * 1000)));
		CPPUNIT_ASSERT(result == Client::FlushResult::TimedOut);
		CPPUNIT_ASSERT(log.count(Poco::Message::PRIO_WARNING, "HTTP 503") >= 1);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().delivered);
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"Retry Me"}) == eventNames(server.events()));
	}

	// ---- before-send-hook.feature

	void testBeforeSendCanMutateAnAssembledEventBeforeEnqueue()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		std::string seenUuid;
		std::string seenDistinctId;
		o.middleware.addFunction("before_send",
		                         [&](Message& m)
		                         {
			                         // Assembled: identity, uuid and timestamp are already set.
			                         seenUuid = m.uuid().toString();
			                         seenDistinctId = m.distinctId();
			                         m.properties().set("privacy", "filtered");
			                         return true;
		                         });
		Client client(o);
		std::string uuid = client.capture("user-123", "Checkout Started");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT((std::vector<std::string>{"Checkout Started"}) == eventNames(events));
		CPPUNIT_ASSERT_EQUAL(std::string("filtered"), str(props(events[0]), "privacy"));
		CPPUNIT_ASSERT_EQUAL(uuid, seenUuid);
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), seenDistinctId);
	}

	void testBeforeSendCanDropAnEvent()
	{
		CaptureServer server;
		ErrorRecorder errors;
		ClientOptions o = specOptions(server, errors);
		o.middleware.addFunction("before_send", [](Message& m) { return m.event() != "Secret Event"; });
		Client client(o);
		client.capture("user-123", "Secret Event");
		client.capture("user-123", "Public Event");
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT((std::vector<std::string>{"Public Event"}) == eventNames(server.events()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().droppedByReason["stage:before_send"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), errors.all().size()); // a drop is not an error
	}

	void testBeforeSendExceptionsStopTheChainAndDropTransformedEvents()
	{
		CaptureServer server;
		ErrorRecorder errors;
		LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION);
		ClientOptions o = specOptions(server, errors);
		std::atomic<int> finalInvoked{0};
		o.middleware.addFunction("transform",
		                         [](Message& m)
		                         {
			                         m.properties().set("transformed", true);
			                         return true;
		                         });
		o.middleware.addFunction("explode",
		                         [](Message&) -> bool { throw std::runtime_error("hook chain broke"); });
		o.middleware.addFunction("record",
		                         [&finalInvoked](Message&)
		                         {
			                         ++finalInvoked;
			                         return true;
		                         });
		Client client(o);
		std::string uuid;
		CPPUNIT_ASSERT_NO_THROW(uuid = client.capture("user-123", "Safe Event"));
		CPPUNIT_ASSERT(client.flush(kFlushTimeout) == Client::FlushResult::Delivered);
		Poco::Thread::sleep(50);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(0, finalInvoked.load());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.count(ClientError::StageError));
		CPPUNIT_ASSERT(log.count(Poco::Message::PRIO_WARNING, "hook chain broke") >= 1);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), client.statistics().droppedByReason["stage:explode"]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpecScenariosTest);
