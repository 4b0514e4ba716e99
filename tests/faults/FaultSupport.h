//
// FaultSupport.h
//
// Helpers of the fault suites: their client options, uuid counting at the endpoint, a reserved
// port, the process's RSS and a burst of captures, with the shared support included.
//

#ifndef PostHogTest_FaultSupport_INCLUDED
#define PostHogTest_FaultSupport_INCLUDED

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "LoopbackListener.h"
#include "Poco/File.h"
#include "Poco/Mutex.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Path.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/Client.h"
#include "PostHog/ClientError.h"
#include "TempDir.h"
#include "TestOptions.h"
#include "WaitUntil.h"
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace PostHogTest
{

using Errors = ErrorRecorder; // tests/support/ErrorRecorder.h

inline PostHog::ClientOptions faultOptions(const std::string& url)
/// testOptions() with small batches, faster retries and a 2 s request timeout.
{
	PostHog::ClientOptions o = testOptions(url, "phc_fault_key_1234");
	o.batchSize = 20;
	o.retryBaseDelay = Poco::Timespan(5 * 1000);
	o.httpTimeout = Poco::Timespan(2, 0);
	return o;
}

inline std::set<std::string> uuidsAt(const CaptureServer& server, std::size_t* total = nullptr)
/// The distinct uuids of the events the server accepted (and, in total, how many it accepted).
{
	std::set<std::string> out;
	auto events = server.events();
	for (const auto& e : events)
		out.insert(e->getValue<std::string>("uuid"));
	if (total)
		*total = events.size();
	return out;
}

inline Poco::UInt16 reservePort()
/// A loopback port nobody listens on until the test starts its server there (see
/// PostHogTest::reserveLoopbackPort).
{
	return PostHogTest::reserveLoopbackPort();
}

inline long rssKb()
/// Resident set size of this process, from /proc/self/statm.
{
	std::ifstream in("/proc/self/statm");
	long size = 0, resident = 0;
	in >> size >> resident;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

inline std::vector<std::string> captureMany(PostHog::Client& client, std::size_t n,
                                            const std::string& prefix = "e")
/// Captures n events ("<prefix>-<i>"); returns their uuids (empty for a refused call).
{
	std::vector<std::string> uuids;
	uuids.reserve(n);
	for (std::size_t i = 0; i < n; ++i)
		uuids.push_back(client.capture("user-" + std::to_string(i % 7), prefix + "-" + std::to_string(i),
		                               {{"i", static_cast<Poco::Int64>(i)}, {"pad", std::string(200, 'x')}}));
	return uuids;
}

} // namespace PostHogTest

#endif // PostHogTest_FaultSupport_INCLUDED
