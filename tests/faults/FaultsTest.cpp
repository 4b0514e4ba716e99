//
// FaultsTest.cpp
//
// The fault matrix of issue 6 against the loopback CaptureServer. With the spool on, every
// case ends with exactly the captured uuids at the endpoint (zero lost). Without it, what is
// lost is exactly what the counters and the error callback report.
//

#include "FaultSupport.h"
#include "LoopbackListener.h"
#include "Poco/Environment.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "PostHog/Exceptions.h"
#include <cppunit/extensions/HelperMacros.h>
#include <iostream>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

const std::size_t N = 200;

ClientOptions spooled(const std::string& url, const TempDir& dir, Errors& errors)
{
	ClientOptions o = faultOptions(url);
	o.spoolPath = dir.file("spool");
	o.onError = errors.callback();
	return o;
}

ClientOptions unspooled(const std::string& url, Errors& errors)
{
	ClientOptions o = faultOptions(url);
	o.maxRetries = 2;
	o.onError = errors.callback();
	return o;
}

void settle(Client& client)
/// Wakes the worker (a flush that does not wait): the queue wakes it once per batch.size pushes,
/// and a remainder would otherwise wait for batch.interval (60 s here).
{
	client.flush(Poco::Timespan(0, 1000));
}

void assertAllArrived(const CaptureServer& server, const std::vector<std::string>& uuids)
/// Zero loss: every captured uuid is at the endpoint (duplicates allowed, counted apart).
{
	std::set<std::string> sent(uuids.begin(), uuids.end());
	CPPUNIT_ASSERT_EQUAL(uuids.size(), sent.size());
	auto got = uuidsAt(server);
	std::size_t missing = 0;
	for (const auto& u : sent)
		missing += got.count(u) ? 0 : 1;
	CPPUNIT_ASSERT_EQUAL(std::size_t(0), missing);
	CPPUNIT_ASSERT_EQUAL(sent.size(), got.size());
}

void assertAccounted(Client& client, const CaptureServer& server, const Errors& errors, std::size_t captured)
/// Without a spool: delivered + failed + dropped = captured; the error callback's events sum to
/// failed + dropped; the endpoint has exactly the delivered uuids.
{
	client.shutdown();
	auto s = client.statistics();
	CPPUNIT_ASSERT_EQUAL(std::uint64_t(captured), s.delivered + s.failed + s.dropped);
	CPPUNIT_ASSERT_EQUAL(std::size_t(s.failed + s.dropped), errors.lostEvents());
	CPPUNIT_ASSERT_EQUAL(std::size_t(s.delivered), uuidsAt(server).size());
}

class BlackHole
/// A listening socket that never accepts: connections complete in the kernel's backlog,
/// requests are never read, no answer ever comes (the "accepts and never answers" server).
{
public:
	explicit BlackHole(Poco::UInt16 port) : _socket(PostHogTest::listenOnLoopback(port, 64)) {}
	void close() { _socket.close(); }

private:
	Poco::Net::ServerSocket _socket;
};

std::string helperPath()
{
	return Poco::Path(Poco::Environment::get("POSTHOG_BINARY_DIR", "."), "bin/posthog-spool-capture")
	    .toString();
}

} // namespace

class FaultsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FaultsTest);
	CPPUNIT_TEST(testServerDownAtStartSpooled);
	CPPUNIT_TEST(testServerDownAtStartAccounted);
	CPPUNIT_TEST(testServerGoesAwayMidRunSpooled);
	CPPUNIT_TEST(testServerGoesAwayMidRunAccounted);
	CPPUNIT_TEST(test503StormSpooled);
	CPPUNIT_TEST(test503StormAccounted);
	CPPUNIT_TEST(test429RetryAfterSpooled);
	CPPUNIT_TEST(testResetBeforeReplySpooled);
	CPPUNIT_TEST(testResetBeforeReplyAccounted);
	CPPUNIT_TEST(testNeverAnswersSpooled);
	CPPUNIT_TEST(testNeverAnswersAccounted);
	CPPUNIT_TEST(testSlowServerSpooled);
	CPPUNIT_TEST(testShutdownWhileDownKeepsSpoolForNextStart);
	CPPUNIT_TEST(testMemoryBoundedWhileServerDown);
	CPPUNIT_TEST(testKilledMidBatchAndRestarted);
	CPPUNIT_TEST(testSecondLiveProcessRefused);
	CPPUNIT_TEST_SUITE_END();

public:
	void testServerDownAtStartSpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		Poco::UInt16 port = reservePort();
		Client client(spooled("http://127.0.0.1:" + std::to_string(port), dir, errors));
		auto uuids = captureMany(client, N);
		settle(client);
		CPPUNIT_ASSERT(waitUntil([&] { return client.statistics().spooled == N; }, 5000));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(0, 200 * 1000)) == Client::FlushResult::TimedOut);
		CaptureServer server(port);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		assertAllArrived(server, uuids);
		CPPUNIT_ASSERT(client.shutdown());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), client.statistics().spoolPending);
	}

	void testServerDownAtStartAccounted()
	{
		Errors errors;
		Poco::UInt16 port = reservePort();
		Client client(unspooled("http://127.0.0.1:" + std::to_string(port), errors));
		captureMany(client, N);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(0, 300 * 1000)) != Client::FlushResult::Delivered);
		CaptureServer server(port);
		captureMany(client, N, "late");
		client.flush(Poco::Timespan(10, 0));
		assertAccounted(client, server, errors, 2 * N);
		CPPUNIT_ASSERT(client.statistics().failed > 0); // the server really was down for some
		CPPUNIT_ASSERT(client.statistics().delivered > 0);
	}

	void testServerGoesAwayMidRunSpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		auto server = std::make_unique<CaptureServer>();
		Poco::UInt16 port = server->port();
		Client client(spooled(server->url(), dir, errors));
		auto uuids = captureMany(client, N);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto first = server->events();
		server->stop();
		auto more = captureMany(client, N, "while-away");
		uuids.insert(uuids.end(), more.begin(), more.end());
		settle(client);
		CPPUNIT_ASSERT(waitUntil([&] { return client.statistics().spooled == 2 * N; }, 5000));
		Poco::Thread::sleep(200);
		server.reset(new CaptureServer(port));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		std::set<std::string> got;
		for (const auto& e : first)
			got.insert(e->getValue<std::string>("uuid"));
		for (const auto& u : uuidsAt(*server))
			got.insert(u);
		CPPUNIT_ASSERT_EQUAL(uuids.size(), got.size());
		for (const auto& u : uuids)
			CPPUNIT_ASSERT(got.count(u));
	}

	void testServerGoesAwayMidRunAccounted()
	{
		Errors errors;
		auto server = std::make_unique<CaptureServer>();
		Client client(unspooled(server->url(), errors));
		captureMany(client, N);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		std::size_t before = server->eventCount();
		server->stop();
		captureMany(client, N, "while-away");
		client.flush(Poco::Timespan(10, 0));
		client.shutdown();
		auto s = client.statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * N), s.delivered + s.failed + s.dropped);
		CPPUNIT_ASSERT_EQUAL(std::size_t(s.failed + s.dropped), errors.lostEvents());
		CPPUNIT_ASSERT_EQUAL(std::size_t(s.delivered), before);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(N), s.failed);
	}

	void test503StormSpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		CaptureServer server;
		server.failNext(10, 503); // one sender backs off 5 ms, 10 ms, ... 2.5 s (more than maxRetries)
		Client client(spooled(server.url(), dir, errors));
		auto uuids = captureMany(client, N);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		assertAllArrived(server, uuids);
		CPPUNIT_ASSERT(client.statistics().retried >= 10);
	}

	void test503StormAccounted()
	{
		Errors errors;
		CaptureServer server;
		server.failNext(10, 503);
		Client client(unspooled(server.url(), errors));
		captureMany(client, N);
		client.flush(Poco::Timespan(10, 0));
		assertAccounted(client, server, errors, N);
		CPPUNIT_ASSERT(client.statistics().failed > 0);
		for (const auto& e : errors.all())
			CPPUNIT_ASSERT(e.events == 0 || e.httpStatus == 503);
	}

	void test429RetryAfterSpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		CaptureServer server;
		server.failNext(1, 429, "1");
		Client client(spooled(server.url(), dir, errors));
		auto uuids = captureMany(client, 20);
		Poco::Timestamp start;
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT(start.elapsed() >= 950 * 1000); // Retry-After: 1 was honoured
		assertAllArrived(server, uuids);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.requestCount());
	}

	void testResetBeforeReplySpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		CaptureServer server;
		CaptureServer::Fault reset;
		reset.closeWithoutReply = true;
		server.failNext(6, reset);
		Client client(spooled(server.url(), dir, errors));
		auto uuids = captureMany(client, N);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		assertAllArrived(server, uuids);
	}

	void testResetBeforeReplyAccounted()
	{
		Errors errors;
		CaptureServer server;
		CaptureServer::Fault reset;
		reset.closeWithoutReply = true;
		server.failNext(6, reset);
		Client client(unspooled(server.url(), errors));
		captureMany(client, N);
		client.flush(Poco::Timespan(10, 0));
		assertAccounted(client, server, errors, N);
		CPPUNIT_ASSERT(client.statistics().failed > 0);
	}

	void testNeverAnswersSpooled()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		Poco::UInt16 port = reservePort();
		BlackHole hole(port);
		ClientOptions o = spooled("http://127.0.0.1:" + std::to_string(port), dir, errors);
		o.httpTimeout = Poco::Timespan(0, 200 * 1000);
		Client client(o);
		auto uuids = captureMany(client, 60);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(0, 700 * 1000)) == Client::FlushResult::TimedOut);
		CPPUNIT_ASSERT(client.statistics().retried >= 1); // timed out at least once
		hole.close();
		CaptureServer server(port);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		assertAllArrived(server, uuids);
	}

	void testNeverAnswersAccounted()
	{
		Errors errors;
		Poco::UInt16 port = reservePort();
		BlackHole hole(port);
		ClientOptions o = unspooled("http://127.0.0.1:" + std::to_string(port), errors);
		o.httpTimeout = Poco::Timespan(0, 150 * 1000);
		o.maxRetries = 1;
		Client client(o);
		captureMany(client, 40);
		client.flush(Poco::Timespan(10, 0));
		hole.close();
		CaptureServer server(port);
		captureMany(client, 40, "after");
		client.flush(Poco::Timespan(10, 0));
		assertAccounted(client, server, errors, 80);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(40), client.statistics().failed);
		CPPUNIT_ASSERT(errors.mentions("Timeout") || errors.mentions("timeout") ||
		               errors.mentions("timed out"));
	}

	void testSlowServerSpooled()
	{
		// Every answer takes 40 ms: the hand-off fills, and batches go through the spool instead
		// of holding the worker (it keeps draining the queue meanwhile).
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		CaptureServer server;
		server.setDelay(40);
		ClientOptions o = spooled(server.url(), dir, errors);
		o.batchSize = 10;
		Client client(o);
		Poco::Timestamp start;
		auto uuids = captureMany(client, 300);
		settle(client);
		CPPUNIT_ASSERT(waitUntil([&] { return client.statistics().spooled == 300; }, 5000));
		long spooledMs = static_cast<long>(start.elapsed() / 1000);
		CPPUNIT_ASSERT(spooledMs < 30 * 40 / 2); // the worker did not wait for 30 slow requests
		CPPUNIT_ASSERT(client.statistics().spoolPending > 0);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		assertAllArrived(server, uuids);
	}

	void testShutdownWhileDownKeepsSpoolForNextStart()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		Poco::UInt16 port = reservePort();
		std::string url = "http://127.0.0.1:" + std::to_string(port);
		std::vector<std::string> uuids;
		{
			Client client(spooled(url, dir, errors));
			uuids = captureMany(client, N);
			CPPUNIT_ASSERT(!client.shutdown(Poco::Timespan(0, 300 * 1000)));
			auto s = client.statistics();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(N), s.spoolPending);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.failed); // not lost: on disk
			CPPUNIT_ASSERT(errors.mentions("stay in the spool at " + dir.file("spool")));
		}
		CaptureServer server(port);
		Errors second;
		Client client(spooled(url, dir, second));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(N), client.statistics().replayed);
		CPPUNIT_ASSERT(client.shutdown(Poco::Timespan(20, 0)));
		assertAllArrived(server, uuids);
	}

	void testMemoryBoundedWhileServerDown()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		Poco::UInt16 port = reservePort();
		ClientOptions o = spooled("http://127.0.0.1:" + std::to_string(port), dir, errors);
		o.batchSize = 100;
		o.queueCapacity = 1000;
		o.queueOverflow = ClientOptions::Overflow::Block;
		o.spoolFsync = ClientOptions::SpoolFsync::Never;
		const std::size_t n = 40000;
		Client client(o);
		captureMany(client, 2000, "warm"); // warm the allocator and the queue's blocks
		settle(client);
		CPPUNIT_ASSERT(waitUntil([&] { return client.statistics().spooled == 2000; }, 5000));
		long before = rssKb();
		Poco::Timestamp start;
		auto uuids = captureMany(client, n);
		settle(client);
		bool all = waitUntil([&] { return client.statistics().spooled == n + 2000; }, 60000);
		if (!all)
		{
			auto st = client.statistics();
			std::cerr << "\n[memory while down] stuck: spooled " << st.spooled << " queued " << st.queued
			          << " dropped " << st.dropped << " failed " << st.failed << " enqueued " << st.enqueued
			          << std::endl;
		}
		CPPUNIT_ASSERT(all);
		long after = rssKb();
		auto s = client.statistics();
		std::cerr << "\n[memory while down] " << n << " events, " << s.spoolBytes / 1024
		          << " KiB spooled; RSS " << before << " KiB -> " << after << " KiB (+" << (after - before)
		          << " KiB) in " << start.elapsed() / 1000 << " ms" << std::endl;
		CPPUNIT_ASSERT(s.spoolBytes > 12 * 1024 * 1024);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
		// The JSON alone would be > 12 MB. (Under ASan/TSan, shadow memory for what passes through
		// the write buffer counts in RSS, so the bound is checked in the plain build only.)
		CPPUNIT_ASSERT(after - before < 6 * 1024);
#endif
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.failed + s.dropped);
		client.shutdown(Poco::Timespan(0, 100 * 1000));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(n + 2000), client.statistics().spoolPending);
	}

	void testKilledMidBatchAndRestarted()
	{
		TempDir dir(TempDir::PathOnly);
		CaptureServer server;
		server.setDelay(15);
		const int n = 2000;
		Poco::Pipe out;
		Poco::ProcessHandle first = Poco::Process::launch(
		    helperPath(), {server.url(), dir.file("spool"), std::to_string(n), "20"}, nullptr, &out, nullptr);
		Poco::PipeInputStream in(out);
		std::string line;
		std::getline(in, line);
		CPPUNIT_ASSERT_EQUAL(std::string("spooled ") + std::to_string(n), line);
		CPPUNIT_ASSERT(server.waitForEvents(300, 20000));
		Poco::Process::kill(first); // SIGKILL, in the middle of a slow batch
		first.wait();
		std::size_t beforeRestart = server.eventCount();
		CPPUNIT_ASSERT(beforeRestart < static_cast<std::size_t>(n));

		Poco::Pipe out2;
		Poco::ProcessHandle second = Poco::Process::launch(
		    helperPath(), {server.url(), dir.file("spool"), "0"}, nullptr, &out2, nullptr);
		Poco::PipeInputStream in2(out2);
		std::string report;
		Poco::StreamCopier::copyToString(in2, report);
		CPPUNIT_ASSERT_EQUAL_MESSAGE(report, 0, second.wait());
		std::size_t total = 0;
		auto unique = uuidsAt(server, &total);
		CPPUNIT_ASSERT_EQUAL(std::size_t(n), unique.size());
		std::cerr << "\n[kill -9] " << n << " events, killed after " << beforeRestart
		          << " arrived; after the restart the endpoint has " << total << " events, " << unique.size()
		          << " unique: duplicates = " << (total - unique.size()) << "; second run: " << report;
		CPPUNIT_ASSERT(total - unique.size() <= 40); // at most the batches in flight at the kill
	}

	void testSecondLiveProcessRefused()
	{
		TempDir dir(TempDir::PathOnly);
		Errors errors;
		CaptureServer server;
		Client client(spooled(server.url(), dir, errors));
		Poco::Pipe err;
		Poco::ProcessHandle other = Poco::Process::launch(
		    helperPath(), {server.url(), dir.file("spool"), "1"}, nullptr, nullptr, &err);
		Poco::PipeInputStream in(err);
		std::string message;
		Poco::StreamCopier::copyToString(in, message);
		CPPUNIT_ASSERT_EQUAL(3, other.wait());
		CPPUNIT_ASSERT_MESSAGE(message, message.find("posthog.spool.path = '" + dir.file("spool") +
		                                             "' is in use by another live process (pid " +
		                                             std::to_string(::getpid()) + ")") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1),
		                     static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n')));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultsTest);
