//
// FlagsHttp.h
//
// One request to a feature flag endpoint of the PostHog host.
//

#ifndef PostHog_FlagsHttp_INCLUDED
#define PostHog_FlagsHttp_INCLUDED

#include "Poco/Net/Context.h"
#include "Poco/Timespan.h"
#include "PostHog/ClientOptions.h"
#include <map>
#include <string>

namespace PostHog
{

class RequestDeadline;

class FlagsHttp
/// Sends one GET or POST to {host}<pathAndQuery> with the client's TLS settings and proxy, and
/// reads the whole answer; the timeout bounds the whole request, not each read (a
/// RequestDeadline shuts the socket down when it passes). A fresh connection per request: flag requests are
/// rare (one poll per interval, a remote evaluation only when local evaluation cannot decide). Never throws.
/// Thread-safe (no state but the TLS context).
{
public:
	struct Response
	{
		int status = 0; /// 0 when no HTTP response arrived
		bool timedOut = false;
		std::string error; /// status 0: what went wrong (secrets masked)
		std::string body;
		std::string etag;
	};

	FlagsHttp(const ClientOptions& options, std::string secretToMask);
	/// Throws ConfigurationException for a bad CA file or proxy (as the capture transport does).

	Response get(const std::string& pathAndQuery, const std::map<std::string, std::string>& headers,
	             Poco::Timespan timeout) const;
	Response post(const std::string& pathAndQuery, const std::string& jsonBody, Poco::Timespan timeout) const;

	static constexpr std::size_t kMaxBody = 64 * 1024 * 1024;

private:
	void exchange(RequestDeadline& deadline, const std::string& method, const std::string& pathAndQuery,
	              const std::map<std::string, std::string>& headers, const std::string& body,
	              Poco::Timespan timeout, Response& response) const;
	Response send(const std::string& method, const std::string& pathAndQuery,
	              const std::map<std::string, std::string>& headers, const std::string& body,
	              Poco::Timespan timeout) const;

	const ClientOptions& _options;
	std::string _secret;
	Poco::Net::Context::Ptr _context;
};

} // namespace PostHog

#endif // PostHog_FlagsHttp_INCLUDED
