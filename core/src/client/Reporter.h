//
// Reporter.h
//
// Sends ClientErrors to the error callback and the logger, with the API key masked.
//

#ifndef PostHog_Reporter_INCLUDED
#define PostHog_Reporter_INCLUDED

#include "PostHog/ClientError.h"
#include <string>

namespace Poco
{
class Logger;
}

namespace PostHog
{

class Reporter
/// The one way the client tells the application about a problem: each ClientError goes to
/// the error callback (ClientOptions::onError) and to the logger, with the API key masked in
/// the text wherever it appears. Shared by the client, the sink, the spool and the transport.
{
public:
	Reporter(Poco::Logger& logger, ErrorCallback callback, std::string apiKey);

	void report(ClientError::Kind kind, const std::string& message, int httpStatus = 0,
	            std::size_t events = 0) const;
	/// Logs (warning; error for lost events) and calls the callback. Any occurrence of the
	/// API key in message is masked first. Never throws.

	std::string mask(const std::string& text) const;
	/// text with every occurrence of the API key replaced by its masked form.

	static std::string maskKey(const std::string& key);
	/// "phc_…wxyz": the prefix up to the first '_' and the last four characters.

	static std::string maskIn(const std::string& text, const std::string& key);
	/// text with every occurrence of key (when it has 4 characters or more) masked by maskKey().

	Poco::Logger& logger() const noexcept { return _logger; }

private:
	Poco::Logger& _logger;
	ErrorCallback _callback;
	std::string _apiKey;
	std::string _masked;
};

} // namespace PostHog

#endif // PostHog_Reporter_INCLUDED
