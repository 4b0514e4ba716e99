//
// LogChannel.h
//
// A Poco::Channel that sends an application's Poco::Logger output to PostHog Logs.
//

#ifndef PostHog_LogChannel_INCLUDED
#define PostHog_LogChannel_INCLUDED

#include "Poco/Channel.h"
#include "PostHog/LogRecord.h"
#include "PostHog/PostHog.h"
#include <string>

namespace PostHog
{

class Client;

class PostHog_API LogChannel : public Poco::Channel
/// Sends every Poco::Message it receives to PostHog Logs through Client::captureLog(), so an
/// application that logs with Poco::Logger gets its logs into PostHog by configuration alone:
///
///     logging.loggers.root.channel = splitter
///     logging.channels.splitter.class = SplitterChannel
///     logging.channels.splitter.channels = console, ph
///     logging.channels.ph.class = PostHogLogChannel
///
/// The class name PostHogLogChannel is registered with Poco's LoggingFactory when the library
/// is loaded (and again, harmlessly, by ClientSubsystem's constructor). A channel binds to its
/// client lazily, at each record: the client given to the constructor or setClient(), else the
/// process-wide one bindDefault() named (ClientSubsystem binds its client in initialize() and
/// unbinds it in uninitialize()). Records that arrive with no client bound, before it starts or
/// after it shut down, are dropped.
///
/// Priorities map to OpenTelemetry severities: fatal and critical to FATAL, error to ERROR,
/// warning to WARN, notice and information to INFO, debug to DEBUG, trace to TRACE. The
/// record's source becomes the attribute logger.name, its thread thread.name and thread.id,
/// its source file and line code.filepath and code.lineno. A record never recurses: messages
/// logged from the client's own threads (named "PostHog ..."), from the "PostHog" logger, or
/// while this channel is inside captureLog() on the same thread are not sent.
///
/// Property "source" (Poco's setProperty, or logging.channels.ph.source in a configuration)
/// renames the logger.name attribute; "minLevel" (trace..fatal) drops records below it.
{
public:
	LogChannel();
	/// Binds to the default client (see bindDefault()) at each record.
	explicit LogChannel(Client& client);
	/// Binds to client, which must outlive the channel or be unbound with setClient(nullptr).

	void setClient(Client* client);
	/// Binds this channel to client (null: the default client again). Thread-safe.

	static void bindDefault(Client* client);
	/// The client every channel without its own sends to (null unbinds). Thread-safe: a record
	/// being sent while the default is unbound finishes first.

	static void unbindDefault(Client* client);
	/// bindDefault(nullptr) when client is the default client; otherwise nothing.

	static void registerClass();
	/// Registers "PostHogLogChannel" with Poco::LoggingFactory::defaultFactory() (once).

	void log(const Poco::Message& message) override;
	void setProperty(const std::string& name, const std::string& value) override;
	std::string getProperty(const std::string& name) const override;

	static LogLevel levelOf(int pocoPriority) noexcept;
	/// The severity a Poco::Message::Priority maps to.

protected:
	~LogChannel() override;

private:
	Client* _client = nullptr;
	std::string _sourceKey = "logger.name";
	LogLevel _minLevel = LogLevel::Trace;
};

} // namespace PostHog

#endif // PostHog_LogChannel_INCLUDED
