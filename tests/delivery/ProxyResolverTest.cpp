//
// ProxyResolverTest.cpp
//
// Proxy URLs, NO_PROXY matching and the choice between configuration and environment.
//

#include "delivery/ProxyResolver.h"
#include "Poco/Environment.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Exceptions.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;

namespace
{

class EnvironmentGuard
/// Sets variables for one test and restores what was there.
{
public:
	~EnvironmentGuard()
	{
		for (const auto& kv : _saved)
			Poco::Environment::set(kv.first, kv.second);
	}

	void set(const std::string& name, const std::string& value)
	{
		if (_saved.find(name) == _saved.end())
			_saved[name] = Poco::Environment::get(name, "");
		Poco::Environment::set(name, value);
	}

private:
	std::map<std::string, std::string> _saved;
};

} // namespace

class ProxyResolverTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ProxyResolverTest);
	CPPUNIT_TEST(testParseProxy);
	CPPUNIT_TEST(testBadProxyNamesItsSource);
	CPPUNIT_TEST(testNoProxyEntries);
	CPPUNIT_TEST(testConfigurationBeforeEnvironment);
	CPPUNIT_TEST_SUITE_END();

public:
	void testParseProxy()
	{
		auto p = ProxyResolver::parseProxy("user:p%40ss@proxy.example:3128", "posthog.http.proxy");
		CPPUNIT_ASSERT_EQUAL(std::string("proxy.example"), p.host);
		CPPUNIT_ASSERT_EQUAL(Poco::UInt16(3128), p.port);
		CPPUNIT_ASSERT_EQUAL(std::string("user"), p.username);
		CPPUNIT_ASSERT_EQUAL(std::string("p@ss"), p.password);
		CPPUNIT_ASSERT_EQUAL(std::string("user:***@proxy.example:3128"), p.url);
		CPPUNIT_ASSERT_EQUAL(std::string("http://u:***@h:1"),
		                     ProxyResolver::maskProxyUrl("http://u:secret@h:1"));
		CPPUNIT_ASSERT_EQUAL(std::string("http://h:1"), ProxyResolver::maskProxyUrl("http://h:1"));
	}

	void testBadProxyNamesItsSource()
	{
		try
		{
			ProxyResolver::parseProxy("socks5://u:secret@h:1080", "HTTPS_PROXY");
			CPPUNIT_FAIL("a socks proxy was accepted");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT(e.message().find("HTTPS_PROXY") != std::string::npos);
			CPPUNIT_ASSERT(e.message().find("secret") == std::string::npos);
		}
	}

	void testNoProxyEntries()
	{
		auto m = &ProxyResolver::noProxyMatches;
		CPPUNIT_ASSERT(m("*", "anything.example", 443));
		CPPUNIT_ASSERT(m("example.com", "example.com", 443));
		CPPUNIT_ASSERT(m(".example.com", "eu.example.com", 443));
		CPPUNIT_ASSERT(m("*.example.com", "eu.example.com", 443));
		CPPUNIT_ASSERT(!m("example.com", "badexample.com", 443));
		CPPUNIT_ASSERT(m("a.test, example.com:443", "example.com", 443));
		CPPUNIT_ASSERT(!m("example.com:8443", "example.com", 443));
		CPPUNIT_ASSERT(m("10.0.0.0/8", "10.1.2.3", 80));
		CPPUNIT_ASSERT(!m("10.0.0.0/8", "11.1.2.3", 80));
		CPPUNIT_ASSERT(m("192.168.1.5", "192.168.1.5", 80));
		CPPUNIT_ASSERT(m("[::1]:8080", "[::1]", 8080));
		CPPUNIT_ASSERT(!m("[::1", "::1", 8080));
		CPPUNIT_ASSERT(m("EXAMPLE.COM.", "example.com", 443));
	}

	void testConfigurationBeforeEnvironment()
	{
		EnvironmentGuard env;
		env.set("https_proxy", "http://env.example:1");
		env.set("no_proxy", "");
		env.set("NO_PROXY", "");
		ClientOptions o;
		Poco::URI target("https://us.i.posthog.com");
		CPPUNIT_ASSERT_EQUAL(std::string("env.example"), ProxyResolver::proxyFor(o, target).host);
		CPPUNIT_ASSERT_EQUAL(std::string("https_proxy"), ProxyResolver::proxyFor(o, target).source);
		o.proxy = "http://conf.example:2";
		CPPUNIT_ASSERT_EQUAL(std::string("conf.example"), ProxyResolver::proxyFor(o, target).host);
		o.proxy = "none";
		CPPUNIT_ASSERT(ProxyResolver::proxyFor(o, target).host.empty());
		o.proxy.clear();
		CPPUNIT_ASSERT(ProxyResolver::proxyFor(o, Poco::URI("https://127.0.0.1:9")).host.empty());
		env.set("no_proxy", "posthog.com");
		CPPUNIT_ASSERT(ProxyResolver::proxyFor(o, target).host.empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyResolverTest);
