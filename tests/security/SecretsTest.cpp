//
// SecretsTest.cpp
//
// The project API key never leaves the process except in the request body: not in a log line,
// an error callback message, an exception text or posthog-send's output; redirects are not
// followed with it.
//

#include "CaptureServer.h"
#include "HostileServer.h"
#include "LogCapture.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "client/Reporter.h"
#include "SecurityTestSupport.h"
#include <cppunit/extensions/HelperMacros.h>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

const std::string kKey = "phc_SeCrEtKeyForLeakTests0123456789WXYZ";
const std::string kMasked = "phc_\xE2\x80\xA6WXYZ";

class StdCapture
/// Redirects this process's standard output and error (file descriptors 1 and 2) to a
/// temporary file while alive.
{
public:
	StdCapture() : _path(Poco::TemporaryFile::tempName())
	{
		std::fflush(stdout);
		std::fflush(stderr);
		_out = ::dup(1);
		_err = ::dup(2);
		int fd = ::open(_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		::dup2(fd, 1);
		::dup2(fd, 2);
		::close(fd);
	}

	std::string finish()
	{
		if (_out >= 0)
		{
			std::fflush(stdout);
			std::fflush(stderr);
			std::cout.flush();
			std::cerr.flush();
			::dup2(_out, 1);
			::dup2(_err, 2);
			::close(_out);
			::close(_err);
			_out = _err = -1;
		}
		std::string text;
		Poco::FileInputStream in(_path);
		Poco::StreamCopier::copyToString(in, text);
		Poco::File(_path).remove();
		return text;
	}

	~StdCapture()
	{
		if (_out >= 0)
			finish();
	}

private:
	std::string _path;
	int _out = -1;
	int _err = -1;
};

std::string exceptionText(const std::function<void()>& f)
{
	try
	{
		f();
	}
	catch (Poco::Exception& e)
	{
		return e.displayText();
	}
	catch (std::exception& e)
	{
		return e.what();
	}
	return std::string();
}

ClientOptions leakOptions(const std::string& host, ErrorRecorder& recorder)
{
	ClientOptions o = securityOptions(host, recorder);
	o.apiKey = kKey;
	o.maxRetries = 1;
	return o;
}

#ifdef POSTHOG_SEND
std::string run(const std::string& program, const std::vector<std::string>& args, const std::string& input)
{
	Poco::Pipe in, out;
	Poco::Process::Args a(args.begin(), args.end());
	Poco::ProcessHandle child = Poco::Process::launch(program, a, &in, &out, &out);
	{
		Poco::PipeOutputStream feed(in);
		feed << input;
	}
	in.close(Poco::Pipe::CLOSE_WRITE);
	Poco::PipeInputStream output(out);
	std::string text;
	Poco::StreamCopier::copyToString(output, text);
	child.wait();
	return text;
}
#endif

} // namespace

class SecretsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SecretsTest);
	CPPUNIT_TEST(testMaskKey);
	CPPUNIT_TEST(testKeyNeverInAnyOutputOfFailingRuns);
	CPPUNIT_TEST(testKeyNeverInConfigurationErrors);
	CPPUNIT_TEST(testRedirectNotFollowed);
#ifdef POSTHOG_SEND
	CPPUNIT_TEST(testKeyNeverInPosthogSendOutput);
#endif
	CPPUNIT_TEST_SUITE_END();

public:
	void testMaskKey()
	{
		CPPUNIT_ASSERT_EQUAL(kMasked, Reporter::maskKey(kKey));
		CPPUNIT_ASSERT_EQUAL("a " + kMasked + " b " + kMasked,
		                     Reporter::maskIn("a " + kKey + " b " + kKey, kKey));
	}

	void testKeyNeverInAnyOutputOfFailingRuns()
	{
		LogCapture logs;
		ErrorRecorder recorder;
		StdCapture std;
		std::string exceptions;
		{
			// 401 whose body echoes the key, then a 500 that echoes it too (retried, logged).
			CaptureServer server;
			CaptureServer::Fault unauthorized;
			unauthorized.status = 401;
			unauthorized.body =
			    "{\"type\":\"authentication_error\",\"detail\":\"project key " + kKey + " is invalid\"}";
			server.failNext(1, unauthorized);
			CaptureServer::Fault broken = unauthorized;
			broken.status = 500;
			broken.retryAfter = "0";
			server.failNext(2, broken);
			Client client(leakOptions(server.url(), recorder));
			client.capture("user-1", "leak test 401");
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
			client.capture("user-1", "leak test 500");
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
			CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.requestCount());
			CPPUNIT_ASSERT_EQUAL(kKey, server.requests()[0].apiKey); // the key did go where it belongs
		}
		{
			// Unreachable host (a port nobody listens on) and a server that never answers in time.
			HostileServer silent(HostileServer::Silent);
			for (const std::string& host : {std::string("http://127.0.0.1:9"), silent.url()})
			{
				ClientOptions o = leakOptions(host, recorder);
				o.httpTimeout = Poco::Timespan(200 * 1000);
				Client client(o);
				client.capture("user-1", "leak test network");
				CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
			}
		}
		// Bad configuration values that contain the key (pasted into the wrong field).
		for (const std::string key :
		     {"posthog.batch.size", "posthog.host", "posthog.http.timeout", "posthog.http.verify",
		      "posthog.queue.overflow", "posthog.pipeline.stages", "posthog.http.proxy"})
		{
			Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
			config->setString("posthog.apiKey", kKey);
			config->setString(key, key == "posthog.http.proxy" ? "socks5://" + kKey + "@proxy:1" : kKey);
			std::string text = exceptionText(
			    [&]
			    {
				    ClientOptions o = ClientOptions::fromConfiguration(*config);
				    o.onError = recorder.callback();
				    Client client(o);
			    });
			CPPUNIT_ASSERT_MESSAGE(key + " with the key in it was accepted", !text.empty());
			exceptions += text + "\n";
		}
		ClientOptions bad = leakOptions("http://127.0.0.1:9", recorder);
		bad.host = kKey;
		exceptions += exceptionText([&] { Client client(bad); }) + "\n";

		std::string output = std.finish();
		std::string everything = logs.text() + recorder.text() + exceptions + output;
		CPPUNIT_ASSERT_MESSAGE(everything, everything.find(kKey) == std::string::npos);
		// The channels were live: failures were logged and reported, with the key masked.
		CPPUNIT_ASSERT_MESSAGE(logs.text(), logs.contains("key " + kMasked)); // the start line
		CPPUNIT_ASSERT_MESSAGE(recorder.text(),
		                       recorder.text().find("authentication_error") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(recorder.text(),
		                       recorder.text().find(kMasked + " is invalid") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(exceptions, exceptions.find("posthog.batch.size = '" + kMasked + "'") !=
		                                       std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(exceptions,
		                       exceptions.find("posthog.host = '" + kMasked + "'") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), recorder.lostEvents());
	}

	void testKeyNeverInConfigurationErrors()
	{
		// The proxy password is a secret too.
		ErrorRecorder recorder;
		ClientOptions o = securityOptions("http://127.0.0.1:9", recorder);
		o.proxy = "http://user:hunter2secret@proxy.example:3128/some/path";
		std::string text = exceptionText([&] { Client client(o); });
		CPPUNIT_ASSERT_MESSAGE(
		    text, text.find("posthog.http.proxy = 'http://user:***@proxy.example:3128/some/path'") !=
		              std::string::npos);
		CPPUNIT_ASSERT(text.find("hunter2") == std::string::npos);
	}

	void testRedirectNotFollowed()
	{
		for (int status : {301, 302, 307, 308})
		{
			CaptureServer elsewhere;
			HostileServer redirector(HostileServer::Redirect, status, elsewhere.url() + "/batch/");
			ErrorRecorder recorder;
			ClientOptions o = securityOptions(redirector.url(), recorder);
			o.apiKey = kKey;
			o.maxRetries = 3;
			ClientStatistics stats;
			{
				Client client(o);
				client.capture("user-1", "redirect test");
				CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Failed);
				stats = client.statistics();
			}
			CPPUNIT_ASSERT_EQUAL(std::size_t(0), elsewhere.requestCount());
			CPPUNIT_ASSERT_EQUAL(1, redirector.requests()); // final, not retried
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats.failed);
			auto errors = recorder.all();
			CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
			CPPUNIT_ASSERT_EQUAL(status, errors[0].httpStatus);
			const std::string& m = errors[0].message;
			CPPUNIT_ASSERT_MESSAGE(m, m.find("HTTP " + std::to_string(status)) != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(m, m.find("redirect to '" + elsewhere.url() + "/batch/'") !=
			                              std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(m, m.find("not followed") != std::string::npos);
		}
	}

#ifdef POSTHOG_SEND
	void testKeyNeverInPosthogSendOutput()
	{
		CaptureServer server;
		CaptureServer::Fault unauthorized;
		unauthorized.status = 401;
		unauthorized.body = "{\"detail\":\"project key " + kKey + " is invalid\"}";
		server.failNext(10, unauthorized);
		std::string input = "{\"event\":\"cli leak test\",\"distinct_id\":\"user-1\"}\n";
		std::string all;
		for (const auto& extra : std::vector<std::vector<std::string>>{
		         {},
		         {"--dry-run"},
		         {"--explain"},
		         {"--list-plugins"},
		         {"-D", "posthog.batch.size=" + kKey},
		         {"-D", "posthog.http.proxy=socks5://" + kKey + "@p:1"},
		         {"-D", "posthog.pipeline.stages=validation,enrichment", "--explain"},
		         {"-D", "posthog.pipeline.stages=validation", "-D",
		          "posthog.pipeline.validation.mode=" + kKey},
		         {"-D", "posthog.pipeline.stages=validation", "-D",
		          "posthog.pipeline.validation.mode=" + kKey, "--explain"},
		         {"-D", "posthog.pipeline.stages=validation", "-D",
		          "posthog.pipeline.validation.mode=" + kKey, "--dry-run"}})
		{
			std::vector<std::string> args{"--api-key", kKey, "--host", server.url()};
			args.insert(args.end(), extra.begin(), extra.end());
			all += run(POSTHOG_SEND, args, input);
		}
		CPPUNIT_ASSERT_MESSAGE(all, all.find(kKey) == std::string::npos);
		// It did run: the 401 was reported, the bad values named, with the key masked.
		CPPUNIT_ASSERT_MESSAGE(all, all.find("401") != std::string::npos);
		CPPUNIT_ASSERT_MESSAGE(all, all.find("posthog.batch.size = '" + kMasked + "'") != std::string::npos);
	}
#endif
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretsTest);
