//
// ExceptionMetadataTest.cpp
//
// sdk-specs openspec/specs/exception-event-metadata/spec.md scenarios that apply to a C++
// server SDK, one test per scenario, and the wire check against the canonical examples of
// acceptance/private/exception-event-metadata.examples.json (PostHog/sdk-specs at 35f0f8c; the
// "manual" and "nested_cause" examples are typed in below as data). The examples come from
// runtimes whose exceptions carry their own stack; a C++ exception carries none, so they are
// matched with ExceptionCaptureOptions::stacktrace = false (no stack, synthetic false). With the
// default, the capturing thread's stack is attached and mechanism.synthetic is true, as the
// spec's synthetic table requires for an SDK-generated current stack.
//

#include "ErrorsTestSupport.h"
#include "Poco/Exception.h"
#include "Poco/JSON/Parser.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include <set>
#include <stdexcept>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::string readBuildId(const std::string& file)
/// The GNU build id of file in hex, as readelf -n prints it ("" when there is none).
{
	Poco::Pipe out;
	Poco::ProcessHandle handle = Poco::Process::launch("readelf", {"-n", file}, nullptr, &out, nullptr);
	Poco::PipeInputStream in(out);
	std::string line, id;
	while (std::getline(in, line))
	{
		const std::string marker = "Build ID: ";
		const std::size_t at = line.find(marker);
		if (at != std::string::npos)
			id = line.substr(at + marker.size());
	}
	handle.wait();
	return id;
}

} // namespace

// Global names, so that the demangled types are exactly the examples' "CheckoutError" etc.
class CheckoutError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

class DatabaseError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

namespace
{

const char* const kManualExample = R"({
  "event": "$exception",
  "properties": {
    "$exception_level": "error",
    "$exception_list": [
      {"type": "CheckoutError", "value": "Checkout failed",
       "mechanism": {"type": "generic", "handled": true, "synthetic": false, "exception_id": 0}}
    ]
  }
})";

const char* const kNestedCauseExample = R"({
  "event": "$exception",
  "properties": {
    "$exception_level": "error",
    "$exception_list": [
      {"type": "CheckoutError", "value": "Checkout failed",
       "mechanism": {"type": "generic", "handled": true, "synthetic": false, "exception_id": 0}},
      {"type": "DatabaseError", "value": "Connection failed",
       "mechanism": {"type": "chained", "source": "cause", "synthetic": false, "exception_id": 1, "parent_id": 0}}
    ]
  }
})";

// Every key of expected is in actual with an equal value (objects recursively, arrays by
// position and length). Extra keys in actual (stacktrace, $lib, ...) are allowed.
bool contains(const Poco::Dynamic::Var& actual, const Poco::Dynamic::Var& expected, std::string& where)
{
	if (expected.type() == typeid(Poco::JSON::Object::Ptr))
	{
		if (actual.type() != typeid(Poco::JSON::Object::Ptr))
			return false;
		auto a = actual.extract<Poco::JSON::Object::Ptr>();
		auto e = expected.extract<Poco::JSON::Object::Ptr>();
		for (const auto& kv : *e)
		{
			if (!a->has(kv.first) || !contains(a->get(kv.first), kv.second, where))
			{
				where = kv.first + (where.empty() ? "" : "." + where);
				return false;
			}
		}
		return true;
	}
	if (expected.type() == typeid(Poco::JSON::Array::Ptr))
	{
		if (actual.type() != typeid(Poco::JSON::Array::Ptr))
			return false;
		auto a = actual.extract<Poco::JSON::Array::Ptr>();
		auto e = expected.extract<Poco::JSON::Array::Ptr>();
		if (a->size() != e->size())
			return false;
		for (unsigned i = 0; i < e->size(); ++i)
		{
			if (!contains(a->get(i), e->get(i), where))
			{
				where = "[" + std::to_string(i) + "]" + (where.empty() ? "" : "." + where);
				return false;
			}
		}
		return true;
	}
	if (expected.isBoolean() || actual.isBoolean())
		return expected.isBoolean() && actual.isBoolean() &&
		       expected.convert<bool>() == actual.convert<bool>();
	return expected.toString() == actual.toString();
}

void assertMatches(const char* example, const Poco::JSON::Object::Ptr& event)
{
	Poco::JSON::Parser parser;
	Poco::Dynamic::Var expected = parser.parse(example);
	std::string where;
	bool ok = contains(Poco::Dynamic::Var(event), expected, where);
	CPPUNIT_ASSERT_MESSAGE("differs from the example at " + where, ok);
}

ClientOptions metadataOptions(const CaptureServer& server)
{
	ClientOptions o = testOptions(server.url());
	o.apiKey = "test-token";
	return o;
}

} // namespace

class ExceptionMetadataTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ExceptionMetadataTest);
	CPPUNIT_TEST(testWireMatchesTheManualExample);
	CPPUNIT_TEST(testWireMatchesTheNestedCauseExample);
	CPPUNIT_TEST(testExceptionEventHasANonEmptyCanonicalList);
	CPPUNIT_TEST(testKnownMechanismMetadataUsesCanonicalFieldTypes);
	CPPUNIT_TEST(testInvalidBoundaryOverrideFallsBackToTheBoundaryDefault);
	CPPUNIT_TEST(testGenericManualCaptureOmitsAConcreteSource);
	CPPUNIT_TEST(testUnknownIntegrationTypeIsPreserved);
	CPPUNIT_TEST(testManualCaptureMarksTheOutermostExceptionHandled);
	CPPUNIT_TEST(testExceptionEscapingApplicationCodeIsUnhandled);
	CPPUNIT_TEST(testUnknownNestedHandledStateRemainsAbsent);
	CPPUNIT_TEST(testWrappedCauseRecordsItsRelationship);
	CPPUNIT_TEST(testCyclesAndOversizedTreesAreBoundedDeterministically);
	CPPUNIT_TEST(testNativeWarningLevelIsNormalized);
	CPPUNIT_TEST(testNativeCriticalLevelIsNormalized);
	CPPUNIT_TEST(testManualCaptureEmitsCanonicalDefaults);
	CPPUNIT_TEST(testInternalIntegrationMetadataOverridesItsBoundaryDefault);
	CPPUNIT_TEST(testApplicationPropertyBagCannotImpersonateAnIntegration);
	CPPUNIT_TEST(testFatalLoggerCaptureRemainsHandled);
	CPPUNIT_TEST(testInterpretedStackOmitsDebugImages);
	CPPUNIT_TEST(testNativeFrameCarriesMatchingDebugImageMetadata);
	CPPUNIT_TEST(testExplicitCustomFingerprintIsPreserved);
	CPPUNIT_TEST(testMissingFingerprintRemainsAbsentAtTheProducer);
	CPPUNIT_TEST(testSdkDoesNotConfuseCaptureSourceWithSourceFiles);
	CPPUNIT_TEST(testNestedHandledStateIsAuthoritativeProducerMetadata);
	CPPUNIT_TEST(testSynthesizedCurrentStackIsMarkedSynthetic);
	CPPUNIT_TEST(testRuntimeExceptionWithoutAReplacementStackIsNotSynthetic);
	CPPUNIT_TEST(testFrameworkBoundarySeparatesCategoryFromIntegration);
	CPPUNIT_TEST_SUITE_END();

public:
	void testWireMatchesTheManualExample()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.stacktrace = false;
		client.captureException(CheckoutError("Checkout failed"), "user-1", Properties(), options);
		assertMatches(kManualExample, onlyEvent(client, server));
	}

	void testWireMatchesTheNestedCauseExample()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		try
		{
			try
			{
				throw DatabaseError("Connection failed");
			}
			catch (...)
			{
				std::throw_with_nested(CheckoutError("Checkout failed"));
			}
		}
		catch (const std::exception& e)
		{
			ExceptionCaptureOptions options;
			options.stacktrace = false;
			client.captureException(e, "user-1", Properties(), options);
		}
		assertMatches(kNestedCauseExample, onlyEvent(client, server));
	}

	void testExceptionEventHasANonEmptyCanonicalList()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::exception(), "user-1");
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("$exception"), str(event, "event"));
		CPPUNIT_ASSERT(exceptionList(event)->size() >= 1);
		CPPUNIT_ASSERT(!str(entry(event, 0), "type").empty());
		CPPUNIT_ASSERT(entry(event, 0)->get("value").isString());
	}

	void testKnownMechanismMetadataUsesCanonicalFieldTypes()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(Poco::RuntimeException("outer", Poco::IOException("inner")), "user-1");
		auto event = onlyEvent(client, server);
		for (unsigned i = 0; i < 2; ++i)
		{
			auto m = mechanism(event, i);
			for (const auto& kv : *m)
				CPPUNIT_ASSERT(!kv.second.isEmpty()); // no null placeholders
			CPPUNIT_ASSERT(m->get("type").isString() && !m->getValue<std::string>("type").empty());
			CPPUNIT_ASSERT(m->get("synthetic").isBoolean());
			CPPUNIT_ASSERT(m->get("exception_id").isInteger());
		}
		CPPUNIT_ASSERT(mechanism(event, 0)->get("handled").isBoolean());
		CPPUNIT_ASSERT(mechanism(event, 1)->get("parent_id").isInteger());
	}

	void testInvalidBoundaryOverrideFallsBackToTheBoundaryDefault()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.mechanismType = "";
		options.level = "verbose";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("generic"), str(mechanism(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("error"), str(props(event), "$exception_level"));
	}

	void testGenericManualCaptureOmitsAConcreteSource()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1");
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("generic"), str(mechanism(event, 0), "type"));
		CPPUNIT_ASSERT(!props(event)->has("$exception_source"));
	}

	void testUnknownIntegrationTypeIsPreserved()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.mechanismType = "cron_job";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT_EQUAL(std::string("cron_job"), str(mechanism(onlyEvent(client, server), 0), "type"));
	}

	void testManualCaptureMarksTheOutermostExceptionHandled()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1");
		CPPUNIT_ASSERT(mechanism(onlyEvent(client, server), 0)->getValue<bool>("handled"));
	}

	void testExceptionEscapingApplicationCodeIsUnhandled()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.handled = false;
		options.mechanismType = "middleware";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT(!mechanism(onlyEvent(client, server), 0)->getValue<bool>("handled"));
	}

	void testUnknownNestedHandledStateRemainsAbsent()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(Poco::RuntimeException("outer", Poco::IOException("inner")), "user-1");
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT(mechanism(event, 0)->has("handled"));
		CPPUNIT_ASSERT(!mechanism(event, 1)->has("handled"));
	}

	void testWrappedCauseRecordsItsRelationship()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(Poco::RuntimeException("outer", Poco::IOException("inner")), "user-1");
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT(!mechanism(event, 0)->has("source"));
		CPPUNIT_ASSERT_EQUAL(std::string("chained"), str(mechanism(event, 1), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("cause"), str(mechanism(event, 1), "source"));
	}

	void testCyclesAndOversizedTreesAreBoundedDeterministically()
	{
		// Poco copies the nested exception, so a cycle cannot be built; depth 60 > 50 can.
		Poco::Exception chain("level 59");
		for (int i = 58; i >= 0; --i)
			chain = Poco::Exception("level " + std::to_string(i), chain);
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(chain, "user-1");
		auto list = exceptionList(onlyEvent(client, server));
		CPPUNIT_ASSERT_EQUAL(std::size_t(50), list->size());
		for (unsigned i = 0; i < 50; ++i)
			CPPUNIT_ASSERT_EQUAL("level " + std::to_string(i),
			                     list->getObject(i)->getValue<std::string>("value"));
	}

	void testNativeWarningLevelIsNormalized()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.level = "warn";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT_EQUAL(std::string("warning"),
		                     str(props(onlyEvent(client, server)), "$exception_level"));
	}

	void testNativeCriticalLevelIsNormalized()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.level = "critical";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT_EQUAL(std::string("fatal"), str(props(onlyEvent(client, server)), "$exception_level"));
	}

	void testManualCaptureEmitsCanonicalDefaults()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1");
		auto event = onlyEvent(client, server);
		auto m = mechanism(event, 0);
		CPPUNIT_ASSERT_EQUAL(std::string("error"), str(props(event), "$exception_level"));
		CPPUNIT_ASSERT_EQUAL(std::string("generic"), str(m, "type"));
		CPPUNIT_ASSERT(m->getValue<bool>("handled"));
		CPPUNIT_ASSERT_EQUAL(0, m->getValue<int>("exception_id"));
		CPPUNIT_ASSERT(!m->has("parent_id") && !m->has("source"));
		CPPUNIT_ASSERT(!props(event)->has("$exception_source"));
	}

	void testInternalIntegrationMetadataOverridesItsBoundaryDefault()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.mechanismType = "task";
		options.source = "cpp.worker_pool";
		options.handled = false;
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("task"), str(mechanism(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("cpp.worker_pool"), str(props(event), "$exception_source"));
	}

	void testApplicationPropertyBagCannotImpersonateAnIntegration()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1",
		                        {{"$exception_source", "django.middleware"}, {"$exception_level", "fatal"}});
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT(!props(event)->has("$exception_source"));
		CPPUNIT_ASSERT_EQUAL(std::string("error"), str(props(event), "$exception_level"));
	}

	void testFatalLoggerCaptureRemainsHandled()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.level = "fatal";
		options.mechanismType = "logger";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("fatal"), str(props(event), "$exception_level"));
		CPPUNIT_ASSERT(mechanism(event, 0)->getValue<bool>("handled"));
	}

	void testNativeFrameCarriesMatchingDebugImageMetadata()
	{
		// The capture site is in this test executable; its image must be listed with the debug id
		// symbol uploads compute from the executable's GNU build id (read here with readelf).
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("native"), "user-1");
		auto event = onlyEvent(client, server);
		auto frames = props(event)
		                  ->getArray("$exception_list")
		                  ->getObject(0)
		                  ->getObject("stacktrace")
		                  ->getArray("frames");
		auto site = frames->getObject(frames->size() - 1);
		CPPUNIT_ASSERT(site->has("instruction_addr") && site->has("image_addr"));
		const std::string module = site->getValue<std::string>("module");
		const std::string buildId = readBuildId(module);
		CPPUNIT_ASSERT_MESSAGE(module, buildId.size() >= 32);
		// The first 16 bytes as a UUID, its first three fields byte-swapped (little-endian).
		auto swapped = [&](std::size_t at, std::size_t bytes)
		{
			std::string out;
			for (std::size_t i = bytes; i-- > 0;)
				out += buildId.substr(at + 2 * i, 2);
			return out;
		};
		const std::string debugId = swapped(0, 4) + "-" + swapped(8, 2) + "-" + swapped(12, 2) + "-" +
		                            buildId.substr(16, 4) + "-" + buildId.substr(20, 12);
		auto images = props(event)->getArray("$debug_images");
		CPPUNIT_ASSERT(!images.isNull());
		bool found = false;
		for (unsigned i = 0; i < images->size(); ++i)
		{
			auto image = images->getObject(i);
			if (image->getValue<std::string>("image_addr") != site->getValue<std::string>("image_addr"))
				continue;
			found = true;
			CPPUNIT_ASSERT_EQUAL(debugId, image->getValue<std::string>("debug_id"));
			CPPUNIT_ASSERT_EQUAL(buildId, image->getValue<std::string>("code_id"));
			CPPUNIT_ASSERT_EQUAL(std::string("elf"), image->getValue<std::string>("type"));
			CPPUNIT_ASSERT(image->getValue<std::int64_t>("image_size") > 0);
		}
		CPPUNIT_ASSERT(found);
		// One entry per image, and only images a frame points into.
		std::set<std::string> addresses, referenced;
		for (unsigned i = 0; i < frames->size(); ++i)
			if (frames->getObject(i)->has("image_addr"))
				referenced.insert(frames->getObject(i)->getValue<std::string>("image_addr"));
		for (unsigned i = 0; i < images->size(); ++i)
		{
			const std::string address = images->getObject(i)->getValue<std::string>("image_addr");
			CPPUNIT_ASSERT(addresses.insert(address).second);
			CPPUNIT_ASSERT(referenced.count(address) == 1);
		}
	}

	void testInterpretedStackOmitsDebugImages()
	{
		// No native frame (no stack is taken), so no $debug_images are sent.
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.stacktrace = false;
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT(!props(onlyEvent(client, server))->has("$debug_images"));
	}

	void testExplicitCustomFingerprintIsPreserved()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.fingerprint = "checkout-db-down";
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		CPPUNIT_ASSERT_EQUAL(std::string("checkout-db-down"),
		                     str(props(onlyEvent(client, server)), "$exception_fingerprint"));
	}

	void testMissingFingerprintRemainsAbsentAtTheProducer()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1");
		CPPUNIT_ASSERT(!props(onlyEvent(client, server))->has("$exception_fingerprint"));
	}

	void testSdkDoesNotConfuseCaptureSourceWithSourceFiles()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.source = "poco.http_request_handler";
		client.captureException(std::runtime_error("x"), "user-1", {{"$exception_sources", "app/views.cpp"}},
		                        options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("poco.http_request_handler"),
		                     str(props(event), "$exception_source"));
		CPPUNIT_ASSERT(!props(event)->has("$exception_sources"));
	}

	void testNestedHandledStateIsAuthoritativeProducerMetadata()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1", {{"$exception_handled", false}});
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT(mechanism(event, 0)->has("handled"));
		CPPUNIT_ASSERT(!props(event)->has("$exception_handled"));
	}

	void testSynthesizedCurrentStackIsMarkedSynthetic()
	{
		// The stack attached by default is the capturing thread's, generated by the SDK; a
		// type/message pair is not an exception at all. Both are synthetic.
		CaptureServer server;
		Client client(metadataOptions(server));
		client.captureException(std::runtime_error("x"), "user-1");
		client.captureException("PaymentDeclined", "card refused", "user-1");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		for (const auto& event : events)
		{
			CPPUNIT_ASSERT(entry(event, 0)->has("stacktrace"));
			CPPUNIT_ASSERT(mechanism(event, 0)->getValue<bool>("synthetic"));
		}
	}

	void testRuntimeExceptionWithoutAReplacementStackIsNotSynthetic()
	{
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.stacktrace = false;
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT(!entry(event, 0)->has("stacktrace"));
		CPPUNIT_ASSERT(!mechanism(event, 0)->getValue<bool>("synthetic"));
	}

	void testFrameworkBoundarySeparatesCategoryFromIntegration()
	{
		// The Poco HTTP server integration (RequestContextHandlerFactory) uses these values; its
		// own test (ContextTest) checks them end to end.
		CaptureServer server;
		Client client(metadataOptions(server));
		ExceptionCaptureOptions options;
		options.mechanismType = "middleware";
		options.source = "poco.http_request_handler";
		options.handled = false;
		client.captureException(std::runtime_error("x"), "user-1", Properties(), options);
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("middleware"), str(mechanism(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("poco.http_request_handler"),
		                     str(props(event), "$exception_source"));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExceptionMetadataTest);
