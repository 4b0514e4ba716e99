//
// CrashTest.cpp
//
// Exception autocapture across a process death: a forked child with autocapture on dies of a
// real fault (or an uncaught exception), and the next client start in this process delivers
// what it left, once.
//

#include "ErrorsTestSupport.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/ErrorHandler.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Thread.h"
#include <atomic>
#include <csignal>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::size_t filesIn(const std::string& dir)
{
	std::size_t n = 0;
	for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
		++n;
	return n;
}

ClientOptions crashOptions(const std::string& host, const std::string& crashDir)
{
	ClientOptions o;
	o.apiKey = "test-token";
	o.host = host;
	o.batchInterval = Poco::Timespan(60, 0);
	o.retryBaseDelay = Poco::Timespan(10 * 1000);
	o.exceptionAutocapture = true;
	o.exceptionCrashDir = crashDir;
	return o;
}

} // namespace

// External linkage: -rdynamic exports the name, so the next start can name the crash site.
void crashHere();

__attribute__((noinline)) void crashHere()
{
	// A store to a page that allows no access: a real SIGSEGV, and no undefined behaviour that
	// UndefinedBehaviorSanitizer would stop first (as it does a store through a null pointer).
	void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int* volatile nowhere = static_cast<int*>(page);
	*nowhere = 1;
}

namespace
{

// An exception leaving this function ends the process in std::terminate, without unwinding into
// the test runner's catch blocks.
template<typename Body>
void runNoexcept(Body& body, Client& client) noexcept
{
	body(client);
}

// Runs body in a child process with autocapture on; returns the child's wait status.
template<typename Body>
int inChild(const std::string& host, const std::string& crashDir, Body body)
{
	pid_t pid = ::fork();
	if (pid == 0)
	{
		struct rlimit none = {0, 0};
		::setrlimit(RLIMIT_CORE, &none);
		{
			Client client(crashOptions(host, crashDir));
			runNoexcept(body, client);
		}
		::_exit(0);
	}
	int status = 0;
	::waitpid(pid, &status, 0);
	return status;
}

} // namespace

class CrashTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(CrashTest);
	CPPUNIT_TEST(testDeferredNativeCrashRetainsOriginalBoundaryMetadata);
	CPPUNIT_TEST(testACrashLoopDoesNotDuplicate);
	CPPUNIT_TEST(testTerminatingFailureIsFatalAndUnhandled);
	CPPUNIT_TEST(testExceptionEscapingAPocoThreadIsCapturedAndPassedOn);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override
	{
		_dir = Poco::TemporaryFile::tempName() + "/";
		Poco::File(_dir).createDirectories();
	}

	void tearDown() override { Poco::File(_dir).remove(true); }

	void testDeferredNativeCrashRetainsOriginalBoundaryMetadata()
	{
		int status = inChild("http://127.0.0.1:9", _dir, [](Client&) { crashHere(); });
		CPPUNIT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV); // died as it would have
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), filesIn(_dir));

		CaptureServer server;
		Client client(crashOptions(server.url(), _dir));
		auto event = onlyEvent(client, server);
		CPPUNIT_ASSERT_EQUAL(std::string("$exception"), str(event, "event"));
		CPPUNIT_ASSERT_EQUAL(std::string("fatal"), str(props(event), "$exception_level"));
		CPPUNIT_ASSERT_EQUAL(std::string("SIGSEGV"), str(entry(event, 0), "type"));
		CPPUNIT_ASSERT_EQUAL(std::string("signal"), str(mechanism(event, 0), "type"));
		CPPUNIT_ASSERT(!mechanism(event, 0)->getValue<bool>("handled"));
		CPPUNIT_ASSERT(!mechanism(event, 0)->getValue<bool>("synthetic")); // the crashed thread's own stack
		// The fault site is named from this process's copy of the same executable.
		auto f = frames(event);
		bool sawCrashSite = false;
		std::string names;
		for (unsigned i = 0; i < f->size(); ++i)
		{
			std::string function = f->getObject(i)->getValue<std::string>("function");
			names += function + " @ " + f->getObject(i)->optValue<std::string>("module", "") + " | ";
			sawCrashSite = sawCrashSite || function.find("crashHere") != std::string::npos;
		}
		CPPUNIT_ASSERT_MESSAGE(names, sawCrashSite);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), filesIn(_dir)); // deleted once sent
	}

	void testACrashLoopDoesNotDuplicate()
	{
		for (int i = 0; i < 2; ++i)
		{
			int status = inChild("http://127.0.0.1:9", _dir, [](Client&) { crashHere(); });
			CPPUNIT_ASSERT(WIFSIGNALED(status));
		}
		CaptureServer server;
		{
			Client client(crashOptions(server.url(), _dir));
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.eventCount()); // one per crash
		{
			Client again(crashOptions(server.url(), _dir));
			again.flush(Poco::Timespan(10, 0));
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), server.eventCount()); // nothing sent twice
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), filesIn(_dir));
	}

	void testTerminatingFailureIsFatalAndUnhandled()
	{
		CaptureServer server;
		int status =
		    inChild(server.url(), _dir, [](Client&) { throw std::runtime_error("nobody caught me"); });
		CPPUNIT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
		CPPUNIT_ASSERT(server.waitForEvents(1, 10000));
		auto event = server.events()[0];
		CPPUNIT_ASSERT_EQUAL(std::string("fatal"), str(props(event), "$exception_level"));
		CPPUNIT_ASSERT(!mechanism(event, 0)->getValue<bool>("handled"));
		CPPUNIT_ASSERT_EQUAL(std::string("nobody caught me"), str(entry(event, 0), "value"));
		CPPUNIT_ASSERT_EQUAL(std::string("cpp.std_terminate"), str(props(event), "$exception_source"));
		// The abort() that followed was not recorded a second time.
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), filesIn(_dir));
	}

	void testExceptionEscapingAPocoThreadIsCapturedAndPassedOn()
	{
		// Poco::Thread catches what escapes run() and hands it to Poco::ErrorHandler: ours
		// captures it, then the handler that was installed before still sees it.
		struct Counting : public Poco::ErrorHandler
		{
			void exception(const std::exception&) override { ++seen; }
			std::atomic<int> seen{0};
		};
		static Counting previous; // outlives the test: ours keeps chaining to it
		previous.seen = 0;
		Poco::ErrorHandler* original = Poco::ErrorHandler::set(&previous);
		CaptureServer server;
		{
			Client client(crashOptions(server.url(), _dir)); // installs ours on top of `previous`
			Poco::Thread thread;
			thread.startFunc([] { throw std::runtime_error("escaped a Poco thread"); });
			thread.join();
			auto event = onlyEvent(client, server);
			CPPUNIT_ASSERT_EQUAL(std::string("escaped a Poco thread"), str(entry(event, 0), "value"));
			CPPUNIT_ASSERT_EQUAL(std::string("poco.error_handler"), str(props(event), "$exception_source"));
			CPPUNIT_ASSERT(!mechanism(event, 0)->getValue<bool>("handled"));
		}
		CPPUNIT_ASSERT_EQUAL(1, previous.seen.load());
		(void)original;
	}

private:
	std::string _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashTest);
