//
// StorageFaultSupport.h
//
// Helpers of the storage fault matrix: a small tmpfs, the accounting identity, posthog-send.
//

#ifndef PostHogTest_StorageFaultSupport_INCLUDED
#define PostHogTest_StorageFaultSupport_INCLUDED

#include "FaultSupport.h"
#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Path.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/StreamCopier.h"
#include "PostHog/Client.h"
#include <cppunit/extensions/HelperMacros.h>
#include <cstring>
#include <iostream>
#include <sys/mount.h>
#include <unistd.h>

namespace PostHogTest
{

class SmallFilesystem
/// A tmpfs of the given size mounted at path for the life of the object (root only; otherwise
/// mounted() is false and the skip is said on stderr).
{
public:
	SmallFilesystem(const std::string& path, const std::string& size) : _path(path)
	{
		Poco::File(path).createDirectories();
		if (::geteuid() != 0)
		{
			std::cerr << "\n[skipped] a scenario on a " << size << " tmpfs at " << path
			          << ": mounting needs root\n";
			return;
		}
		std::string options = "size=" + size + ",mode=0700";
		_mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
		if (!_mounted)
			std::cerr << "\n[skipped] a " << size << " tmpfs cannot be mounted at " << path << ": "
			          << std::strerror(errno) << "\n";
	}

	~SmallFilesystem()
	{
		if (_mounted)
			::umount2(_path.c_str(), MNT_DETACH);
	}

	bool mounted() const { return _mounted; }
	const std::string& path() const { return _path; }

private:
	std::string _path;
	bool _mounted = false;
};

inline std::uint64_t lostDrops(const PostHog::ClientStatistics& s)
/// Drops that are not a stage's decision (a full queue or spool, too large).
{
	std::uint64_t n = 0;
	for (const auto& kv : s.droppedByReason)
		if (kv.first.compare(0, 6, "stage:") != 0 && kv.first != "queue_full" && kv.first != "shutdown")
			n += kv.second;
	return n;
}

inline void checkIdentity(const PostHog::ClientStatistics& s, const std::string& what)
/// Every accepted (or replayed) event is in exactly one state; the client is idle.
{
	std::uint64_t stages = 0;
	for (const auto& kv : s.droppedByReason)
		if (kv.first.compare(0, 6, "stage:") == 0)
			stages += kv.second;
	std::uint64_t failedByReason = 0;
	for (const auto& kv : s.failedByReason)
		failedByReason += kv.second;
	std::string detail =
	    what + ": enqueued " + std::to_string(s.enqueued) + ", replayed " + std::to_string(s.replayed) +
	    ", queued " + std::to_string(s.queued) + ", persisted " + std::to_string(s.persisted) +
	    ", in flight " + std::to_string(s.inFlight) + ", delivered " + std::to_string(s.delivered) +
	    ", dropped " + std::to_string(lostDrops(s) + stages) + ", failed " + std::to_string(s.failed);
	CPPUNIT_ASSERT_EQUAL_MESSAGE(detail, s.enqueued + s.replayed,
	                             s.queued + s.persisted + s.inFlight + s.delivered + lostDrops(s) + stages +
	                                 s.failed);
	CPPUNIT_ASSERT_EQUAL_MESSAGE(detail, s.failed, failedByReason);
}

inline PostHog::ClientOptions downOptions(const std::string& spoolPath, Errors& errors)
/// A spooled client whose endpoint is down (a closed loopback port), with short timeouts.
{
	PostHog::ClientOptions o = faultOptions("http://127.0.0.1:" + std::to_string(reservePort()));
	o.spoolPath = spoolPath;
	o.spoolMaxBytes = 64ULL << 20;
	o.maxRetries = 2;
	o.shutdownTimeout = Poco::Timespan(2, 0);
	o.onError = errors.callback();
	return o;
}

inline PostHog::ClientStatistics run(const PostHog::ClientOptions& o, std::size_t n)
{
	PostHog::Client client(o);
	captureMany(client, n);
	client.shutdown();
	return client.statistics();
}

inline PostHog::ClientStatistics drain(CaptureServer& server, const std::string& spoolPath)
/// A second client on the same spool, endpoint up: sends what the first one left.
{
	Errors errors;
	PostHog::ClientOptions o = faultOptions(server.url());
	o.spoolPath = spoolPath;
	o.spoolMaxBytes = 64ULL << 20;
	o.onError = errors.callback();
	PostHog::Client client(o);
	client.flush(Poco::Timespan(20, 0));
	client.shutdown();
	return client.statistics();
}

inline std::size_t occurrences(const std::string& text, const std::string& what)
{
	std::size_t n = 0;
	for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
		++n;
	return n;
}

inline std::size_t countMentions(const Errors& errors, const std::string& what)
{
	return occurrences(errors.text(), what);
}

inline std::string binaryPath(const std::string& relative)
{
	return Poco::Path(Poco::Environment::get("POSTHOG_BINARY_DIR", "."), relative).toString();
}

inline std::string shimPath()
{
	return binaryPath("lib/libPostHogWriteFaultShim.so");
}

inline void writeEvents(const std::string& path, std::size_t n)
{
	Poco::FileOutputStream out(path);
	for (std::size_t i = 0; i < n; ++i)
		out << "{\"event\":\"e" << i << "\",\"distinct_id\":\"u" << i % 7 << "\",\"properties\":{\"pad\":\""
		    << std::string(200, 'x') << "\"}}\n";
}

inline int runSend(const std::vector<std::string>& args, const Poco::Process::Env& env, std::string& output)
/// Runs posthog-send with args and env; output gets its standard error.
{
	Poco::Pipe err;
	Poco::ProcessHandle process =
	    Poco::Process::launch(binaryPath("bin/posthog-send"), args, "", nullptr, nullptr, &err, env);
	Poco::PipeInputStream in(err);
	Poco::StreamCopier::copyToString(in, output);
	return process.wait();
}

} // namespace PostHogTest

#endif // PostHogTest_StorageFaultSupport_INCLUDED
