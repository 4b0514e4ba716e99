//
// RequestContextTest.cpp
//
// sdk-specs acceptance/private/tracing-headers.feature (@server scenarios) and
// acceptance/public/get-distinct-id.feature (@server), one test per scenario, against a real
// Poco HTTPServer wrapped in RequestContextHandlerFactory; plus the scope's own contract
// (nesting, per-thread isolation) and the factory's exception handling.
//

#include "ClientTestSupport.h"
#include "LoopbackListener.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPServer.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/StreamCopier.h"
#include "PostHog/RequestContextHandlerFactory.h"
#include "PostHog/RequestScope.h"
#include <cppunit/extensions/HelperMacros.h>
#include <functional>
#include <stdexcept>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

using Body = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class BodyHandler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit BodyHandler(Body body) : _body(std::move(body)) {}
	void handleRequest(Poco::Net::HTTPServerRequest& request,
	                   Poco::Net::HTTPServerResponse& response) override
	{
		_body(request, response);
	}

private:
	Body _body;
};

class BodyFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit BodyFactory(Body body) : _body(std::move(body)) {}
	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new BodyHandler(_body);
	}

private:
	Body _body;
};

// An application server whose every handler runs body, wrapped in one line.
class AppServer
{
public:
	AppServer(Client& client, Body body)
	    : _socket(PostHogTest::listenOnLoopback()),
	      _server(new RequestContextHandlerFactory(client, new BodyFactory(std::move(body))), _socket,
	              new Poco::Net::HTTPServerParams)
	{
		_server.start();
	}
	~AppServer() { _server.stop(); }

	int get(const std::string& path, const std::map<std::string, std::string>& headers = {})
	{
		Poco::Net::HTTPClientSession session("127.0.0.1", _socket.address().port());
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
		                               Poco::Net::HTTPMessage::HTTP_1_1);
		for (const auto& h : headers)
			request.set(h.first, h.second);
		session.sendRequest(request);
		Poco::Net::HTTPResponse response;
		std::istream& in = session.receiveResponse(response);
		std::string body;
		Poco::StreamCopier::copyToString(in, body);
		return response.getStatus();
	}

private:
	Poco::Net::ServerSocket _socket;
	Poco::Net::HTTPServer _server;
};

void ok(Poco::Net::HTTPServerResponse& response)
{
	response.setContentLength(0);
	response.send();
}

ClientOptions contextOptions(const CaptureServer& server)
{
	ClientOptions o = testOptions(server.url());
	o.apiKey = "test-token";
	return o;
}

Poco::JSON::Object::Ptr onlyEvent(Client& client, const CaptureServer& server)
{
	CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
	auto events = server.events();
	CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
	return events[0];
}

} // namespace

class RequestContextTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(RequestContextTest);
	CPPUNIT_TEST(testServerMiddlewareAppliesTracingHeadersToRequestScopedCaptureContext);
	CPPUNIT_TEST(testExplicitCaptureValuesOverrideServerTracingContext);
	CPPUNIT_TEST(testServerCaptureWithoutExplicitOrContextDistinctIdIsPersonless);
	CPPUNIT_TEST(testServerSanitizesTracingHeaderValuesBeforeStoringContext);
	CPPUNIT_TEST(testServerSdksDoNotExposeAmbientDistinctIdState);
	CPPUNIT_TEST(testHeadersAreReadInAnyCasing);
	CPPUNIT_TEST(testRequestMetadataIsAdded);
	CPPUNIT_TEST(testStdExceptionEscapingAHandlerIsCapturedAndAnswered500);
	CPPUNIT_TEST(testPocoExceptionAfterTheResponseWasSentIsCapturedOnly);
	CPPUNIT_TEST(testScopesNestAndRestore);
	CPPUNIT_TEST(testConcurrentRequestsDoNotShareContext);
	CPPUNIT_TEST(testOutsideAScopeCaptureStillRequiresADistinctId);
	CPPUNIT_TEST_SUITE_END();

public:
	void testServerMiddlewareAppliesTracingHeadersToRequestScopedCaptureContext()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [&](auto&, auto& response)
		              {
			              client.capture("", "Backend Work");
			              ok(response);
		              });
		CPPUNIT_ASSERT_EQUAL(200, app.get("/work", {{"X-POSTHOG-DISTINCT-ID", "user-123"},
		                                            {"X-POSTHOG-SESSION-ID", "session-123"}}));
		auto event = onlyEvent(client, posthog);
		CPPUNIT_ASSERT_EQUAL(std::string("Backend Work"), str(event, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-123"), str(event, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("session-123"), str(props(event), "$session_id"));
	}

	void testExplicitCaptureValuesOverrideServerTracingContext()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(
		    client,
		    [&](auto&, auto& response)
		    {
			    client.capture("explicit-user", "Backend Work", {{"$session_id", "explicit-session"}});
			    ok(response);
		    });
		app.get("/work",
		        {{"X-POSTHOG-DISTINCT-ID", "header-user"}, {"X-POSTHOG-SESSION-ID", "header-session"}});
		auto event = onlyEvent(client, posthog);
		CPPUNIT_ASSERT_EQUAL(std::string("explicit-user"), str(event, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("explicit-session"), str(props(event), "$session_id"));
	}

	void testServerCaptureWithoutExplicitOrContextDistinctIdIsPersonless()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [&](auto&, auto& response)
		              {
			              client.capture("", "Backend Work");
			              ok(response);
		              });
		app.get("/work", {{"X-POSTHOG-SESSION-ID", "session-123"}});
		auto event = onlyEvent(client, posthog);
		CPPUNIT_ASSERT_EQUAL(std::size_t(36), str(event, "distinct_id").size()); // a generated uuid
		CPPUNIT_ASSERT_EQUAL(std::string("session-123"), str(props(event), "$session_id"));
		CPPUNIT_ASSERT(!props(event)->getValue<bool>("$process_person_profile"));
	}

	void testServerSanitizesTracingHeaderValuesBeforeStoringContext()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [&](auto&, auto& response)
		              {
			              client.capture("", "Sanitized Work");
			              ok(response);
		              });
		// Poco's client refuses CR/LF in a header; tab and other controls go through.
		app.get("/work",
		        {{"X-POSTHOG-DISTINCT-ID", "  user\x01-1\x7f\t "}, {"X-POSTHOG-SESSION-ID", " \t\x02 "}});
		auto event = onlyEvent(client, posthog);
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), str(event, "distinct_id"));
		CPPUNIT_ASSERT(!props(event)->has("$session_id")); // empty after sanitising: omitted
		CPPUNIT_ASSERT_EQUAL(std::string(1000, 'a'), RequestContext::sanitize(std::string(1500, 'a')));
		CPPUNIT_ASSERT_EQUAL(std::string(), RequestContext::sanitize("\x01\x02 \r\n"));
	}

	void testServerSdksDoNotExposeAmbientDistinctIdState()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		client.identify("user-1");
		CPPUNIT_ASSERT(!client.getDistinctId().has_value());
		RequestScope scope(RequestContext("user-2", ""));
		CPPUNIT_ASSERT_EQUAL(std::string("user-2"), client.getDistinctId().value());
	}

	void testHeadersAreReadInAnyCasing()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [&](auto&, auto& response)
		              {
			              client.capture("", "e");
			              ok(response);
		              });
		app.get("/", {{"x-posthog-distinct-id", "lower"}});
		CPPUNIT_ASSERT_EQUAL(std::string("lower"), str(onlyEvent(client, posthog), "distinct_id"));
	}

	void testRequestMetadataIsAdded()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [&](auto&, auto& response)
		              {
			              client.capture("", "e");
			              ok(response);
		              });
		app.get("/orders/7?x=1", {{"X-POSTHOG-DISTINCT-ID", "u"}, {"User-Agent", "test-agent"}});
		auto p = props(onlyEvent(client, posthog));
		CPPUNIT_ASSERT_EQUAL(std::string("GET"), str(p, "$request_method"));
		CPPUNIT_ASSERT_EQUAL(std::string("/orders/7"), str(p, "$request_path"));
		CPPUNIT_ASSERT_EQUAL(std::string("test-agent"), str(p, "$user_agent"));
		CPPUNIT_ASSERT(str(p, "$current_url").find("/orders/7?x=1") != std::string::npos);
	}

	void testStdExceptionEscapingAHandlerIsCapturedAndAnswered500()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client, [](auto&, auto&) { throw std::runtime_error("handler failed"); });
		CPPUNIT_ASSERT_EQUAL(500, app.get("/fail", {{"X-POSTHOG-DISTINCT-ID", "user-5"}}));
		auto event = onlyEvent(client, posthog);
		CPPUNIT_ASSERT_EQUAL(std::string("$exception"), str(event, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-5"), str(event, "distinct_id"));
		auto p = props(event);
		CPPUNIT_ASSERT_EQUAL(std::string("poco.http_request_handler"), str(p, "$exception_source"));
		CPPUNIT_ASSERT_EQUAL(500, p->getValue<int>("$response_status_code"));
		auto m = p->getArray("$exception_list")->getObject(0)->getObject("mechanism");
		CPPUNIT_ASSERT_EQUAL(std::string("middleware"), str(m, "type"));
		CPPUNIT_ASSERT(!m->getValue<bool>("handled"));
	}

	void testPocoExceptionAfterTheResponseWasSentIsCapturedOnly()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		AppServer app(client,
		              [](auto&, auto& response)
		              {
			              response.setStatus(Poco::Net::HTTPResponse::HTTP_ACCEPTED);
			              ok(response);
			              throw Poco::IOException("after reply");
		              });
		CPPUNIT_ASSERT_EQUAL(202, app.get("/late"));
		auto p = props(onlyEvent(client, posthog));
		CPPUNIT_ASSERT_EQUAL(std::string("Poco::IOException"), str(p, "$exception_type"));
		CPPUNIT_ASSERT(!p->has("$response_status_code"));
	}

	void testScopesNestAndRestore()
	{
		CPPUNIT_ASSERT(RequestContext::current() == nullptr);
		{
			RequestScope outer(RequestContext("outer", ""));
			{
				RequestScope inner(RequestContext("inner", ""));
				CPPUNIT_ASSERT_EQUAL(std::string("inner"), RequestContext::current()->distinctId());
			}
			CPPUNIT_ASSERT_EQUAL(std::string("outer"), RequestContext::current()->distinctId());
		}
		CPPUNIT_ASSERT(RequestContext::current() == nullptr);
	}

	void testConcurrentRequestsDoNotShareContext()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		std::vector<std::thread> threads;
		for (int t = 0; t < 8; ++t)
		{
			threads.emplace_back(
			    [&client, t]
			    {
				    for (int i = 0; i < 200; ++i)
				    {
					    RequestScope scope(
					        RequestContext("user-" + std::to_string(t), "s-" + std::to_string(t)));
					    client.capture("", "e");
				    }
			    });
		}
		for (auto& th : threads)
			th.join();
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(20, 0)) == Client::FlushResult::Delivered);
		auto events = posthog.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1600), events.size());
		for (const auto& e : events)
		{
			std::string id = str(e, "distinct_id");
			CPPUNIT_ASSERT_EQUAL("s-" + id.substr(5), str(props(e), "$session_id"));
		}
	}

	void testOutsideAScopeCaptureStillRequiresADistinctId()
	{
		CaptureServer posthog;
		Client client(contextOptions(posthog));
		CPPUNIT_ASSERT(client.capture("", "e").empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestContextTest);
