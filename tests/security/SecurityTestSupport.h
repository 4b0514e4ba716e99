//
// SecurityTestSupport.h
//
// Small helpers shared by the security suites: the error callback recorder, options for a
// loopback server, and the path of a program next to this one.
//

#ifndef PostHogTest_SecurityTestSupport_INCLUDED
#define PostHogTest_SecurityTestSupport_INCLUDED

#include "ErrorRecorder.h"
#include "Poco/Mutex.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientOptions.h"
#include "TestOptions.h"
#include <string>
#include <vector>

namespace PostHogTest
{

inline PostHog::ClientOptions securityOptions(const std::string& host, ErrorRecorder& recorder)
/// testOptions() failing fast: no retry, a 2 s request timeout, a 5 s shutdown.
{
	PostHog::ClientOptions o = testOptions(host, "phc_securitytest_key_0123456789abcdWXYZ");
	o.maxRetries = 0;
	o.httpTimeout = Poco::Timespan(2, 0);
	o.shutdownTimeout = Poco::Timespan(5, 0);
	o.proxy = "none"; // whatever the environment of the test run says
	o.onError = recorder.callback();
	return o;
}

} // namespace PostHogTest

#endif // PostHogTest_SecurityTestSupport_INCLUDED
