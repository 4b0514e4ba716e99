//
// ClientSubsystem.cpp
//

#include "PostHog/ClientSubsystem.h"
#include "PostHog/ClientKeys.h"
#include "Poco/Logger.h"
#include "Poco/String.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "Poco/Util/Application.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionCallback.h"
#include "Poco/Util/OptionException.h"
#include "Poco/Util/OptionSet.h"
#include "PostHog/Exceptions.h"
#include "PostHog/LogChannel.h"

namespace PostHog
{

// Poco 1.11's Application::setup() configures logging before any subsystem initialises, so the
// PostHogLogChannel class is registered here (and when the library loads), and the channel binds
// to the client lazily.
ClientSubsystem::ClientSubsystem()
{
	LogChannel::registerClass();
}

ClientSubsystem::ClientSubsystem(ClientOptions codeOptions) : _defaults(std::move(codeOptions))
{
	LogChannel::registerClass();
}

ClientSubsystem::~ClientSubsystem()
{
	uninitialize();
}

const char* ClientSubsystem::name() const
{
	return "PostHog";
}

Client& ClientSubsystem::client()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!_client)
		throw Poco::IllegalStateException(
		    "the PostHog client exists only between the subsystem's initialize() and uninitialize()");
	return *_client;
}

bool ClientSubsystem::hasClient() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _client != nullptr;
}

void ClientSubsystem::initialize(Poco::Util::Application& app)
{
	const Poco::Util::AbstractConfiguration& config = app.config();
	ClientOptions options;
	options.onError = _defaults.onError;
	options.logBeforeSend = _defaults.logBeforeSend;
	ClientKeys::check(config); // a misspelt key stops startup even when PostHog ends up disabled
	ConfigMap reader = ClientKeys::read(config, "posthog");
	bool enabled = reader.getBool("enabled");
	std::string apiKey = reader.getString("apiKey");
	Poco::Logger& logger = app.logger();
	if (!enabled || Poco::trim(apiKey).empty())
	{
		if (enabled)
			logger.warning(
			    "PostHog is disabled: posthog.apiKey is not set (set it in the configuration or with "
			    "--posthog-api-key); events recorded through the PostHog subsystem are discarded");
		else
			logger.information("PostHog is disabled (posthog.enabled = false)");
		options.enabled = false;
		options.configuration = new Poco::Util::MapConfiguration; // no pipeline: load no plugin
	}
	else
	{
		ClientOptions read = ClientOptions::fromConfiguration(config);
		read.onError = _defaults.onError;
		read.middleware = _defaults.middleware;
		read.logBeforeSend = _defaults.logBeforeSend;
		options = std::move(read);
	}
	options.loggerName = app.logger().name();
	std::unique_ptr<Client> client(new Client(std::move(options)));
	LogChannel::bindDefault(client.get());
	Poco::FastMutex::ScopedLock lock(_mutex);
	_client = std::move(client);
}

void ClientSubsystem::uninitialize()
{
	std::unique_ptr<Client> client;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		client = std::move(_client);
	}
	if (client)
	{
		LogChannel::unbindDefault(client.get()); // records logged from now on are dropped
		client->shutdown();                      // flushes first; never throws
	}
}

void ClientSubsystem::defineOptions(Poco::Util::OptionSet& options)
{
	options.addOption(Poco::Util::Option("posthog-api-key", "", "PostHog project API key (posthog.apiKey)")
	                      .required(false)
	                      .repeatable(false)
	                      .argument("key")
	                      .binding("posthog.apiKey"));
	options.addOption(Poco::Util::Option("posthog-host", "", "PostHog host URL (posthog.host)")
	                      .required(false)
	                      .repeatable(false)
	                      .argument("url")
	                      .binding("posthog.host"));
	options.addOption(
	    Poco::Util::Option("posthog-define", "",
	                       "set a posthog.* configuration key, e.g. batch.size=10 or "
	                       "pipeline.sampling.rate=0.5 (repeatable)")
	        .required(false)
	        .repeatable(true)
	        .argument("key=value")
	        .callback(Poco::Util::OptionCallback<ClientSubsystem>(this, &ClientSubsystem::handleDefine)));
	options.addOption(
	    Poco::Util::Option("posthog-disable", "", "record nothing (posthog.enabled = false)")
	        .required(false)
	        .repeatable(false)
	        .callback(Poco::Util::OptionCallback<ClientSubsystem>(this, &ClientSubsystem::handleDisable)));
}

void ClientSubsystem::handleDefine(const std::string& name, const std::string& value)
{
	std::string::size_type eq = value.find('=');
	std::string key = Poco::trim(value.substr(0, eq));
	if (eq == std::string::npos || key.empty())
		throw Poco::Util::InvalidArgumentException(
		    "--" + name + "=" + value + ": expected <key>=<value>, e.g. --" + name + "=batch.size=10");
	if (key.compare(0, 8, "posthog.") != 0)
		key = "posthog." + key;
	Poco::Util::Application::instance().config().setString(key, value.substr(eq + 1));
}

void ClientSubsystem::handleDisable(const std::string&, const std::string&)
{
	Poco::Util::Application::instance().config().setBool("posthog.enabled", false);
}

} // namespace PostHog
