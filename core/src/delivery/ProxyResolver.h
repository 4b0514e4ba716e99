//
// ProxyResolver.h
//
// Which HTTP proxy, if any, requests to the capture host go through.
//

#ifndef PostHog_ProxyResolver_INCLUDED
#define PostHog_ProxyResolver_INCLUDED

#include "Poco/Types.h"
#include "Poco/URI.h"
#include <string>

namespace Poco
{
namespace Net
{
class HTTPClientSession;
}
} // namespace Poco

namespace PostHog
{

struct ClientOptions;

class ProxyResolver
/// Resolves the proxy for a target from posthog.http.proxy and the usual environment variables
/// (https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY, no_proxy/NO_PROXY), as curl and Go read them.
/// Only http:// proxies (with optional basic-auth user info) are supported; a bad URL is a
/// ConfigurationException naming where it came from. Stateless; all functions are static.
{
public:
	struct Proxy
	/// Where requests go first; an empty host means straight to the capture host.
	{
		std::string host;
		Poco::UInt16 port = 0;
		std::string username;
		std::string password;
		std::string source; /// the key or variable it came from ("posthog.http.proxy", "HTTPS_PROXY")
		std::string url;    /// as configured, password masked (for logs)
	};

	static Proxy proxyFor(const ClientOptions& options, const Poco::URI& target);
	/// options.proxy when set ("none": no proxy, whatever the environment says), else
	/// https_proxy, HTTPS_PROXY (https targets) or http_proxy, HTTP_PROXY (http targets; the
	/// upper-case one is ignored under CGI, when REQUEST_METHOD is set, as curl and Go do).
	/// Proxies from the environment never apply to localhost or loopback addresses. No proxy
	/// when no_proxy/NO_PROXY matches the target (see noProxyMatches()). Throws
	/// ConfigurationException naming the source for a URL that is not http://[user:pass@]host[:port].

	static Proxy parseProxy(const std::string& url, const std::string& source);
	/// Parses a proxy URL (a missing scheme means http://; user and password percent-decoded).

	static bool noProxyMatches(const std::string& noProxy, const std::string& host, Poco::UInt16 port);
	/// NO_PROXY semantics (comma or space separated): "*" matches every host; "example.com" and
	/// ".example.com" match example.com and its subdomains; an IP address matches itself and
	/// "10.0.0.0/8" the addresses in it; a ":port" suffix limits an entry to that port.
	/// Case-insensitive.

	static void apply(const Proxy& proxy, Poco::Net::HTTPClientSession& session);
	/// Sends session's requests through proxy (basic authentication when it has a user);
	/// nothing when proxy.host is empty.

	static std::string maskProxyUrl(const std::string& url);
	/// url with the password of its user info replaced by "***".

private:
	static bool entryMatches(std::string entry, const std::string& host, Poco::UInt16 port);
	/// One NO_PROXY entry against a normalised (lower-case, unbracketed) host.
};

} // namespace PostHog

#endif // PostHog_ProxyResolver_INCLUDED
