//
// ClientTestSupport.h
//
// Helpers shared by the Client suites: the thread count and small JSON accessors, with the
// shared support (CaptureServer, ErrorRecorder, LogCapture, TestOptions, WaitUntil) included.
//

#ifndef PostHogTest_ClientTestSupport_INCLUDED
#define PostHogTest_ClientTestSupport_INCLUDED

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "LogCapture.h"
#include "Poco/JSON/Object.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/Client.h"
#include "PostHog/ClientError.h"
#include "TestOptions.h"
#include "WaitUntil.h"
#include <dirent.h>
#include <set>
#include <string>
#include <vector>

namespace PostHogTest
{

inline std::size_t threadCount()
/// The number of threads of this process (from /proc/self/task).
{
	std::size_t n = 0;
	if (DIR* dir = opendir("/proc/self/task"))
	{
		while (dirent* e = readdir(dir))
		{
			if (e->d_name[0] != '.')
				++n;
		}
		closedir(dir);
	}
	return n;
}

inline std::set<std::string> threadIds()
/// The thread ids of this process (from /proc/self/task).
{
	std::set<std::string> ids;
	if (DIR* dir = opendir("/proc/self/task"))
	{
		while (dirent* e = readdir(dir))
		{
			if (e->d_name[0] != '.')
				ids.insert(e->d_name);
		}
		closedir(dir);
	}
	return ids;
}

class StartedThreads
/// The threads started between construction and started() (a client's worker and senders,
/// taken right after the client's constructor): alive() says how many of those still run.
/// Unlike a count of the process's threads, other threads coming and going meanwhile (the test
/// server's pool grows with the connections it serves) do not change the answer.
{
public:
	StartedThreads() : _before(threadIds()) {}

	std::size_t started()
	{
		for (const auto& id : threadIds())
		{
			if (_before.count(id) == 0)
				_started.insert(id);
		}
		return _started.size();
	}

	std::size_t alive() const
	/// Waits up to two seconds for the count to reach zero: a joined thread leaves
	/// /proc/self/task a little after pthread_join returns (the kernel wakes the joiner
	/// before it releases the task), which a slow build (TSan) makes visible.
	{
		std::size_t n = 0;
		waitUntil(
		    [&]
		    {
			    n = 0;
			    for (const auto& id : threadIds())
				    n += _started.count(id);
			    return n == 0;
		    },
		    2000);
		return n;
	}

private:
	std::set<std::string> _before;
	std::set<std::string> _started;
};

inline Poco::JSON::Object::Ptr props(const Poco::JSON::Object::Ptr& event)
{
	return event->getObject("properties");
}

inline std::string str(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
	return object->getValue<std::string>(key);
}

inline std::vector<std::string> eventNames(const std::vector<Poco::JSON::Object::Ptr>& events)
{
	std::vector<std::string> names;
	for (const auto& e : events)
		names.push_back(e->getValue<std::string>("event"));
	return names;
}

} // namespace PostHogTest

#endif // PostHogTest_ClientTestSupport_INCLUDED
