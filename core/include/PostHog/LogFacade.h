//
// LogFacade.h
//
// One helper per severity over Client::captureLog().
//

#ifndef PostHog_LogFacade_INCLUDED
#define PostHog_LogFacade_INCLUDED

#include "PostHog/LogRecord.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <string>

namespace PostHog
{

class Client;

class PostHog_API LogFacade
/// The logger of the logs API, from Client::logger():
///
///     auto log = client.logger();
///     log.info("checkout ready", {{"region", "us"}});
///     log.error("payment failed", {{"order", 42}});
///
/// Each helper is captureLog(body, level, attributes). A default-constructed facade is bound to
/// no client: its calls do nothing and return false, so code may log before the client exists.
/// Copy it freely; it must not outlive its client.
{
public:
	LogFacade() noexcept = default;
	explicit LogFacade(Client& client) noexcept : _client(&client) {}

	bool trace(const std::string& body, Properties attributes = Properties()) const;
	bool debug(const std::string& body, Properties attributes = Properties()) const;
	bool info(const std::string& body, Properties attributes = Properties()) const;
	bool warn(const std::string& body, Properties attributes = Properties()) const;
	bool error(const std::string& body, Properties attributes = Properties()) const;
	bool fatal(const std::string& body, Properties attributes = Properties()) const;
	bool log(LogLevel level, const std::string& body, Properties attributes = Properties()) const;
	/// True when the record was queued.

private:
	Client* _client = nullptr;
};

} // namespace PostHog

#endif // PostHog_LogFacade_INCLUDED
