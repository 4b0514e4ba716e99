//
// FaultSupport.h
//
// Helpers of the fault suites: options aimed at a CaptureServer, an error recorder, scratch
// spool directories, uuid counting at the endpoint, a reserved port, and the process's RSS.
//

#ifndef PostHogTest_FaultSupport_INCLUDED
#define PostHogTest_FaultSupport_INCLUDED

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "Poco/File.h"
#include "Poco/Mutex.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/Client.h"
#include "PostHog/ClientError.h"
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace PostHogTest
{

using Errors = ErrorRecorder; // tests/support/ErrorRecorder.h

inline PostHog::ClientOptions faultOptions(const std::string& url)
/// Fast retries, a long batch interval (size and flush send), small batches.
{
	PostHog::ClientOptions o;
	o.apiKey = "phc_fault_key_1234";
	o.host = url;
	o.batchSize = 20;
	o.batchInterval = Poco::Timespan(60, 0);
	o.retryBaseDelay = Poco::Timespan(5 * 1000);
	o.httpTimeout = Poco::Timespan(2, 0);
	o.shutdownTimeout = Poco::Timespan(10, 0);
	return o;
}

class ScratchDir
/// A fresh directory under the temp dir, removed (recursively) at the end.
{
public:
	ScratchDir() : _path(Poco::TemporaryFile::tempName()) {}
	~ScratchDir()
	{
		try
		{
			Poco::File f(_path);
			if (f.exists())
				f.remove(true);
		}
		catch (...)
		{
		}
	}
	std::string path() const { return _path; }
	std::string sub(const std::string& name) const { return Poco::Path(_path, name).toString(); }

private:
	std::string _path;
};

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
/// A loopback port nobody listens on (bound once, then released).
{
	Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
	Poco::UInt16 port = s.address().port();
	s.close();
	return port;
}

inline long rssKb()
/// Resident set size of this process, from /proc/self/statm.
{
	std::ifstream in("/proc/self/statm");
	long size = 0, resident = 0;
	in >> size >> resident;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

inline bool waitUntil(const std::function<bool()>& cond, long timeoutMs)
{
	Poco::Timestamp start;
	while (!cond())
	{
		if (start.elapsed() / 1000 > timeoutMs)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
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
