//
// HttpTransport.h
//
// One kept-alive HTTP(S) connection to the capture host.
//

#ifndef PostHog_HttpTransport_INCLUDED
#define PostHog_HttpTransport_INCLUDED

#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/URI.h"
#include "PostHog/ClientOptions.h"
#include <memory>
#include <string>

namespace PostHog
{

class HttpTransport
/// Posts request bodies to {host}/batch/ over one Poco HTTPClientSession (HTTPSClientSession for
/// https), reconnecting when the connection breaks. Not thread-safe: one per sender thread.
///
/// Bounds (docs/security.md): a whole request (connect, TLS handshake, send, response headers
/// and body) takes at most posthog.http.timeout; a shared timer thread shuts the socket down
/// when the deadline passes, because Poco's socket timeouts apply to each read and a peer that
/// trickles one byte at a time would outlive them by far. At most kMaxBody bytes of a
/// response body are read. Redirects are never followed (the request carries the API key).
///
/// TLS: certificates are verified strictly (chain, validity, host name) unless
/// posthog.http.verify = false; a refused certificate is reported with the check that failed.
/// Nothing ever asks on standard input.
///
/// Proxies: posthog.http.proxy, else https_proxy/HTTPS_PROXY (https hosts) or
/// http_proxy/HTTP_PROXY (http hosts), minus the hosts NO_PROXY/no_proxy names.
{
public:
	struct Response
	{
		int status = 0;         /// 0 when no HTTP response arrived
		std::string error;      /// status 0: the network error; 3xx: the redirect that was not followed
		long retryAfterMs = -1; /// from a Retry-After header, when present and valid
		std::string body;       /// the first kMaxBody bytes of the response body
	};

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

	static constexpr std::size_t kMaxBody = 64 * 1024;

	HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context);
	/// Resolves the proxy (see proxyFor()); throws ConfigurationException for a bad proxy URL.
	~HttpTransport();

	Response post(const std::string& body, bool gzipped);
	/// Sends one request and reads the reply within posthog.http.timeout. Never throws. The
	/// API key is masked in Response::error and Response::body.

	static Poco::Net::Context::Ptr makeContext(const ClientOptions& options);
	/// The TLS client context: certificates verified (strictly, host name included) unless
	/// options.verifyTls is false, CAs from options.caFile (only those) or the system store.
	/// Invalid certificates are refused by a handler that records why, for post()'s error.
	/// Null for http. Throws ConfigurationException when caFile cannot be loaded.

	static long parseRetryAfter(const std::string& value);
	/// Seconds or an HTTP date; milliseconds from now, or -1 when unparseable.

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

	static std::string maskProxyUrl(const std::string& url);
	/// url with the password of its user info replaced by "***".

	void setEndpoint(const std::string& pathAndQuery);
	/// Posts to pathAndQuery (e.g. "/i/v1/logs?token=...") below the host's path instead of
	/// "/batch/".

	const std::string& path() const noexcept { return _path; }
	const Proxy& proxy() const noexcept { return _proxy; }

	class Deadline;

private:
	void connect();

	const ClientOptions& _options;
	Poco::Net::Context::Ptr _context;
	Poco::URI _uri;
	std::string _path;
	Proxy _proxy;
	std::shared_ptr<Deadline> _deadline;
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
};

} // namespace PostHog

#endif // PostHog_HttpTransport_INCLUDED
