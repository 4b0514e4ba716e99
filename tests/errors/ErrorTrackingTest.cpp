//
// ErrorTrackingTest.cpp
//
// sdk-specs acceptance/public/capture-exception.feature (@both), one test per scenario, plus
// Client::captureException's own contract (overloads, context, rate limit).
//

#include "ErrorsTestSupport.h"
#include "Poco/Exception.h"
#include "PostHog/RequestScope.h"
#include <stdexcept>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

class CheckoutError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

} // namespace

// A call chain the stack must show in order (external linkage, so -rdynamic exports the names
// dladdr reports; kept out of line).
std::string boom(Client& client);
std::string handler(Client& client);

__attribute__((noinline)) std::string boom(Client& client)
{
	try
	{
		throw CheckoutError("boom");
	}
	catch (const std::exception& e)
	{
		return client.captureException(e, "user-1");
	}
}

__attribute__((noinline)) std::string handler(Client& client)
{
	std::string uuid = boom(client);
	asm volatile("" ::: "memory"); // not a tail call
	return uuid;
}

namespace
{

ClientOptions errorOptions(const CaptureServer& server)
{
	ClientOptions o = testOptions(server.url());
	o.apiKey = "test-token";
	return o;
}

int indexOf(const Poco::JSON::Array::Ptr& frames, const std::string& function)
{
	for (unsigned i = 0; i < frames->size(); ++i)
	{
		if (frames->getObject(i)->getValue<std::string>("function").find(function) != std::string::npos)
			return static_cast<int>(i);
	}
	return -1;
}

} // namespace

class ErrorTrackingTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ErrorTrackingTest);
	CPPUNIT_TEST(testCapturingAHandledExceptionEmitsAnExceptionEvent);
	CPPUNIT_TEST(testExceptionCaptureIncludesCallerProperties);
	CPPUNIT_TEST(testExceptionCaptureNormalizesNonStandardThrownValues);
	CPPUNIT_TEST(testFramesAreOrderedEntryPointFirstCrashSiteLast);
	CPPUNIT_TEST(testChainedExceptionsAreListedCaughtFirstRootCauseLast);
	CPPUNIT_TEST(testPlatformsWithoutExceptionChainingSendASingleElementList);
	CPPUNIT_TEST(testFramesWithoutSourceContextAreValid);
	CPPUNIT_TEST(testContextArraysAreInAscendingFileOrder);
	CPPUNIT_TEST(testStdNestedExceptionChain);
	CPPUNIT_TEST(testTypeAndMessagePair);
	CPPUNIT_TEST(testWithoutDistinctIdIsPersonless);
	CPPUNIT_TEST(testRequestContextSuppliesDistinctIdAndSession);
	CPPUNIT_TEST(testGroupsAndEventOptionsApply);
	CPPUNIT_TEST(testRateLimitPerType);
	CPPUNIT_TEST(testInAppMarksOnlyApplicationFrames);
	CPPUNIT_TEST(testOptedOutClientSendsNothing);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCapturingAHandledExceptionEmitsAnExceptionEvent()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		try
		{
			throw std::invalid_argument("boom");
		}
		catch (const std::exception& e)
		{
			CPPUNIT_ASSERT(!client.captureException(e, "user-1").empty());
		}
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("$exception"), str(event, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("std::invalid_argument"), str(props(event), "$exception_type"));
		CPPUNIT_ASSERT_EQUAL(std::string("boom"), str(props(event), "$exception_message"));
		CPPUNIT_ASSERT(frames(event)->size() > 0);
	}

	void testExceptionCaptureIncludesCallerProperties()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		client.captureException(std::runtime_error("x"), "user-1", {{"handled", true}, {"area", "checkout"}});
		auto p = props(onlyEvent(client, server));
		CPPUNIT_ASSERT(p->getValue<bool>("handled"));
		CPPUNIT_ASSERT_EQUAL(std::string("checkout"), str(p, "area"));
	}

	void testExceptionCaptureNormalizesNonStandardThrownValues()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		try
		{
			throw 42;
		}
		catch (...)
		{
			CPPUNIT_ASSERT_NO_THROW(client.captureException(std::current_exception(), "user-1"));
		}
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("int"), str(entry(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("non-standard exception"), str(entry(event, 0), "value"));
	}

	void testFramesAreOrderedEntryPointFirstCrashSiteLast()
	{
		// The call chain is testFrames... -> handler -> boom; the capture happens in boom.
		CaptureServer server;
		Client client(errorOptions(server));
		handler(client);
		auto f = frames(onlyEvent(client, server));
		int h = indexOf(f, "handler[");
		int b = indexOf(f, "boom[");
		int t = indexOf(f, "testFramesAreOrderedEntryPointFirstCrashSiteLast");
		std::string names;
		for (unsigned i = 0; i < f->size(); ++i)
			names += f->getObject(i)->getValue<std::string>("function") + " | ";
		CPPUNIT_ASSERT_MESSAGE(names, t >= 0 && h > t && b > h);
		CPPUNIT_ASSERT_EQUAL(static_cast<int>(f->size()) - 1, b); // the capture site is last
#ifdef POSTHOG_HAVE_LIBDW
		auto site = f->getObject(static_cast<unsigned>(b));
		CPPUNIT_ASSERT(site->getValue<std::string>("filename").find("ErrorTrackingTest.cpp") !=
		               std::string::npos);
		CPPUNIT_ASSERT(site->getValue<int>("lineno") > 0);
#endif
	}

	void testChainedExceptionsAreListedCaughtFirstRootCauseLast()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		Poco::IOException root("RootError: disk gone");
		Poco::RuntimeException wrapper("WrapperError: save failed", root);
		client.captureException(wrapper, "user-1");
		auto list = exceptionList(onlyEvent(client, server));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), list->size());
		CPPUNIT_ASSERT_EQUAL(std::string("Poco::RuntimeException"),
		                     list->getObject(0)->getValue<std::string>("type"));
		CPPUNIT_ASSERT_EQUAL(std::string("Poco::IOException"),
		                     list->getObject(1)->getValue<std::string>("type"));
		CPPUNIT_ASSERT_EQUAL(std::string("RootError: disk gone"),
		                     list->getObject(1)->getValue<std::string>("value"));
	}

	void testPlatformsWithoutExceptionChainingSendASingleElementList()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		client.captureException(std::logic_error("alone"), "user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), exceptionList(onlyEvent(client, server))->size());
	}

	void testFramesWithoutSourceContextAreValid()
	{
		CaptureServer server;
		ClientOptions o = errorOptions(server);
		o.exceptionContextLines = 0; // "the SDK does not capture source context"
		Client client(o);
		client.captureException(std::logic_error("no context"), "user-1");
		auto f = frames(onlyEvent(client, server));
		CPPUNIT_ASSERT(f->size() > 0);
		for (unsigned i = 0; i < f->size(); ++i)
		{
			auto frame = f->getObject(i);
			CPPUNIT_ASSERT(!frame->has("context_line") && !frame->has("pre_context") &&
			               !frame->has("post_context"));
			CPPUNIT_ASSERT(frame->has("instruction_addr") && frame->has("function") && frame->has("in_app"));
		}
	}

	void testContextArraysAreInAscendingFileOrder()
	{
		// The capture site is boom()'s call of captureException; its frame's lines must be those
		// of this source file around the line DWARF names.
		CaptureServer server;
		Client client(errorOptions(server));
		handler(client);
		auto f = frames(onlyEvent(client, server));
		auto site = f->getObject(f->size() - 1);
#ifdef POSTHOG_HAVE_LIBDW
		const std::string file = site->getValue<std::string>("filename");
		const int line = site->getValue<int>("lineno");
		CPPUNIT_ASSERT_MESSAGE(file, file[0] == '/' && file.find("/../") == std::string::npos);
		std::vector<std::string> source;
		std::ifstream in(file);
		for (std::string text; std::getline(in, text);)
			source.push_back(text);
		CPPUNIT_ASSERT_MESSAGE(file, line > 5 && static_cast<std::size_t>(line + 5) <= source.size());
		CPPUNIT_ASSERT_EQUAL(source[line - 1], site->getValue<std::string>("context_line"));
		CPPUNIT_ASSERT(site->getValue<std::string>("context_line").find("captureException") !=
		               std::string::npos);
		auto pre = site->getArray("pre_context");
		auto post = site->getArray("post_context");
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), pre->size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), post->size());
		for (int i = 0; i < 5; ++i)
		{
			CPPUNIT_ASSERT_EQUAL(source[line - 6 + i], pre->getElement<std::string>(i));
			CPPUNIT_ASSERT_EQUAL(source[line + i], post->getElement<std::string>(i));
		}
#else
		// Without libdw no frame has a file and line, so none has source context.
		CPPUNIT_ASSERT(!site->has("lineno") && !site->has("context_line"));
#endif
	}

	void testStdNestedExceptionChain()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		try
		{
			try
			{
				throw std::out_of_range("index 7");
			}
			catch (...)
			{
				std::throw_with_nested(CheckoutError("Checkout failed"));
			}
		}
		catch (const std::exception& e)
		{
			client.captureException(e, "user-1");
		}
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), exceptionList(event)->size());
		CPPUNIT_ASSERT(str(entry(event, 0), "type").find("CheckoutError") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::string("std::out_of_range"), str(entry(event, 1), "type"));
		CPPUNIT_ASSERT_EQUAL(0, mechanism(event, 1)->getValue<int>("parent_id"));
	}

	void testTypeAndMessagePair()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		client.captureException("PaymentDeclined", "card refused", "user-1");
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("PaymentDeclined"), str(entry(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("card refused"), str(entry(event, 0), "value"));
	}

	void testWithoutDistinctIdIsPersonless()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		CPPUNIT_ASSERT(!client.captureException(std::runtime_error("x")).empty());
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::size_t(36), str(event, "distinct_id").size());
		CPPUNIT_ASSERT(!props(event)->getValue<bool>("$process_person_profile"));
	}

	void testRequestContextSuppliesDistinctIdAndSession()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		{
			RequestScope scope(RequestContext("user-9", "session-9"));
			client.captureException(std::runtime_error("x"));
		}
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("user-9"), str(event, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("session-9"), str(props(event), "$session_id"));
		CPPUNIT_ASSERT(!props(event)->has("$process_person_profile"));
	}

	void testGroupsAndEventOptionsApply()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		ExceptionCaptureOptions options;
		options.groups = {{"company", "acme"}};
		options.uuid = "01890f0e-0000-7000-8000-000000000001";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(options.uuid, str(event, "uuid"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(props(event)->getObject("$groups"), "company"));
	}

	void testRateLimitPerType()
	{
		CaptureServer server;
		ClientOptions o = errorOptions(server);
		o.exceptionRateLimit = 3;
		Client client(o);
		int accepted = 0;
		for (int i = 0; i < 10; ++i)
			accepted += client.captureException(std::runtime_error("loop"), "user-1").empty() ? 0 : 1;
		CPPUNIT_ASSERT_EQUAL(3, accepted);
		CPPUNIT_ASSERT(!client.captureException(std::logic_error("other type"), "user-1").empty());
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), server.eventCount());
	}

	void testInAppMarksOnlyApplicationFrames()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		handler(client);
		auto f = frames(onlyEvent(client, server));
		bool sawLibc = false;
		for (unsigned i = 0; i < f->size(); ++i)
		{
			auto frame = f->getObject(i);
			std::string module = frame->optValue<std::string>("module", "");
			bool inApp = frame->getValue<bool>("in_app");
			if (module.find("libc.so") != std::string::npos)
			{
				sawLibc = true;
				CPPUNIT_ASSERT(!inApp);
			}
			if (frame->getValue<std::string>("function").find("boom[") != std::string::npos)
				CPPUNIT_ASSERT(inApp);
		}
		CPPUNIT_ASSERT(sawLibc); // __libc_start_main
	}

	void testOptedOutClientSendsNothing()
	{
		CaptureServer server;
		Client client(errorOptions(server));
		client.optOut();
		CPPUNIT_ASSERT(client.captureException(std::runtime_error("x"), "user-1").empty());
		client.flush(Poco::Timespan(2, 0));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ErrorTrackingTest);
