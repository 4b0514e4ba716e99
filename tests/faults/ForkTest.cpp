//
// ForkTest.cpp
//
// fork() with a live client: the child gets a working client of its own (fresh queue and
// worker, started on first use) and the parent's queued events are sent once, by the parent.
//

#include "FaultSupport.h"
#include "PostHog/Exceptions.h"
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

int childExit(pid_t pid)
{
	int status = 0;
	if (::waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::map<std::string, int> countByEvent(const CaptureServer& server)
{
	std::map<std::string, int> out;
	for (const auto& e : server.events())
		out[e->getValue<std::string>("event").substr(0, e->getValue<std::string>("event").find('-'))] += 1;
	return out;
}

} // namespace

class ForkTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ForkTest);
	CPPUNIT_TEST(testChildGetsItsOwnClientAndParentEventsAreSentOnce);
	CPPUNIT_TEST(testChildWithSpoolLeavesParentsLockAndSpool);
	CPPUNIT_TEST(testChildThatNeverCapturesExitsCleanly);
	CPPUNIT_TEST_SUITE_END();

public:
	void testChildGetsItsOwnClientAndParentEventsAreSentOnce()
	{
		CaptureServer server;
		Errors errors;
		ClientOptions o = faultOptions(server.url());
		o.onError = errors.callback();
		o.batchSize = 10;
		Client client(o);
		// Ten go out as a batch; the rest wait in the open batch or the queue (batch.interval
		// is 60 s) when fork() copies them into the child's memory.
		captureMany(client, 15, "parent");
		CPPUNIT_ASSERT(server.waitForEvents(10, 5000));
		captureMany(client, 5, "parentq");
		pid_t pid = ::fork();
		if (pid == 0)
		{
			int code = 0;
			auto uuids = captureMany(client, 7, "child");
			for (const auto& u : uuids)
				code |= u.empty() ? 2 : 0;
			if (client.flush(Poco::Timespan(10, 0)) != Client::FlushResult::Delivered)
				code |= 4;
			if (client.statistics().delivered != 7)
				code |= 8;
			client.shutdown(Poco::Timespan(5, 0));
			::_exit(code);
		}
		CPPUNIT_ASSERT(pid > 0);
		CPPUNIT_ASSERT_EQUAL(0, childExit(pid));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto counts = countByEvent(server);
		CPPUNIT_ASSERT_EQUAL(15, counts["parent"]);
		CPPUNIT_ASSERT_EQUAL(5, counts["parentq"]);
		CPPUNIT_ASSERT_EQUAL(7, counts["child"]);
		std::size_t total = 0;
		CPPUNIT_ASSERT_EQUAL(std::size_t(27), uuidsAt(server, &total).size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(27), total);
		// The parent goes on as before.
		captureMany(client, 3, "after");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(30, static_cast<int>(server.eventCount()));
	}

	void testChildWithSpoolLeavesParentsLockAndSpool()
	{
		CaptureServer server;
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		ClientOptions o = faultOptions(server.url());
		o.onError = errors.callback();
		o.spoolPath = dir.file("spool");
		o.batchSize = 10;
		Client client(o);
		captureMany(client, 10, "parent");
		CPPUNIT_ASSERT(waitUntil([&] { return client.statistics().spooled == 10; }, 5000));
		captureMany(client, 5, "parentq"); // queued, not yet spooled
		pid_t pid = ::fork();
		if (pid == 0)
		{
			int code = 0;
			auto uuids = captureMany(client, 4, "child");
			if (client.flush(Poco::Timespan(10, 0)) != Client::FlushResult::Delivered)
				code |= 4;
			if (client.statistics().spooled != 0) // the child runs without the parent's spool
				code |= 8;
			// The directory is still locked by the parent: a client of our own cannot open it.
			try
			{
				Client other(o);
				code |= 16;
			}
			catch (ConfigurationException&)
			{
			}
			client.shutdown(Poco::Timespan(5, 0));
			::_exit(code);
		}
		CPPUNIT_ASSERT_EQUAL(0, childExit(pid));
		// The child closed its copies without unlocking: the parent still holds the lock.
		try
		{
			Client other(o);
			CPPUNIT_FAIL("the spool lock was released by the child");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(std::string(e.message()).find("in use by another live process") !=
			               std::string::npos);
		}
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto counts = countByEvent(server);
		CPPUNIT_ASSERT_EQUAL(10, counts["parent"]);
		CPPUNIT_ASSERT_EQUAL(5, counts["parentq"]);
		CPPUNIT_ASSERT_EQUAL(4, counts["child"]);
		std::size_t total = 0;
		CPPUNIT_ASSERT_EQUAL(std::size_t(19), uuidsAt(server, &total).size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(19), total);
		CPPUNIT_ASSERT(client.shutdown());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().spoolPending);
	}

	void testChildThatNeverCapturesExitsCleanly()
	{
		CaptureServer server;
		ClientOptions o = faultOptions(server.url());
		auto client = std::make_unique<Client>(o);
		captureMany(*client, 5, "parent");
		pid_t pid = ::fork();
		if (pid == 0)
		{
			// The destructor runs shutdown(): it must neither hang on the parent's threads nor
			// send the parent's events.
			client.reset();
			::_exit(0);
		}
		CPPUNIT_ASSERT_EQUAL(0, childExit(pid));
		CPPUNIT_ASSERT(client->shutdown());
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), server.eventCount());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ForkTest);
