//
// AiScenariosTest.cpp
//
// sdk-specs capture-ai (acceptance/public/capture-ai.feature and openspec/specs/capture-ai
// /spec.md, server scenarios), one test per scenario, named after it, and the $ai_* builders.
//

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "Poco/JSON/Parser.h"
#include "Poco/JSON/Stringifier.h"
#include "PostHog/AiEvents.h"
#include "PostHog/Client.h"
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace PostHogTest;
using PostHog::Client;
using PostHog::Properties;

namespace
{

class AiEndpoint
/// /i/v0/ai/batch/: the /batch/ wire shape, every event checked as strictly as CaptureServer's.
{
public:
	CaptureServer::Route route()
	{
		return [this](const CaptureServer::Request& request)
		{
			CaptureServer::Reply reply;
			reply.body = "{\"status\":1}";
			Poco::JSON::Object::Ptr root =
			    Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
			Poco::JSON::Array::Ptr batch = root->getArray("batch");
			Poco::FastMutex::ScopedLock lock(_mutex);
			if (root->optValue<std::string>("api_key", "") != "phc_test_key_1234" || !batch)
			{
				_errors.push_back("no api_key or batch");
				reply.status = 400;
				return reply;
			}
			for (std::size_t i = 0; i < batch->size(); ++i)
			{
				std::string error;
				if (!CaptureServer::checkEvent(batch->getObject(i), error))
					_errors.push_back(error);
				_events.push_back(batch->getObject(i));
			}
			return reply;
		};
	}
	std::vector<Poco::JSON::Object::Ptr> events() const
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		return _events;
	}
	std::vector<std::string> errors() const
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		return _errors;
	}

private:
	mutable Poco::FastMutex _mutex;
	std::vector<Poco::JSON::Object::Ptr> _events;
	std::vector<std::string> _errors;
};

std::string json(const Poco::Dynamic::Var& v)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(v, out);
	return out.str();
}

} // namespace

class AiScenariosTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(AiScenariosTest);
	CPPUNIT_TEST(testCaptureAiReturnsTheEventUuidAndRidesTheAiRoute);
	CPPUNIT_TEST(testAiCaptureDropsNullValuedPropertiesOnItsDeliveryRoute);
	CPPUNIT_TEST(testCaptureAndCaptureAiRideSeparateRoutes);
	CPPUNIT_TEST(testCaptureNeverReroutesAiNamedEvents);
	CPPUNIT_TEST(testTheSdkGeneratesAUuidWhenTheCallerSuppliesNone);
	CPPUNIT_TEST(testOversizedEventsAreDroppedLoggingNameAndSizeOnly);
	CPPUNIT_TEST(testCaptureAiNeverThrows);
	CPPUNIT_TEST(testPrivacyModeWinsOverTheFlag);
	CPPUNIT_TEST(testGenerationBuilderNamesTheSpecProperties);
	CPPUNIT_TEST(testTraceSpanAndEmbeddingBuilders);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override
	{
		_ai.reset(new AiEndpoint);
		_errors.reset(new ErrorRecorder);
		_server.reset(new CaptureServer);
		_server->route("/i/v0/ai/batch/", _ai->route());
	}

	void tearDown() override
	{
		_server.reset();
		_ai.reset();
		_errors.reset();
	}

	std::unique_ptr<Client> client()
	{
		PostHog::ClientOptions o;
		o.apiKey = "phc_test_key_1234";
		o.host = _server->url();
		o.batchInterval = Poco::Timespan(60, 0);
		o.retryBaseDelay = Poco::Timespan(10 * 1000);
		o.maxRetries = 2;
		o.onError = _errors->callback();
		return std::unique_ptr<Client>(new Client(o));
	}

	void testCaptureAiReturnsTheEventUuidAndRidesTheAiRoute()
	{
		auto c = client();
		std::string uuid = c->captureAi("user-123", "$ai_generation", {{"$ai_model", "gpt"}});
		CPPUNIT_ASSERT(!uuid.empty());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), c->statistics().ai.enqueued);
		CPPUNIT_ASSERT(c->flush() == Client::FlushResult::Delivered);
		auto events = _ai->events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$ai_generation"), events[0]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(uuid, events[0]->getValue<std::string>("uuid"));
		CPPUNIT_ASSERT(!events[0]->getValue<std::string>("timestamp").empty());
		CPPUNIT_ASSERT_EQUAL(std::string("gpt"),
		                     events[0]->getObject("properties")->getValue<std::string>("$ai_model"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _ai->errors().size());
	}

	void testAiCaptureDropsNullValuedPropertiesOnItsDeliveryRoute()
	{
		auto c = client();
		Properties custom = Properties::fromVar(
		    Poco::JSON::Parser().parse(R"({"test":null,"nested":{"drop":null},"items":["1",null,2]})"));
		c->captureAi("user-123", "$ai_generation", custom);
		c->flush();
		auto events = _ai->events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		Poco::JSON::Object::Ptr props = events[0]->getObject("properties");
		CPPUNIT_ASSERT(!props->has("test"));
		CPPUNIT_ASSERT_EQUAL(std::string("{}"), json(props->get("nested")));
		CPPUNIT_ASSERT_EQUAL(std::string("[\"1\",null,2]"), json(props->get("items")));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->eventCount());
	}

	void testCaptureAndCaptureAiRideSeparateRoutes()
	{
		auto c = client();
		c->capture("user-123", "button_clicked");
		c->captureAi("user-123", "$ai_generation");
		c->flush();
		auto analytics = _server->events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), analytics.size());
		CPPUNIT_ASSERT_EQUAL(std::string("button_clicked"), analytics[0]->getValue<std::string>("event"));
		auto ai = _ai->events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), ai.size());
		CPPUNIT_ASSERT_EQUAL(std::string("$ai_generation"), ai[0]->getValue<std::string>("event"));
	}

	void testCaptureNeverReroutesAiNamedEvents()
	{
		auto c = client();
		c->capture("user-123", "$ai_generation");
		c->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), _server->eventCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _ai->events().size());
	}

	void testTheSdkGeneratesAUuidWhenTheCallerSuppliesNone()
	{
		auto c = client();
		std::string generated = c->captureAi("user-123", "$ai_generation");
		PostHog::EventOptions options;
		options.uuid = "0190f8a2-5b7c-7d3e-8f00-123456789abc";
		std::string given = c->captureAi("user-123", "$ai_generation", Properties(), options);
		options.uuid = "not-a-uuid";
		CPPUNIT_ASSERT_EQUAL(std::string(),
		                     c->captureAi("user-123", "$ai_generation", Properties(), options)); // rejected
		c->flush();
		auto events = _ai->events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		CPPUNIT_ASSERT_EQUAL(generated, events[0]->getValue<std::string>("uuid"));
		CPPUNIT_ASSERT_EQUAL(std::string("0190f8a2-5b7c-7d3e-8f00-123456789abc"),
		                     events[1]->getValue<std::string>("uuid"));
		CPPUNIT_ASSERT_EQUAL(given, events[1]->getValue<std::string>("uuid"));
	}

	void testOversizedEventsAreDroppedLoggingNameAndSizeOnly()
	{
		auto c = client();
		std::string media = "data:image/png;base64," + std::string(9 * 1024 * 1024, 'Q');
		CPPUNIT_ASSERT_EQUAL(std::string(),
		                     c->captureAi("user-123", "$ai_generation", {{"$ai_input", media}}));
		c->flush();
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _ai->events().size());
		auto reports = _errors->of(PostHog::ClientError::TooLarge);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), reports.size());
		CPPUNIT_ASSERT(reports[0].message.find("$ai_generation") != std::string::npos);
		CPPUNIT_ASSERT(reports[0].message.find("bytes") != std::string::npos);
		CPPUNIT_ASSERT(reports[0].message.find("QQQQ") == std::string::npos);
		CPPUNIT_ASSERT(reports[0].message.find("base64") == std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), c->statistics().ai.droppedByReason["too_large"]);
	}

	void testCaptureAiNeverThrows()
	{
		auto c = client();
		_server->stop(); // the AI endpoint is unreachable
		std::string uuid;
		CPPUNIT_ASSERT_NO_THROW(uuid = c->captureAi("user-123", "$ai_generation"));
		CPPUNIT_ASSERT(!uuid.empty());
		CPPUNIT_ASSERT_NO_THROW(c->flush(Poco::Timespan(5, 0)));
		CPPUNIT_ASSERT_NO_THROW(c->shutdown(Poco::Timespan(1, 0)));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), c->statistics().ai.failed);
	}

	void testPrivacyModeWinsOverTheFlag()
	{
		PostHog::AiGeneration g;
		g.traceId = "trace-1";
		g.model = "gpt-5-mini";
		g.input.add(Properties{{"role", "user"}, {"content", "data:image/png;base64,AAAA"}});
		g.outputChoices.add(Properties{{"role", "assistant"}, {"content", "a cat"}});
		Properties open = g.toProperties(false);
		CPPUNIT_ASSERT(open.has("$ai_input") && open.has("$ai_output_choices"));
		Properties privacy = g.toProperties(true);
		CPPUNIT_ASSERT(!privacy.has("$ai_input"));
		CPPUNIT_ASSERT(!privacy.has("$ai_output_choices"));
		CPPUNIT_ASSERT_EQUAL(std::string("gpt-5-mini"), std::string(privacy.get("$ai_model").getString()));
	}

	void testGenerationBuilderNamesTheSpecProperties()
	{
		PostHog::AiGeneration g;
		g.traceId = "trace-1";
		g.sessionId = "session-1";
		g.spanId = "span-1";
		g.spanName = "summarize";
		g.parentId = "root";
		g.model = "gpt-5-mini";
		g.provider = "openai";
		g.baseUrl = "https://api.openai.com/v1";
		g.inputTokens = 12;
		g.outputTokens = 40;
		g.latency = 0.75;
		g.httpStatus = 200;
		g.temperature = 0.5;
		g.stream = false;
		g.totalCostUsd = 0.25;
		g.properties.set("conversation_id", "abc");
		g.properties.set("$ai_model", "not this one");
		auto c = client();
		c->captureAi("user-123", PostHog::AiGeneration::kEvent, g.toProperties());
		c->flush();
		Poco::JSON::Object::Ptr p = _ai->events().at(0)->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("trace-1"), p->getValue<std::string>("$ai_trace_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("session-1"), p->getValue<std::string>("$ai_session_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("span-1"), p->getValue<std::string>("$ai_span_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("summarize"), p->getValue<std::string>("$ai_span_name"));
		CPPUNIT_ASSERT_EQUAL(std::string("root"), p->getValue<std::string>("$ai_parent_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("gpt-5-mini"), p->getValue<std::string>("$ai_model"));
		CPPUNIT_ASSERT_EQUAL(std::string("openai"), p->getValue<std::string>("$ai_provider"));
		CPPUNIT_ASSERT_EQUAL(12, p->getValue<int>("$ai_input_tokens"));
		CPPUNIT_ASSERT_EQUAL(40, p->getValue<int>("$ai_output_tokens"));
		CPPUNIT_ASSERT_EQUAL(0.75, p->getValue<double>("$ai_latency"));
		CPPUNIT_ASSERT_EQUAL(200, p->getValue<int>("$ai_http_status"));
		CPPUNIT_ASSERT_EQUAL(false, p->getValue<bool>("$ai_stream"));
		CPPUNIT_ASSERT_EQUAL(std::string("abc"), p->getValue<std::string>("conversation_id"));
		CPPUNIT_ASSERT(!p->has("$ai_is_error"));
		CPPUNIT_ASSERT(!p->has("$ai_input")); // empty: left out
	}

	void testTraceSpanAndEmbeddingBuilders()
	{
		PostHog::AiTrace t;
		t.traceId = "trace-1";
		t.spanName = "chat";
		t.inputState.set("question", "why?");
		t.isError = true;
		t.error = "timeout";
		Properties tp = t.toProperties();
		CPPUNIT_ASSERT_EQUAL(std::string("chat"), std::string(tp.get("$ai_span_name").getString()));
		CPPUNIT_ASSERT(tp.get("$ai_is_error").getBool());
		CPPUNIT_ASSERT(tp.has("$ai_input_state") && !tp.has("$ai_output_state"));
		CPPUNIT_ASSERT(!t.toProperties(true).has("$ai_input_state"));

		PostHog::AiSpan s;
		s.traceId = "trace-1";
		s.parentId = "trace-1";
		s.outputState.set("rows", 3);
		Properties sp = s.toProperties();
		CPPUNIT_ASSERT_EQUAL(std::string("trace-1"), std::string(sp.get("$ai_parent_id").getString()));
		CPPUNIT_ASSERT(sp.has("$ai_output_state") && !s.toProperties(true).has("$ai_output_state"));

		PostHog::AiEmbedding e;
		e.traceId = "trace-1";
		e.model = "text-embedding-3-small";
		e.input.add("hello");
		e.inputTokens = 1;
		CPPUNIT_ASSERT(e.toProperties().has("$ai_input"));
		CPPUNIT_ASSERT(!e.toProperties(true).has("$ai_input"));
		CPPUNIT_ASSERT_EQUAL(std::int64_t(1), e.toProperties().get("$ai_input_tokens").getInt());
		CPPUNIT_ASSERT_EQUAL(std::string("$ai_embedding"), std::string(PostHog::AiEmbedding::kEvent));
		CPPUNIT_ASSERT_EQUAL(std::string("$ai_span"), std::string(PostHog::AiSpan::kEvent));
		CPPUNIT_ASSERT_EQUAL(std::string("$ai_trace"), std::string(PostHog::AiTrace::kEvent));
	}

private:
	std::unique_ptr<AiEndpoint> _ai;
	std::unique_ptr<ErrorRecorder> _errors;
	std::unique_ptr<CaptureServer> _server;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AiScenariosTest);
