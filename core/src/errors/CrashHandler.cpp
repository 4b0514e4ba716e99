//
// CrashHandler.cpp
//

#include "errors/CrashHandler.h"
#include "Poco/ErrorHandler.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/Mutex.h"
#include "errors/CrashRecord.h"
#include "errors/ErrorTracker.h"
#include "errors/StackTrace.h"
#include <atomic>
#include <csignal>
#include <cstring>
#include <exception>
#include <execinfo.h>
#include <unistd.h>

namespace PostHog
{

namespace
{

std::atomic<ErrorTracker*> g_target{nullptr};
std::atomic<bool> g_recorded{false};
std::terminate_handler g_previousTerminate = nullptr;
char g_crashDir[4096] = {0};
Poco::FastMutex g_installMutex;
bool g_installed = false;

const int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

// Chains to the handler that was there before.
class PocoErrorHandler : public Poco::ErrorHandler
{
public:
	void chainTo(Poco::ErrorHandler* previous) { _previous = previous; }

	void exception(const Poco::Exception& e) override
	{
		report([&](ErrorTracker& t) { t.captureEscaped(e); });
		if (_previous)
			_previous->exception(e);
	}
	void exception(const std::exception& e) override
	{
		report([&](ErrorTracker& t) { t.captureEscaped(e); });
		if (_previous)
			_previous->exception(e);
	}
	void exception() override
	{
		report([](ErrorTracker& t) { t.captureEscaped(std::runtime_error("unknown exception")); });
		if (_previous)
			_previous->exception();
	}

private:
	template<typename F>
	static void report(F f)
	{
		if (ErrorTracker* t = g_target.load())
		{
			try
			{
				f(*t);
			}
			catch (...)
			{
			}
		}
	}
	Poco::ErrorHandler* _previous = nullptr;
};

PocoErrorHandler g_errorHandler;

// The record's name: <dir>/crash-<pid><ext>, formatted without allocating.
void recordPath(char* out, std::size_t size)
{
	std::size_t n = ::strnlen(g_crashDir, sizeof g_crashDir);
	if (n + 64 > size)
	{
		out[0] = 0;
		return;
	}
	std::memcpy(out, g_crashDir, n);
	std::memcpy(out + n, "crash-", 6);
	n += 6;
	char digits[16];
	int d = 0;
	unsigned long pid = static_cast<unsigned long>(::getpid());
	do
	{
		digits[d++] = static_cast<char>('0' + pid % 10);
		pid /= 10;
	} while (pid != 0);
	while (d > 0)
		out[n++] = digits[--d];
	std::size_t ext = std::strlen(CrashRecord::kExtension);
	std::memcpy(out + n, CrashRecord::kExtension, ext);
	out[n + ext] = 0;
}

} // namespace

void CrashHandler::onSignal(int signal)
{
	if (!g_recorded.exchange(true))
	{
		void* pcs[CrashRecord::kMaxFrames];
		int count = ::backtrace(pcs, CrashRecord::kMaxFrames);
		char path[sizeof g_crashDir + 64];
		recordPath(path, sizeof path);
		if (path[0] != 0)
			CrashRecord::write(path, signal, pcs + 1, count > 1 ? count - 1 : 0);
	}
	::signal(signal, SIG_DFL);
	::raise(signal);
}

void CrashHandler::onTerminate()
{
	ErrorTracker* target = g_target.load();
	if (target != nullptr && !g_recorded.exchange(true))
	{
		try
		{
			target->captureTerminate(std::current_exception());
		}
		catch (...)
		{
		}
	}
	if (g_previousTerminate != nullptr)
		g_previousTerminate();
	std::abort();
}

void CrashHandler::install(const std::string& crashDir)
{
	Poco::FastMutex::ScopedLock lock(g_installMutex);
	std::string dir = crashDir;
	if (!dir.empty() && dir.back() != '/')
		dir += '/';
	if (dir.size() < sizeof g_crashDir)
	{
		std::memset(g_crashDir, 0, sizeof g_crashDir);
		std::memcpy(g_crashDir, dir.data(), dir.size());
	}
	// An application that set its own Poco::ErrorHandler after the first client started gets
	// ours back on top of it with the next client, still passing everything on.
	if (Poco::ErrorHandler::get() != &g_errorHandler)
	{
		g_errorHandler.chainTo(Poco::ErrorHandler::get());
		Poco::ErrorHandler::set(&g_errorHandler);
	}
	if (g_installed)
		return;
	g_installed = true;
	StackTrace::prime();
	static char altStack[64 * 1024];
	stack_t ss;
	std::memset(&ss, 0, sizeof ss);
	ss.ss_sp = altStack;
	ss.ss_size = sizeof altStack;
	::sigaltstack(&ss, nullptr);
	for (int signal : kSignals)
	{
		struct sigaction action;
		std::memset(&action, 0, sizeof action);
		action.sa_handler = &CrashHandler::onSignal;
		action.sa_flags = SA_ONSTACK;
		sigemptyset(&action.sa_mask);
		::sigaction(signal, &action, nullptr);
	}
	g_previousTerminate = std::set_terminate(&CrashHandler::onTerminate);
}

void CrashHandler::setTarget(ErrorTracker* tracker) noexcept
{
	g_target.store(tracker);
}

void CrashHandler::clearTarget(ErrorTracker* tracker) noexcept
{
	ErrorTracker* expected = tracker;
	g_target.compare_exchange_strong(expected, nullptr);
}

} // namespace PostHog
