//
// LogCapture.cpp
//

#include "LogCapture.h"
#include "Poco/Logger.h"
#include "Poco/Mutex.h"

namespace PostHogTest
{

class LogCapture::Recorder : public Poco::Channel
/// The channel that keeps every message it is given (loggers may write from any thread).
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

LogCapture::LogCapture(const std::string& logger, Poco::Message::Priority level)
    : _logger(logger), _recorder(new Recorder)
{
	Poco::Logger& target = logger.empty() ? Poco::Logger::root() : Poco::Logger::get(logger);
	_previous = target.getChannel();
	_previousLevel = target.getLevel();
	if (logger.empty())
	{
		Poco::Logger::setChannel("", _recorder);
		Poco::Logger::setLevel("", level);
	}
	else
	{
		target.setChannel(_recorder);
		target.setLevel(level);
	}
}

LogCapture::~LogCapture()
{
	if (_logger.empty())
	{
		Poco::Logger::setChannel("", _previous);
		Poco::Logger::setLevel("", _previousLevel);
	}
	else
	{
		Poco::Logger& target = Poco::Logger::get(_logger);
		target.setChannel(_previous);
		target.setLevel(_previousLevel);
	}
}

std::vector<Poco::Message> LogCapture::messages() const
{
	return _recorder->messages();
}

std::vector<std::string> LogCapture::lines() const
{
	std::vector<std::string> out;
	for (const auto& m : messages())
		out.push_back(m.getSource() + " [" + std::to_string(static_cast<int>(m.getPriority())) +
		              "]: " + m.getText());
	return out;
}

std::string LogCapture::text() const
{
	std::string out;
	for (const auto& line : lines())
		out += line + "\n";
	return out;
}

bool LogCapture::contains(const std::string& fragment) const
{
	return text().find(fragment) != std::string::npos;
}

bool LogCapture::contains(const std::string& fragment, Poco::Message::Priority priority) const
{
	for (const auto& m : messages())
	{
		if (m.getPriority() == priority && m.getText().find(fragment) != std::string::npos)
			return true;
	}
	return false;
}

std::size_t LogCapture::count(Poco::Message::Priority atMost, const std::string& containing) const
{
	std::size_t n = 0;
	for (const auto& m : messages())
	{
		if (m.getPriority() <= atMost && m.getText().find(containing) != std::string::npos)
			++n;
	}
	return n;
}

} // namespace PostHogTest
