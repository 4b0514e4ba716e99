//
// LogChannel.cpp
//

#include "PostHog/LogChannel.h"
#include "Poco/Instantiator.h"
#include "Poco/LoggingFactory.h"
#include "Poco/Message.h"
#include "Poco/RWLock.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include <mutex>

namespace PostHog
{

namespace
{

Poco::RWLock& bindingLock()
{
	static Poco::RWLock* lock = new Poco::RWLock; // never destroyed: channels may log during exit
	return *lock;
}

Client* defaultClient = nullptr; // under bindingLock()

thread_local bool inChannel = false;

bool ownRecord(const Poco::Message& message)
{
	const std::string& source = message.getSource();
	if (source == "PostHog" || source.compare(0, 8, "PostHog.") == 0)
		return true;
	return message.getThread().compare(0, 8, "PostHog ") == 0;
}

// Registers the class when the library is loaded, so a LoggingConfigurator that runs before
// any PostHog object exists (Poco::Util::Application::setup() does) already knows it.
struct Registrar
{
	Registrar()
	{
		try
		{
			LogChannel::registerClass();
		}
		catch (...)
		{
		}
	}
} registrar;

} // namespace

LogChannel::LogChannel() = default;

LogChannel::LogChannel(Client& client) : _client(&client) {}

LogChannel::~LogChannel() = default;

void LogChannel::setClient(Client* client)
{
	Poco::ScopedWriteRWLock lock(bindingLock());
	_client = client;
}

void LogChannel::bindDefault(Client* client)
{
	Poco::ScopedWriteRWLock lock(bindingLock());
	defaultClient = client;
}

void LogChannel::unbindDefault(Client* client)
{
	Poco::ScopedWriteRWLock lock(bindingLock());
	if (defaultClient == client)
		defaultClient = nullptr;
}

void LogChannel::registerClass()
{
	static std::once_flag once;
	std::call_once(once,
	               []
	               {
		               Poco::LoggingFactory& factory = Poco::LoggingFactory::defaultFactory();
		               factory.registerChannelClass("PostHogLogChannel",
		                                            new Poco::Instantiator<LogChannel, Poco::Channel>);
	               });
}

LogLevel LogChannel::levelOf(int pocoPriority) noexcept
{
	switch (pocoPriority)
	{
	case Poco::Message::PRIO_FATAL:
	case Poco::Message::PRIO_CRITICAL:
		return LogLevel::Fatal;
	case Poco::Message::PRIO_ERROR:
		return LogLevel::Error;
	case Poco::Message::PRIO_WARNING:
		return LogLevel::Warn;
	case Poco::Message::PRIO_DEBUG:
		return LogLevel::Debug;
	case Poco::Message::PRIO_TRACE:
		return LogLevel::Trace;
	default:
		return LogLevel::Info;
	}
}

void LogChannel::log(const Poco::Message& message)
{
	if (inChannel || ownRecord(message))
		return;
	LogLevel level = levelOf(message.getPriority());
	if (severityNumber(level) < severityNumber(_minLevel))
		return;
	inChannel = true;
	try
	{
		Poco::ScopedReadRWLock lock(bindingLock());
		Client* client = _client ? _client : defaultClient;
		if (client)
		{
			LogRecord record;
			record.body = message.getText();
			record.level = level;
			record.timeUnixNano = static_cast<std::uint64_t>(message.getTime().epochMicroseconds()) * 1000;
			if (!message.getSource().empty())
				record.attributes.set(_sourceKey, message.getSource());
			if (!message.getThread().empty())
				record.attributes.set("thread.name", message.getThread());
			record.attributes.set("thread.id", static_cast<long>(message.getTid()));
			if (message.getSourceFile())
			{
				record.attributes.set("code.filepath", message.getSourceFile());
				record.attributes.set("code.lineno", message.getSourceLine());
			}
			client->captureLog(std::move(record));
		}
	}
	catch (...)
	{
		// A logging channel must not throw into the application's logging call.
	}
	inChannel = false;
}

void LogChannel::setProperty(const std::string& name, const std::string& value)
{
	if (name == "source")
	{
		if (value.empty())
			throw ConfigurationException("PostHogLogChannel property source must not be empty");
		_sourceKey = value;
	}
	else if (name == "minLevel")
		_minLevel = parseLogLevel(value);
	else
		Poco::Channel::setProperty(name, value);
}

std::string LogChannel::getProperty(const std::string& name) const
{
	if (name == "source")
		return _sourceKey;
	if (name == "minLevel")
		return severityText(_minLevel);
	return Poco::Channel::getProperty(name);
}

} // namespace PostHog
