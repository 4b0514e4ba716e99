//
// ProxyTest.cpp
//
// posthog.http.proxy and the proxy environment variables, through a real proxy on loopback.
//

#include "CaptureServer.h"
#include "delivery/HttpTransport.h"
#include "LogCapture.h"
#include "Poco/Environment.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "SecurityTestSupport.h"
#include "TestCertificates.h"
#include "TestProxy.h"
#include <cppunit/extensions/HelperMacros.h>
#include <cstdlib>
#include <map>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

const char* const kVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy",   "HTTPS_PROXY",
                                  "no_proxy",   "NO_PROXY",   "REQUEST_METHOD"};

struct Delivery
{
	Client::FlushResult result;
	std::size_t arrived;
	std::string errors;
};

Delivery deliver(const std::string& host, const std::string& proxy, const CaptureServer& server,
                 int events = 2)
{
	ErrorRecorder recorder;
	ClientOptions o = securityOptions(host, recorder);
	o.proxy = proxy;
	o.caFile = TestCertificates::instance().caFile();
	Delivery d;
	{
		Client client(o);
		for (int i = 0; i < events; ++i)
			client.capture("user-1", "proxy test", {{"i", i}});
		d.result = client.flush(Poco::Timespan(10, 0));
	}
	d.arrived = server.eventCount();
	d.errors = recorder.text();
	return d;
}

std::string hostPort(const std::string& host, Poco::UInt16 port)
{
	return host + ":" + std::to_string(port);
}

} // namespace

class ProxyTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ProxyTest);
	CPPUNIT_TEST(testNoProxyMatching);
	CPPUNIT_TEST(testProxySources);
	CPPUNIT_TEST(testPlainHttpThroughConfiguredProxy);
	CPPUNIT_TEST(testHttpThroughEnvironmentProxy);
	CPPUNIT_TEST(testHttpsTunnelThroughEnvironmentProxy);
	CPPUNIT_TEST(testNoProxyBypassesTheProxy);
	CPPUNIT_TEST(testProxyCredentials);
	CPPUNIT_TEST(testProxyRefusesWithoutCredentials);
	CPPUNIT_TEST(testBadProxyUrl);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override
	{
		for (const char* name : kVariables)
		{
			const char* value = std::getenv(name);
			if (value)
				_saved[name] = value;
			::unsetenv(name);
		}
	}

	void tearDown() override
	{
		for (const char* name : kVariables)
			::unsetenv(name);
		for (const auto& kv : _saved)
			Poco::Environment::set(kv.first, kv.second);
		_saved.clear();
	}

	void testNoProxyMatching()
	{
		auto m = &HttpTransport::noProxyMatches;
		CPPUNIT_ASSERT(m("*", "us.i.posthog.com", 443));
		CPPUNIT_ASSERT(m("posthog.com", "posthog.com", 443));
		CPPUNIT_ASSERT(m("posthog.com", "us.i.posthog.com", 443));
		CPPUNIT_ASSERT(m(".posthog.com", "us.i.posthog.com", 443));
		CPPUNIT_ASSERT(m(".posthog.com", "posthog.com", 443));
		CPPUNIT_ASSERT(m("*.posthog.com", "eu.posthog.com", 443));
		CPPUNIT_ASSERT(!m("posthog.com", "notposthog.com", 443));
		CPPUNIT_ASSERT(!m("posthog.com", "posthog.com.evil.example", 443));
		CPPUNIT_ASSERT(m("example.org, POSTHOG.com ", "Us.PostHog.COM", 443));
		CPPUNIT_ASSERT(m("example.org posthog.com", "posthog.com", 443));
		CPPUNIT_ASSERT(m("posthog.com:443", "posthog.com", 443));
		CPPUNIT_ASSERT(!m("posthog.com:8443", "posthog.com", 443));
		CPPUNIT_ASSERT(m("127.0.0.1", "127.0.0.1", 8000));
		CPPUNIT_ASSERT(!m("127.0.0.1", "127.0.0.2", 8000));
		CPPUNIT_ASSERT(m("10.0.0.0/8", "10.1.2.3", 80));
		CPPUNIT_ASSERT(!m("10.0.0.0/8", "11.1.2.3", 80));
		CPPUNIT_ASSERT(!m("10.0.0.0/8", "ten.example", 80));
		CPPUNIT_ASSERT(m("[::1]:8080", "[::1]", 8080));
		CPPUNIT_ASSERT(m("::1", "::1", 80));
		CPPUNIT_ASSERT(!m("", "posthog.com", 443));
		CPPUNIT_ASSERT(!m(",,", "posthog.com", 443));
	}

	void testProxySources()
	{
		ClientOptions o;
		Poco::URI https("https://us.i.posthog.com");
		Poco::URI http("http://capture.test:8000");
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, https).host.empty());
		Poco::Environment::set("HTTPS_PROXY", "http://upper.example:3128");
		CPPUNIT_ASSERT_EQUAL(std::string("upper.example"), HttpTransport::proxyFor(o, https).host);
		CPPUNIT_ASSERT_EQUAL(std::string("HTTPS_PROXY"), HttpTransport::proxyFor(o, https).source);
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, http).host.empty()); // HTTPS_PROXY is for https only
		Poco::Environment::set("https_proxy", "lower.example:8080");   // no scheme: http://
		HttpTransport::Proxy p = HttpTransport::proxyFor(o, https);
		CPPUNIT_ASSERT_EQUAL(std::string("lower.example"), p.host);
		CPPUNIT_ASSERT_EQUAL(Poco::UInt16(8080), p.port);
		Poco::Environment::set("HTTP_PROXY", "http://plain.example:3128");
		CPPUNIT_ASSERT_EQUAL(std::string("plain.example"), HttpTransport::proxyFor(o, http).host);
		Poco::Environment::set("REQUEST_METHOD", "GET"); // CGI: HTTP_PROXY may come from a request header
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, http).host.empty());
		// Environment proxies never apply to loopback; the configured one does, "none" wins.
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, Poco::URI("https://127.0.0.1:8443")).host.empty());
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, Poco::URI("https://localhost:8443")).host.empty());
		o.proxy = "http://configured.example:1";
		CPPUNIT_ASSERT_EQUAL(std::string("configured.example"), HttpTransport::proxyFor(o, https).host);
		CPPUNIT_ASSERT_EQUAL(std::string("posthog.http.proxy"), HttpTransport::proxyFor(o, https).source);
		o.proxy = "none";
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, https).host.empty());
		o.proxy.clear();
		Poco::Environment::set("NO_PROXY", "posthog.com");
		CPPUNIT_ASSERT(HttpTransport::proxyFor(o, https).host.empty());
	}

	void testPlainHttpThroughConfiguredProxy()
	{
		CaptureServer server;
		TestProxy proxy;
		LogCapture logs;
		Delivery d = deliver(server.url(), proxy.url(), server);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.arrived);
		CPPUNIT_ASSERT_EQUAL(1, proxy.forwarded());
		CPPUNIT_ASSERT_EQUAL(std::string("POST " + server.url() + "/batch/"), proxy.requestLines().at(0));
		CPPUNIT_ASSERT_MESSAGE(
		    logs.text(), logs.contains("through the proxy " + proxy.url() + " (from posthog.http.proxy)"));
	}

	void testHttpThroughEnvironmentProxy()
	{
		// capture.test exists only in the proxy's host map: the request can only arrive through it.
		CaptureServer server;
		TestProxy proxy;
		Poco::Environment::set("http_proxy", proxy.url());
		Poco::Environment::set("HTTP_PROXY", "http://127.0.0.1:9"); // the lower-case one wins
		std::string host = "http://" + hostPort("capture.test", server.port());
		Delivery d = deliver(host, "", server);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.arrived);
		CPPUNIT_ASSERT_EQUAL(1, proxy.forwarded());
		CPPUNIT_ASSERT_EQUAL(std::string("POST " + host + "/batch/"), proxy.requestLines().at(0));
	}

	void testHttpsTunnelThroughEnvironmentProxy()
	{
		CaptureServer server(TestCertificates::instance().serverSocket("good"), "https");
		TestProxy proxy;
		Poco::Environment::set("HTTPS_PROXY", proxy.url());
		Delivery d = deliver("https://" + hostPort("capture.test", server.port()), "", server);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.arrived);
		CPPUNIT_ASSERT_EQUAL(1, proxy.tunnels());
		CPPUNIT_ASSERT_EQUAL(0, proxy.forwarded());
		CPPUNIT_ASSERT_EQUAL(std::string("CONNECT " + hostPort("capture.test", server.port())),
		                     proxy.requestLines().at(0));
	}

	void testNoProxyBypassesTheProxy()
	{
		CaptureServer server;
		TestProxy proxy;
		for (const std::string& noProxy : {std::string("127.0.0.1"), hostPort("127.0.0.1", server.port()),
		                                   std::string("example.org,*"), std::string("127.0.0.0/8")})
		{
			Poco::Environment::set("NO_PROXY", noProxy);
			server.reset();
			Delivery d = deliver(server.url(), proxy.url(), server);
			CPPUNIT_ASSERT_MESSAGE(noProxy + ": " + d.errors, d.result == Client::FlushResult::Delivered);
			CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.arrived);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(noProxy, 0, proxy.forwarded());
		}
		// Another port of the same host is not bypassed.
		Poco::Environment::set("NO_PROXY",
		                       hostPort("127.0.0.1", static_cast<Poco::UInt16>(server.port() + 1)));
		server.reset();
		Delivery d = deliver(server.url(), proxy.url(), server);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(1, proxy.forwarded());
	}

	void testProxyCredentials()
	{
		CaptureServer plain;
		CaptureServer secure(TestCertificates::instance().serverSocket("good"), "https");
		TestProxy proxy;
		proxy.requireCredentials("posthog", "p@ss word");
		std::string proxyUrl = "http://posthog:p%40ss%20word@127.0.0.1:" + std::to_string(proxy.port());
		LogCapture logs;
		Delivery d = deliver(plain.url(), proxyUrl, plain);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		d = deliver("https://" + hostPort("capture.test", secure.port()), proxyUrl, secure);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.result == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), d.arrived);
		CPPUNIT_ASSERT_EQUAL(1, proxy.forwarded());
		CPPUNIT_ASSERT_EQUAL(1, proxy.tunnels());
		CPPUNIT_ASSERT_EQUAL(0, proxy.refused());
		for (const auto& a : proxy.authorizations())
			CPPUNIT_ASSERT_EQUAL(std::string("Basic cG9zdGhvZzpwQHNzIHdvcmQ="), a); // posthog:p@ss word
		// The password is masked wherever the proxy is named.
		CPPUNIT_ASSERT_MESSAGE(logs.text(), logs.contains("http://posthog:***@127.0.0.1:"));
		CPPUNIT_ASSERT(!logs.contains("p%40ss") && !logs.contains("p@ss"));
	}

	void testProxyRefusesWithoutCredentials()
	{
		CaptureServer server;
		TestProxy proxy;
		proxy.requireCredentials("posthog", "secret");
		Delivery d = deliver(server.url(), proxy.url(), server, 1);
		CPPUNIT_ASSERT(d.result == Client::FlushResult::Failed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT(proxy.refused() >= 1);
		CPPUNIT_ASSERT_MESSAGE(d.errors, d.errors.find("HTTP 407") != std::string::npos);
	}

	void testBadProxyUrl()
	{
		for (const std::string bad : {"socks5://proxy.example:1080", "https://proxy.example:443", "http://",
		                               "http://proxy.example:3128/path?q=1"})
		{
			ErrorRecorder recorder;
			ClientOptions o = securityOptions("https://us.i.posthog.com", recorder);
			o.proxy = bad;
			try
			{
				Client client(o);
				CPPUNIT_FAIL("proxy '" + bad + "' was accepted");
			}
			catch (ConfigurationException& e)
			{
				CPPUNIT_ASSERT_MESSAGE(e.displayText(),
				                       e.displayText().find("posthog.http.proxy = '") != std::string::npos);
			}
		}
		Poco::Environment::set("HTTPS_PROXY", "socks5://proxy.example:1080");
		ErrorRecorder recorder;
		ClientOptions o = securityOptions("https://us.i.posthog.com", recorder);
		o.proxy.clear();
		try
		{
			Client client(o);
			CPPUNIT_FAIL("a socks HTTPS_PROXY was accepted");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT_MESSAGE(e.displayText(),
			                       e.displayText().find("HTTPS_PROXY = 'socks5://") != std::string::npos);
		}
	}

private:
	std::map<std::string, std::string> _saved;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyTest);
