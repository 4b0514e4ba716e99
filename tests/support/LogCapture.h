//
// LogCapture.h
//
// Records what Poco loggers write while it is alive.
//

#ifndef PostHogTest_LogCapture_INCLUDED
#define PostHogTest_LogCapture_INCLUDED

#include "Poco/AutoPtr.h"
#include "Poco/Channel.h"
#include "Poco/Message.h"
#include <string>
#include <vector>

namespace PostHogTest
{

class LogCapture
/// Puts a recording channel on one logger, or on every logger, at a chosen level for its
/// lifetime, and puts the previous channel and level back when destroyed:
///
///     LogCapture log("PostHog", Poco::Message::PRIO_INFORMATION); // the client's logger
///     LogCapture all;                                            // every logger, trace level
///
/// With a logger name, only that logger is changed. With none, Logger::setChannel("", ...)
/// covers every logger, the ones that already exist too, and the root logger's previous
/// channel and level are restored on all of them.
{
public:
	explicit LogCapture(const std::string& logger = std::string(),
	                    Poco::Message::Priority level = Poco::Message::PRIO_TRACE);
	~LogCapture();

	LogCapture(const LogCapture&) = delete;
	LogCapture& operator=(const LogCapture&) = delete;

	std::vector<Poco::Message> messages() const;
	/// Every message recorded, in order.
	std::vector<std::string> lines() const;
	/// "source [priority]: text" of every message, in order.
	std::string text() const;
	/// Every line, newline-separated.
	bool contains(const std::string& fragment) const;
	bool contains(const std::string& fragment, Poco::Message::Priority priority) const;
	/// Some message at exactly this priority contains fragment.
	std::size_t count(Poco::Message::Priority atMost, const std::string& containing = std::string()) const;
	/// Messages of priority atMost or more severe whose text contains `containing`.

	class Recorder;

private:
	std::string _logger;
	Poco::AutoPtr<Recorder> _recorder;
	Poco::AutoPtr<Poco::Channel> _previous;
	int _previousLevel;
};

} // namespace PostHogTest

#endif // PostHogTest_LogCapture_INCLUDED
