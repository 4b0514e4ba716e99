//
// TestOptions.h
//
// The one builder of ClientOptions for the test suites.
//

#ifndef PostHogTest_TestOptions_INCLUDED
#define PostHogTest_TestOptions_INCLUDED

#include "PostHog/ClientOptions.h"
#include <string>

namespace PostHogTest
{

PostHog::ClientOptions testOptions(const std::string& host, const std::string& apiKey = "phc_test_key_1234");
/// A client for a loopback endpoint at host that sends on batch.size and flush() only (a
/// 60 s batch interval), retries after 10 ms, and shuts down within 10 s. Every suite starts
/// from it and sets what it tests:
///
///     ClientOptions o = testOptions(server.url());
///     o.maxRetries = 0;
///     o.onError = errors.callback();

} // namespace PostHogTest

#endif // PostHogTest_TestOptions_INCLUDED
