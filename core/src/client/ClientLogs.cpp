//
// ClientLogs.cpp
//
// Client's logs and AI-event methods.
//

#include "Poco/Ascii.h"
#include "PostHog/Client.h"
#include "client/ClientCalls.h"
#include "client/ClientImpl.h"
#include "encoding/UuidGenerator.h"

namespace PostHog
{

using namespace ClientCalls;

int severityNumber(LogLevel level) noexcept
{
	switch (level)
	{
	case LogLevel::Trace:
		return 1;
	case LogLevel::Debug:
		return 5;
	case LogLevel::Info:
		return 9;
	case LogLevel::Warn:
		return 13;
	case LogLevel::Error:
		return 17;
	case LogLevel::Fatal:
		return 21;
	}
	return 9;
}

const char* severityText(LogLevel level) noexcept
{
	switch (level)
	{
	case LogLevel::Trace:
		return "TRACE";
	case LogLevel::Debug:
		return "DEBUG";
	case LogLevel::Info:
		return "INFO";
	case LogLevel::Warn:
		return "WARN";
	case LogLevel::Error:
		return "ERROR";
	case LogLevel::Fatal:
		return "FATAL";
	}
	return "INFO";
}

LogLevel parseLogLevel(std::string_view name) noexcept
{
	std::string lower;
	for (char c : name)
		lower += static_cast<char>(Poco::Ascii::toLower(c));
	if (lower == "trace")
		return LogLevel::Trace;
	if (lower == "debug")
		return LogLevel::Debug;
	if (lower == "warn" || lower == "warning")
		return LogLevel::Warn;
	if (lower == "error")
		return LogLevel::Error;
	if (lower == "fatal")
		return LogLevel::Fatal;
	return LogLevel::Info;
}

bool Client::captureLog(const std::string& body, LogLevel level, Properties attributes,
                        const std::string& traceId, const std::string& spanId)
{
	LogRecord record;
	record.body = body;
	record.level = level;
	record.attributes = std::move(attributes);
	record.traceId = traceId;
	record.spanId = spanId;
	return captureLog(std::move(record));
}

bool Client::captureLog(LogRecord record)
{
	ClientImpl& impl = *_impl;
	LogService* logs = impl.logs();
	if (!logs || !impl.options().enabled)
		return false;
	if (impl.optedOut())
	{
		logs->countDrop("opted_out");
		return false;
	}
	if (!impl.accepting())
	{
		logs->countDrop("shutdown");
		return false;
	}
	return logs->capture(std::move(record));
}

LogFacade Client::logger() noexcept
{
	return LogFacade(*this);
}

std::string Client::captureAi(const std::string& distinctId, const std::string& event, Properties properties)
{
	return captureAi(distinctId, event, std::move(properties), noOptions());
}

std::string Client::captureAi(const std::string& distinctId, const std::string& event, Properties properties,
                              const EventOptions& options)
{
	ClientImpl& impl = *_impl;
	if (silenced(impl) || !impl.ai())
		return std::string();
	if (distinctId.empty() || event.empty())
	{
		impl.reject("captureAi '" + event + "' rejected: " +
		            (distinctId.empty() ? "a distinct id is required" : "the event name is empty"));
		return std::string();
	}
	if (!impl.accepting())
		return std::string();
	Message message(Message::Type::Capture, event, distinctId, AiRoute::withoutNulls(properties));
	if (!stamp(impl, message, options))
		return std::string();
	if (!impl.ai()->capture(message))
		return std::string();
	return UuidGenerator::toString(message.uuid());
}

bool LogFacade::log(LogLevel level, const std::string& body, Properties attributes) const
{
	return _client && _client->captureLog(body, level, std::move(attributes));
}

bool LogFacade::trace(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Trace, body, std::move(attributes));
}

bool LogFacade::debug(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Debug, body, std::move(attributes));
}

bool LogFacade::info(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Info, body, std::move(attributes));
}

bool LogFacade::warn(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Warn, body, std::move(attributes));
}

bool LogFacade::error(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Error, body, std::move(attributes));
}

bool LogFacade::fatal(const std::string& body, Properties attributes) const
{
	return log(LogLevel::Fatal, body, std::move(attributes));
}

} // namespace PostHog
