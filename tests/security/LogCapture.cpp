//
// LogCapture.cpp
//

#include "LogCapture.h"
#include "Poco/Logger.h"

namespace PostHogTest
{

class LogCapture::Collector : public Poco::Channel
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

LogCapture::LogCapture() : _collector(new Collector)
{
	Poco::Logger& root = Poco::Logger::root();
	_previous = root.getChannel();
	_previousLevel = root.getLevel();
	Poco::Logger::setChannel("", _collector);
	Poco::Logger::setLevel("", Poco::Message::PRIO_TRACE);
}

LogCapture::~LogCapture()
{
	Poco::Logger::setChannel("", _previous);
	Poco::Logger::setLevel("", _previousLevel);
}

std::vector<std::string> LogCapture::lines() const
{
	std::vector<std::string> out;
	for (const auto& m : _collector->messages())
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
	for (const auto& m : _collector->messages())
	{
		if (m.getPriority() == priority && m.getText().find(fragment) != std::string::npos)
			return true;
	}
	return false;
}

} // namespace PostHogTest
