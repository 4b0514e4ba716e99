//
// ServerSampleTest.cpp
//
// End to end: the real samples/server program (posthog-server-sample) against the loopback
// CaptureServer, stopped with SIGTERM.
//

#include "ClientTestSupport.h"
#include "LoopbackListener.h"
#include "OtlpLogsEndpoint.h"
#include "Poco/File.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Path.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "Poco/TemporaryFile.h"
#include <cppunit/extensions/HelperMacros.h>
#include <csignal>
#include <limits.h>
#include <unistd.h>

using namespace PostHogTest;

namespace
{

std::string sampleBinary()
{
	char self[PATH_MAX] = {0};
	ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
	std::string dir =
	    n > 0 ? Poco::Path(std::string(self, static_cast<std::size_t>(n))).parent().toString() : "";
	return dir + "posthog-server-sample";
}

Poco::UInt16 freePort()
{
	return PostHogTest::reserveLoopbackPort();
}

int get(Poco::UInt16 port, const std::string& path, const std::map<std::string, std::string>& headers = {})
{
	Poco::Net::HTTPClientSession session("127.0.0.1", port);
	session.setTimeout(Poco::Timespan(5, 0));
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
	for (const auto& h : headers)
		request.set(h.first, h.second);
	session.sendRequest(request);
	Poco::Net::HTTPResponse response;
	std::string body;
	Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
	return response.getStatus();
}

bool waitUntilServing(Poco::UInt16 port)
{
	for (int i = 0; i < 200; ++i)
	{
		try
		{
			if (get(port, "/ready") == 200)
				return true;
		}
		catch (Poco::Exception&)
		{
		}
		Poco::Thread::sleep(50);
	}
	return false;
}

} // namespace

class ServerSampleTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ServerSampleTest);
	CPPUNIT_TEST(testHelloAndFailCarryTheRequestContextAndSigtermFlushes);
	CPPUNIT_TEST_SUITE_END();

public:
	void testHelloAndFailCarryTheRequestContextAndSigtermFlushes()
	{
		std::string binary = sampleBinary();
		CPPUNIT_ASSERT_MESSAGE(binary + " is not built", Poco::File(binary).exists());
		CaptureServer posthog;
		OtlpLogsEndpoint logs("phc_sample_test");
		posthog.route("/i/v1/logs", logs.route());
		Poco::UInt16 port = freePort();
		std::string crashDir = Poco::TemporaryFile::tempName();
		Poco::Process::Args args{"--posthog-api-key=phc_sample_test", "--posthog-host=" + posthog.url(),
		                         "--port=" + std::to_string(port),
		                         "--posthog-define=exceptions.crashDir=" + crashDir,
		                         "--posthog-define=batch.interval=60000"};
		Poco::ProcessHandle process = Poco::Process::launch(binary, args);
		bool serving = waitUntilServing(port);
		if (serving)
		{
			CPPUNIT_ASSERT_EQUAL(
			    200,
			    get(port, "/hello", {{"X-POSTHOG-DISTINCT-ID", "user-7"}, {"X-POSTHOG-SESSION-ID", "s-7"}}));
			CPPUNIT_ASSERT_EQUAL(500, get(port, "/fail", {{"X-POSTHOG-DISTINCT-ID", "user-7"}}));
		}
		::kill(process.id(), SIGTERM);
		int status = process.wait();
		if (Poco::File(crashDir).exists())
			Poco::File(crashDir).remove(true);
		CPPUNIT_ASSERT_MESSAGE("the sample never answered on its port", serving);
		CPPUNIT_ASSERT_EQUAL(0, status);

		// Nothing was sent before SIGTERM (batch.interval is a minute): the shutdown flushed it.
		std::map<std::string, Poco::JSON::Object::Ptr> byName;
		for (const auto& e : posthog.events())
			byName[str(e, "event")] = e;
		CPPUNIT_ASSERT(byName.count("hello served") == 1);
		CPPUNIT_ASSERT_EQUAL(std::string("user-7"), str(byName["hello served"], "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("s-7"), str(props(byName["hello served"]), "$session_id"));
		CPPUNIT_ASSERT(byName.count("$exception") == 1);
		auto exception = byName["$exception"];
		CPPUNIT_ASSERT_EQUAL(std::string("user-7"), str(exception, "distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("the /fail handler failed, as asked"),
		                     str(props(exception), "$exception_message"));
		CPPUNIT_ASSERT_EQUAL(std::string("/fail"), str(props(exception), "$request_path"));

		// The request log lines went through Poco::Logger and the PostHogLogChannel to PostHog Logs.
		CPPUNIT_ASSERT_MESSAGE("no log records arrived", logs.waitForRecords(2, 10000));
		std::size_t hello = 0, fail = 0;
		for (const auto& record : logs.records())
		{
			std::string body = record->getObject("body")->getValue<std::string>("stringValue");
			hello += body.find("/hello") != std::string::npos;
			fail += body.find("/fail") != std::string::npos;
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), hello);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), fail);
		CPPUNIT_ASSERT(logs.errors().empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerSampleTest);
