//
// SecurityTestSupport.h
//
// Small helpers shared by the security suites: the error callback recorder, options for a
// loopback server, and the path of a program next to this one.
//

#ifndef PostHogTest_SecurityTestSupport_INCLUDED
#define PostHogTest_SecurityTestSupport_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientOptions.h"
#include <string>
#include <vector>

namespace PostHogTest
{

class ErrorRecorder
/// What the error callback received, thread-safe.
{
public:
	PostHog::ErrorCallback callback()
	{
		return [this](const PostHog::ClientError& e)
		{
			Poco::FastMutex::ScopedLock lock(_mutex);
			_errors.push_back(e);
		};
	}

	std::vector<PostHog::ClientError> errors() const
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		return _errors;
	}

	std::string text() const
	{
		std::string out;
		for (const auto& e : errors())
			out += std::string(PostHog::ClientError::kindName(e.kind)) + ": " + e.message + "\n";
		return out;
	}

	std::size_t eventsLost() const
	{
		std::size_t n = 0;
		for (const auto& e : errors())
			n += e.events;
		return n;
	}

	bool waitForEvents(std::size_t events, long timeoutMs) const
	{
		Poco::Timestamp start;
		while (eventsLost() < events)
		{
			if (start.elapsed() / 1000 > timeoutMs)
				return false;
			Poco::Thread::sleep(5);
		}
		return true;
	}

private:
	mutable Poco::FastMutex _mutex;
	std::vector<PostHog::ClientError> _errors;
};

inline PostHog::ClientOptions securityOptions(const std::string& host, ErrorRecorder& recorder)
/// A client for host that fails fast: one retry 10 ms later, 2 s timeout, no batching delay.
{
	PostHog::ClientOptions o;
	o.apiKey = "phc_securitytest_key_0123456789abcdWXYZ";
	o.host = host;
	o.batchInterval = Poco::Timespan(60, 0);
	o.maxRetries = 0;
	o.retryBaseDelay = Poco::Timespan(10 * 1000);
	o.httpTimeout = Poco::Timespan(2, 0);
	o.shutdownTimeout = Poco::Timespan(5, 0);
	o.proxy = "none"; // whatever the environment of the test run says
	o.onError = recorder.callback();
	return o;
}

} // namespace PostHogTest

#endif // PostHogTest_SecurityTestSupport_INCLUDED
