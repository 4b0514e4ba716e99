//
// ClientTestSupport.h
//
// Helpers shared by the Client suites: options aimed at a CaptureServer, a recorder for the
// error callback, a capture of the "PostHog" logger, and small JSON accessors.
//

#ifndef PostHogTest_ClientTestSupport_INCLUDED
#define PostHogTest_ClientTestSupport_INCLUDED

#include "CaptureServer.h"
#include "ErrorRecorder.h"
#include "Poco/AutoPtr.h"
#include "Poco/Channel.h"
#include "Poco/JSON/Object.h"
#include "Poco/Logger.h"
#include "Poco/Message.h"
#include "Poco/Mutex.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "PostHog/Client.h"
#include "PostHog/ClientError.h"
#include <dirent.h>
#include <set>
#include <string>
#include <vector>

namespace PostHogTest
{

inline PostHog::ClientOptions optionsFor(const CaptureServer& server)
/// A client aimed at server: long batch interval (only size and flush send), fast retries.
{
	PostHog::ClientOptions o;
	o.apiKey = "phc_test_key_1234";
	o.host = server.url();
	o.batchInterval = Poco::Timespan(60, 0);
	o.retryBaseDelay = Poco::Timespan(10 * 1000);
	o.shutdownTimeout = Poco::Timespan(10, 0);
	return o;
}

class LogCapture
/// Replaces the channel of the "PostHog" logger for its lifetime and records what it logs.
{
public:
	class Recorder : public Poco::Channel
	{
	public:
		void log(const Poco::Message& msg) override
		{
			Poco::FastMutex::ScopedLock lock(_mutex);
			_messages.push_back(msg);
		}
		std::vector<Poco::Message> messages() const
		{
			Poco::FastMutex::ScopedLock lock(_mutex);
			return _messages;
		}

	private:
		mutable Poco::FastMutex _mutex;
		std::vector<Poco::Message> _messages;
	};

	LogCapture() : _logger(Poco::Logger::get("PostHog")), _recorder(new Recorder)
	{
		_previous = _logger.getChannel();
		_previousLevel = _logger.getLevel();
		_logger.setChannel(_recorder);
		_logger.setLevel(Poco::Message::PRIO_INFORMATION);
	}

	~LogCapture()
	{
		_logger.setChannel(_previous);
		_logger.setLevel(_previousLevel);
	}

	std::size_t count(Poco::Message::Priority atMost, const std::string& containing = std::string()) const
	/// Messages of priority atMost or more severe whose text contains `containing`.
	{
		std::size_t n = 0;
		for (const auto& m : _recorder->messages())
		{
			if (m.getPriority() <= atMost && m.getText().find(containing) != std::string::npos)
				++n;
		}
		return n;
	}

private:
	Poco::Logger& _logger;
	Poco::AutoPtr<Recorder> _recorder;
	Poco::Channel::Ptr _previous;
	int _previousLevel;
};

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
	{
		std::size_t n = 0;
		for (const auto& id : threadIds())
			n += _started.count(id);
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
