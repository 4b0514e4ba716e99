//
// ClientSubsystem.h
//
// A posthog-cpp Client as a Poco::Util::Subsystem of a Poco Application.
//

#ifndef PostHog_ClientSubsystem_INCLUDED
#define PostHog_ClientSubsystem_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Util/Subsystem.h"
#include "PostHog/Client.h"
#include "PostHog/PostHog.h"
#include <memory>
#include <string>

namespace PostHog
{

class PostHog_API ClientSubsystem : public Poco::Util::Subsystem
/// Embeds a Client in a Poco::Util::Application (or ServerApplication) in one line:
///
///     MyApp::MyApp() { addSubsystem(new PostHog::ClientSubsystem); }
///
///     int MyApp::main(const ArgVec&)
///     {
///         auto& posthog = getSubsystem<PostHog::ClientSubsystem>().client();
///         posthog.capture("user-42", "app started");
///         ...
///     }
///
/// initialize() builds the Client from the posthog.* keys of the application's
/// LayeredConfiguration (every key ClientOptions::fromConfiguration() reads, the
/// posthog.pipeline.* chain included), so whatever the application loaded with
/// loadConfiguration() — .properties, XML, INI, JSON — and every command-line override
/// applies. Load the configuration before Application::initialize() runs the subsystems
/// (in your initialize(), call loadConfiguration() first, then Application::initialize(self)).
/// The client logs to the application's logger (app.logger()).
///
/// uninitialize() flushes and shuts the client down (waiting up to posthog.shutdownTimeout),
/// so events recorded by main() are delivered before the process ends.
///
/// Poco logging: the subsystem's client is the default client of PostHog::LogChannel, so a
/// configuration with `logging.channels.<name>.class = PostHogLogChannel` sends the
/// application's Poco::Logger records to PostHog Logs; the channel class is registered before
/// Poco's LoggingSubsystem reads the configuration, and records logged before initialize() or
/// after uninitialize() are dropped.
///
/// defineOptions() adds these command-line options (Poco long options; call
/// Application::defineOptions(options) from your override so subsystems get theirs):
///
///     --posthog-api-key=<key>             sets posthog.apiKey
///     --posthog-host=<url>                sets posthog.host
///     --posthog-define=<key>=<value>      sets posthog.<key> (the posthog. prefix is optional),
///                                         repeatable: --posthog-define=batch.size=10
///     --posthog-disable                   sets posthog.enabled = false
///
/// They write to the application's own configuration layer, which has priority over
/// configuration files.
///
/// When PostHog is not configured, the application still runs:
/// - posthog.enabled = false, or no posthog.apiKey at all: client() is a disabled Client whose
///   calls do nothing (capture returns an empty uuid), no plugin is loaded, and a missing key
///   is logged once as a warning naming the key. Analytics never stop an application from
///   starting because an environment has no key.
/// - A key that is present but wrong (a bad value, a plugin that does not load): initialize()
///   throws ConfigurationException or PluginException with a one-sentence message naming the
///   key. Poco's Application::run() logs it to the application logger and returns
///   EXIT_CONFIG (78) without calling main(): a misconfiguration is found at startup, not
///   when the first event is lost.
{
public:
	ClientSubsystem();
	/// An empty subsystem; the client is built in initialize().

	explicit ClientSubsystem(ClientOptions codeOptions);
	/// Carries what only code can set into the client: the error callback (onError) and the
	/// middleware registered in code (middleware). Every other setting is read from the
	/// configuration in initialize() (posthog.* keys, ClientOptions' defaults when absent);
	/// loggerName is always the application logger's.

	const char* name() const override;
	/// "PostHog".

	Client& client();
	/// The client, between initialize() and uninitialize(). Throws Poco::IllegalStateException
	/// outside that time.

	bool hasClient() const;
	/// True between initialize() and uninitialize().

protected:
	~ClientSubsystem() override;

	void initialize(Poco::Util::Application& app) override;
	/// Builds the client from app.config(). Throws ConfigurationException or PluginException
	/// for a wrong setting (see the class comment for what is not an error).

	void uninitialize() override;
	/// Flushes, shuts the client down and destroys it. Never throws.

	void defineOptions(Poco::Util::OptionSet& options) override;
	/// The --posthog-* options above.

private:
	void handleDefine(const std::string& name, const std::string& value);
	void handleDisable(const std::string& name, const std::string& value);

	ClientOptions _defaults;
	std::unique_ptr<Client> _client;
	mutable Poco::FastMutex _mutex;
};

} // namespace PostHog

#endif // PostHog_ClientSubsystem_INCLUDED
