//
// HostilePeerTest.cpp
//
// Servers that answer forever, trickle, or never answer cost at most posthog.http.timeout and
// a bounded amount of memory, and the batch is retried and then reported, never lost silently.
//

#include "HostileServer.h"
#include "delivery/HttpTransport.h"
#include "Poco/Clock.h"
#include "PostHog/Client.h"
#include "SecurityTestSupport.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

long elapsedMs(const Poco::Clock& since)
{
	return static_cast<long>(since.elapsed() / 1000);
}

struct Run
{
	Client::FlushResult result;
	long ms;
	ClientStatistics statistics;
	std::vector<ClientError> errors;
};

Run sendOne(const std::string& host, long timeoutMs, int maxRetries)
{
	ErrorRecorder recorder;
	ClientOptions o = securityOptions(host, recorder);
	o.httpTimeout = Poco::Timespan(timeoutMs * 1000);
	o.maxRetries = maxRetries;
	Run run;
	Client client(o);
	client.capture("user-1", "hostile peer test");
	Poco::Clock start;
	run.result = client.flush(Poco::Timespan(20, 0));
	run.ms = elapsedMs(start);
	run.statistics = client.statistics();
	run.errors = recorder.all();
	return run;
}

} // namespace

class HostilePeerTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(HostilePeerTest);
	CPPUNIT_TEST(testEndlessBodyIsBounded);
	CPPUNIT_TEST(testEndlessHeadersAreBounded);
	CPPUNIT_TEST(testTricklingPeerCostsTheTimeout);
	CPPUNIT_TEST(testSilentPeerCostsTheTimeout);
	CPPUNIT_TEST(testStalledTlsHandshakeCostsTheTimeout);
	CPPUNIT_TEST(testStalledProxyCostsTheTimeout);
	CPPUNIT_TEST(testRetriedThenReportedNeverLost);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEndlessBodyIsBounded()
	{
		HostileServer server(HostileServer::EndlessBody);
		ClientOptions o;
		o.apiKey = "phc_hostile_0123456789";
		o.host = server.url();
		o.httpTimeout = Poco::Timespan(5, 0);
		o.proxy = "none";
		HttpTransport transport(o, HttpTransport::makeContext(o));
		Poco::Clock start;
		HttpTransport::Response r = transport.post("{}", false);
		long ms = elapsedMs(start);
		CPPUNIT_ASSERT_EQUAL(200, r.status);
		CPPUNIT_ASSERT(r.body.size() <= HttpTransport::kMaxBody);
		CPPUNIT_ASSERT(r.body.size() >= HttpTransport::kMaxBody - 8192);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms < 1000);
		// Through the client too: the batch counts as delivered (2xx), quickly.
		Run run = sendOne(server.url(), 5000, 0);
		CPPUNIT_ASSERT(run.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(run.ms) + " ms", run.ms < 1000);
	}

	void testEndlessHeadersAreBounded()
	{
		// Poco stops at 100 header fields: a network error at once, not a timeout or a huge header.
		HostileServer server(HostileServer::EndlessHeaders);
		ClientOptions o;
		o.apiKey = "phc_hostile_0123456789";
		o.host = server.url();
		o.httpTimeout = Poco::Timespan(5, 0);
		o.proxy = "none";
		HttpTransport transport(o, HttpTransport::makeContext(o));
		Poco::Clock start;
		HttpTransport::Response r = transport.post("{}", false);
		long ms = elapsedMs(start);
		CPPUNIT_ASSERT_EQUAL(0, r.status);
		CPPUNIT_ASSERT_MESSAGE(r.error, r.error.find("posthog.http.timeout") == std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms < 1000);
	}

	void testTricklingPeerCostsTheTimeout()
	{
		// One byte every 100 ms: each read completes well within a 300 ms socket timeout, so
		// only the whole-request deadline stops it.
		HostileServer server(HostileServer::Trickle);
		ClientOptions o;
		o.apiKey = "phc_hostile_0123456789";
		o.host = server.url();
		o.httpTimeout = Poco::Timespan(300 * 1000);
		o.proxy = "none";
		HttpTransport transport(o, HttpTransport::makeContext(o));
		for (int i = 0; i < 2; ++i)
		{
			Poco::Clock start;
			HttpTransport::Response r = transport.post("{}", false);
			long ms = elapsedMs(start);
			CPPUNIT_ASSERT_EQUAL(0, r.status);
			CPPUNIT_ASSERT_MESSAGE(r.error,
			                       r.error.find("within posthog.http.timeout = 300 ms") != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms >= 290 && ms < 900);
		}
		CPPUNIT_ASSERT(server.bytesSent() >= 2);
	}

	void testSilentPeerCostsTheTimeout()
	{
		HostileServer server(HostileServer::Silent);
		Run run = sendOne(server.url(), 300, 0);
		CPPUNIT_ASSERT(run.result == Client::FlushResult::Failed);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(run.ms) + " ms", run.ms >= 290 && run.ms < 1000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), run.errors.size());
		CPPUNIT_ASSERT_MESSAGE(
		    run.errors[0].message,
		    run.errors[0].message.find(
		        "no complete answer from 127.0.0.1 within posthog.http.timeout = 300 ms") !=
		        std::string::npos);
	}

	void testStalledTlsHandshakeCostsTheTimeout()
	{
		// Accepts TCP, never speaks TLS: the handshake runs under the same deadline.
		HostileServer server(HostileServer::Silent);
		Run run = sendOne("https://127.0.0.1:" + std::to_string(server.port()), 300, 0);
		CPPUNIT_ASSERT(run.result == Client::FlushResult::Failed);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(run.ms) + " ms", run.ms >= 290 && run.ms < 1000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), run.errors.size());
		CPPUNIT_ASSERT_MESSAGE(run.errors[0].message,
		                       run.errors[0].message.find("posthog.http.timeout") != std::string::npos);
	}

	void testStalledProxyCostsTheTimeout()
	{
		// A proxy that never answers the CONNECT, or trickles its answer: the tunnel is opened
		// under the same whole-request deadline.
		for (auto behaviour : {HostileServer::Silent, HostileServer::Trickle})
		{
			HostileServer proxy(behaviour);
			ClientOptions o;
			o.apiKey = "phc_hostile_0123456789";
			o.host = "https://capture.test:443";
			o.proxy = proxy.url();
			o.httpTimeout = Poco::Timespan(300 * 1000);
			HttpTransport transport(o, HttpTransport::makeContext(o));
			Poco::Clock start;
			HttpTransport::Response r = transport.post("{}", false);
			long ms = elapsedMs(start);
			CPPUNIT_ASSERT_EQUAL(0, r.status);
			CPPUNIT_ASSERT_MESSAGE(r.error,
			                       r.error.find("within posthog.http.timeout = 300 ms") != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(r.error,
			                       r.error.find("through the proxy " + proxy.url()) != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms >= 290 && ms < 900);
			CPPUNIT_ASSERT_EQUAL(1, proxy.requests());
			CPPUNIT_ASSERT(proxy.lastRequestHead().find("CONNECT capture.test:443 HTTP/1.1") == 0);
		}
	}

	void testRetriedThenReportedNeverLost()
	{
		// Two attempts of at most 250 ms each plus a 10..20 ms backoff; every event accounted for.
		HostileServer server(HostileServer::Trickle);
		Run run = sendOne(server.url(), 250, 1);
		CPPUNIT_ASSERT(run.result == Client::FlushResult::Failed);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(run.ms) + " ms", run.ms >= 500 && run.ms < 1100);
		CPPUNIT_ASSERT_EQUAL(2, server.requests());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), run.statistics.requests);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), run.statistics.retried);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), run.statistics.failed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), run.statistics.delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), run.errors.size());
		CPPUNIT_ASSERT_EQUAL(ClientError::DeliveryFailed, run.errors[0].kind);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), run.errors[0].events);
		CPPUNIT_ASSERT_MESSAGE(run.errors[0].message,
		                       run.errors[0].message.find("after 2 attempts") != std::string::npos);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostilePeerTest);
