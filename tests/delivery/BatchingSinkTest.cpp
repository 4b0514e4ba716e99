//
// BatchingSinkTest.cpp
//
// Batching, 413 splitting and retries of BatchingSink against an in-process Transport that
// answers from a script (the loopback HTTP tests in tests/core cover the same over a socket).
//

#include "delivery/BatchingSink.h"
#include "ErrorRecorder.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Logger.h"
#include "Poco/Mutex.h"
#include "PostHog/Message.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/DeliveryTracker.h"
#include "encoding/PropertiesAccess.h"
#include <cppunit/extensions/HelperMacros.h>
#include <deque>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

struct Script
/// What the in-process endpoint answers (front first; 200 once empty) and what it received.
{
	Poco::FastMutex mutex;
	std::deque<int> statuses;
	std::vector<std::vector<std::string>> requests; // event names per request
	std::size_t maxEventsAccepted = 0;              // > 0: larger batches get 413
};

class ScriptedTransport : public Transport
{
public:
	explicit ScriptedTransport(Script& script) : _script(script) {}

	Response post(const std::string& body, bool gzipped) override
	{
		CPPUNIT_ASSERT(!gzipped);
		Poco::JSON::Object::Ptr request = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
		Poco::JSON::Array::Ptr batch = request->getArray("batch");
		std::vector<std::string> names;
		for (std::size_t i = 0; i < batch->size(); ++i)
			names.push_back(batch->getObject(static_cast<unsigned>(i))->getValue<std::string>("event"));
		Poco::FastMutex::ScopedLock lock(_script.mutex);
		_script.requests.push_back(names);
		Response response;
		response.status = 200;
		if (_script.maxEventsAccepted && names.size() > _script.maxEventsAccepted)
			response.status = 413;
		else if (!_script.statuses.empty())
		{
			response.status = _script.statuses.front();
			_script.statuses.pop_front();
		}
		if (response.status == 0)
			response.error = "connection refused";
		return response;
	}

private:
	Script& _script;
};

struct Fixture
{
	explicit Fixture(int batchSize = 10, int maxRetries = 3)
	{
		options.apiKey = "phc_test";
		options.host = "http://in-process.invalid";
		options.gzip = false;
		options.batchSize = static_cast<std::size_t>(batchSize);
		options.maxRetries = maxRetries;
		options.retryBaseDelay = Poco::Timespan(0);
	}

	BatchingSink& sink()
	{
		if (!_sink)
			_sink.reset(new BatchingSink(
			    options, counters, reporter, tracker,
			    [this] { return std::unique_ptr<Transport>(new ScriptedTransport(script)); }));
		return *_sink;
	}

	Message message(int i)
	{
		Message m(Message::Type::Capture, "e" + std::to_string(i), "user");
		PostHog::PropertiesAccess::setSequence(m, static_cast<std::uint64_t>(i + 1));
		return m;
	}

	std::size_t eventsReceived()
	{
		std::size_t n = 0;
		for (const auto& r : script.requests)
			n += r.size();
		return n;
	}

	ClientOptions options;
	ClientCounters counters;
	ErrorRecorder errors;
	Reporter reporter{Poco::Logger::get("BatchingSinkTest"), errors.callback(), "phc_test"};
	DeliveryTracker tracker;
	Script script;
	std::unique_ptr<BatchingSink> _sink;
};

} // namespace

class BatchingSinkTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(BatchingSinkTest);
	CPPUNIT_TEST(testFullBatchesAndTheOpenOneOnDispatch);
	CPPUNIT_TEST(test413SplitsUntilEveryHalfFits);
	CPPUNIT_TEST(test413OnOneEventFails);
	CPPUNIT_TEST(testTransientStatusesAreRetried);
	CPPUNIT_TEST(testRetriesExhaustedFailTheBatch);
	CPPUNIT_TEST(testFinalStatusIsNotRetried);
	CPPUNIT_TEST(testEventOverTheLimitIsDroppedOnce);
	CPPUNIT_TEST_SUITE_END();

public:
	void testFullBatchesAndTheOpenOneOnDispatch()
	{
		Fixture f(10);
		f.sink().start();
		for (int i = 0; i < 25; ++i)
			f.sink().append(f.message(i));
		CPPUNIT_ASSERT(f.sink().dispatchOpen());
		CPPUNIT_ASSERT(!f.sink().dispatchOpen());
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.script.requests.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(10), f.script.requests[0].size());
		CPPUNIT_ASSERT_EQUAL(std::string("e0"), f.script.requests[0][0]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), f.script.requests[2].size());
		CPPUNIT_ASSERT_EQUAL(std::string("e24"), f.script.requests[2][4]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(25), f.counters.delivered.load());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), f.counters.requests.load());
	}

	void test413SplitsUntilEveryHalfFits()
	{
		Fixture g(8);
		g.script.maxEventsAccepted = 2;
		g.sink().start();
		for (int i = 0; i < 8; ++i)
			g.sink().append(g.message(i));
		g.sink().stop();
		// 8 -> 413, 4 -> 413 (twice), then four requests of 2.
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), g.script.requests.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(8 + 4 + 4 + 8), g.eventsReceived());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(8), g.counters.delivered.load());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), g.counters.failed.load());
		std::vector<std::string> order;
		for (const auto& r : g.script.requests)
			if (r.size() <= 2)
				order.insert(order.end(), r.begin(), r.end());
		for (int i = 0; i < 8; ++i)
			CPPUNIT_ASSERT_EQUAL("e" + std::to_string(i), order[static_cast<std::size_t>(i)]);
	}

	void test413OnOneEventFails()
	{
		Fixture f(1);
		f.script.statuses = {413};
		f.sink().start();
		f.sink().append(f.message(0));
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), f.counters.failed.load());
		CPPUNIT_ASSERT(f.errors.mentions("too large (HTTP 413)"));
	}

	void testTransientStatusesAreRetried()
	{
		Fixture f(5, 5);
		f.script.statuses = {503, 0, 429, 408};
		f.sink().start();
		for (int i = 0; i < 5; ++i)
			f.sink().append(f.message(i));
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), f.script.requests.size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), f.counters.retried.load());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), f.counters.delivered.load());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.errors.lostEvents());
	}

	void testRetriesExhaustedFailTheBatch()
	{
		Fixture f(2, 2);
		f.script.statuses = {500, 500, 500, 500};
		f.sink().start();
		f.sink().append(f.message(0));
		f.sink().append(f.message(1));
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.script.requests.size()); // the first attempt and 2 retries
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), f.counters.failed.load());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.errors.events(ClientError::DeliveryFailed));
		CPPUNIT_ASSERT(f.errors.mentions("after 3 attempts"));
	}

	void testFinalStatusIsNotRetried()
	{
		Fixture f(1);
		f.script.statuses = {400};
		f.sink().start();
		f.sink().append(f.message(0));
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.script.requests.size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), f.counters.failed.load());
		CPPUNIT_ASSERT(f.errors.mentions("HTTP 400"));
	}

	void testEventOverTheLimitIsDroppedOnce()
	{
		Fixture f(10);
		Message big = f.message(0);
		big.properties().set("blob", std::string(BatchingSink::kMaxEventBytes, 'x'));
		f.sink().start();
		f.sink().append(big);
		f.sink().append(f.message(1));
		f.sink().dispatchOpen();
		CPPUNIT_ASSERT(!f.sink().sendNow(big));
		f.sink().stop();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.errors.count(ClientError::TooLarge));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.script.requests.size());
		CPPUNIT_ASSERT_EQUAL(std::string("e1"), f.script.requests[0][0]);
		Poco::FastMutex::ScopedLock lock(f.counters.mutex);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), f.counters.dropped["too_large"]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(BatchingSinkTest);
