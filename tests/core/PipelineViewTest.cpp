//
// PipelineViewTest.cpp
//
// Client::pipeline() is a read-only view that is safe to use while the worker runs: another
// thread reads stage names, sizes and statistics and sets an observer while events flow.
// Run under ThreadSanitizer by scripts/ci-extra.sh (tsan stage).
//

#include "CaptureServer.h"
#include "PostHog/Client.h"
#include "PostHog/Pipeline.h"
#include "TestOptions.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace PostHog;
using PostHogTest::CaptureServer;

namespace
{

// Reading through the view compiles; changing the chain through it does not.
using View = decltype(std::declval<Client&>().pipeline());
static_assert(std::is_same<View, const Pipeline&>::value, "Client::pipeline() is a const view");

class CountingObserver : public Pipeline::Observer
/// Counts the stage results it sees, from the worker thread.
{
public:
	void stageDone(const std::string&, const Message&, const Message&, const Middleware::Result&,
	               const std::string&) override
	{
		_calls.fetch_add(1, std::memory_order_relaxed);
	}
	std::size_t calls() const { return _calls.load(std::memory_order_relaxed); }

private:
	std::atomic<std::size_t> _calls{0};
};

ClientOptions twoStageOptions(const CaptureServer& server)
{
	ClientOptions o = PostHogTest::testOptions(server.url());
	o.batchSize = 10;
	o.middleware.addFunction("tag",
	                         [](Message& m)
	                         {
		                         m.properties().set("tagged", true);
		                         return true;
	                         });
	o.middleware.addFunction("odd", [](Message& m) { return m.properties().get("n").getInt() % 2 == 0; });
	return o;
}

} // namespace

class PipelineViewTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PipelineViewTest);
	CPPUNIT_TEST(testReadsWhileTheWorkerRuns);
	CPPUNIT_TEST(testObserverSetThroughTheView);
	CPPUNIT_TEST_SUITE_END();

public:
	void testReadsWhileTheWorkerRuns()
	{
		CaptureServer server;
		Client client(twoStageOptions(server));
		const int events = 400;
		std::atomic<bool> done{false};
		std::atomic<int> reads{0};
		std::string wrong;
		auto readLoop = [&]
		{
			// Each counter has one writer (the worker) and only grows; the counters of one
			// snapshot are read one after another, so they are not compared with each other.
			std::vector<std::uint64_t> lastIn(2, 0);
			while (!done.load())
			{
				const Pipeline& view = client.pipeline();
				std::vector<std::string> names = view.stageNames();
				if (names != std::vector<std::string>{"tag", "odd"} || view.size() != 2)
					wrong = "stages read as " + std::to_string(names.size()) + " names";
				auto stats = view.statistics();
				for (std::size_t i = 0; i < stats.size() && i < lastIn.size(); ++i)
				{
					if (stats[i].in < lastIn[i])
						wrong = "stage " + stats[i].name + " counted fewer messages than before";
					lastIn[i] = stats[i].in;
				}
				reads.fetch_add(1);
			}
		};
		std::thread t(readLoop);
		for (int i = 0; i < events; ++i)
			client.capture("user-" + std::to_string(i % 7), "view test", {{"n", i}});
		CPPUNIT_ASSERT(client.flush() == Client::FlushResult::Delivered);
		done = true;
		t.join();

		CPPUNIT_ASSERT_MESSAGE(wrong, wrong.empty());
		CPPUNIT_ASSERT(reads.load() > 0);
		auto stats = client.pipeline().statistics();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), stats.size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(events), stats[0].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(events), stats[0].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(events), stats[1].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(events / 2), stats[1].dropped);
		CPPUNIT_ASSERT(server.waitForEvents(events / 2, 10000));
		CPPUNIT_ASSERT_EQUAL(std::size_t(events / 2), server.eventCount());
	}

	void testObserverSetThroughTheView()
	{
		CaptureServer server;
		Client client(twoStageOptions(server));
		CountingObserver observer;
		client.capture("user-1", "before", {{"n", 0}});
		client.pipeline().setObserver(&observer); // from this thread, while the worker runs
		for (int i = 0; i < 10; ++i)
			client.capture("user-1", "watched", {{"n", 2 * i}});
		CPPUNIT_ASSERT(client.flush() == Client::FlushResult::Delivered);
		client.pipeline().setObserver(nullptr);
		// Every watched event passed both stages; "before" may or may not have been seen.
		CPPUNIT_ASSERT(observer.calls() >= 20);
		CPPUNIT_ASSERT(observer.calls() <= 22);
		CPPUNIT_ASSERT(client.shutdown());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PipelineViewTest);
