//
// LogCapture.h
//
// Collects what every Poco::Logger writes while it is alive.
//

#ifndef PostHogTest_LogCapture_INCLUDED
#define PostHogTest_LogCapture_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Channel.h"
#include "Poco/Message.h"
#include "Poco/Mutex.h"
#include <string>
#include <vector>

namespace PostHogTest
{

class LogCapture
/// Installs a collecting channel on every logger (Logger::setChannel("", ...), so loggers that
/// already exist are covered too) at trace level, and puts the previous channel and level of
/// the root logger back on every logger when destroyed.
{
public:
	LogCapture();
	~LogCapture();

	std::vector<std::string> lines() const;
	/// "source [priority]: text" of every message, in order.
	std::string text() const;
	/// Every line, newline-separated.
	bool contains(const std::string& fragment) const;
	bool contains(const std::string& fragment, Poco::Message::Priority priority) const;
	/// Some message at exactly this priority contains fragment.

	class Collector;

private:
	Poco::AutoPtr<Collector> _collector;
	Poco::AutoPtr<Poco::Channel> _previous;
	int _previousLevel;
};

} // namespace PostHogTest

#endif // PostHogTest_LogCapture_INCLUDED
