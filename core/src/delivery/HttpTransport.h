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
#include "delivery/ProxyResolver.h"
#include "delivery/RetryPolicy.h"
#include "delivery/TlsContext.h"
#include "delivery/Transport.h"
#include <memory>
#include <string>

namespace PostHog
{

class RequestDeadline;

class HttpTransport : public Transport
/// Posts request bodies to {host}/batch/ over one Poco HTTPClientSession (HTTPSClientSession for
/// https), reconnecting when the connection breaks. Not thread-safe: one per sender thread.
///
/// Bounds (docs/security.md): a whole request (connect, TLS handshake, send, response headers
/// and body) takes at most posthog.http.timeout (see RequestDeadline). At most kMaxBody bytes of
/// a response body are read. Redirects are never followed (the request carries the API key).
///
/// TLS: certificates are verified strictly (chain, validity, host name) unless
/// posthog.http.verify = false; a refused certificate is reported with the check that failed
/// (see TlsContext). Proxies: as ProxyResolver resolves them.
{
public:
	using Proxy = ProxyResolver::Proxy;

	static constexpr std::size_t kMaxBody = 64 * 1024;

	HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context);
	/// Resolves the proxy (see ProxyResolver); throws ConfigurationException for a bad proxy URL.
	~HttpTransport() override;

	Response post(const std::string& body, bool gzipped) override;
	/// Sends one request and reads the reply within posthog.http.timeout. Never throws. The
	/// API key is masked in Response::error and Response::body.

	static Poco::Net::Context::Ptr makeContext(const ClientOptions& options)
	{
		return TlsContext::make(options);
	}
	static long parseRetryAfter(const std::string& value) { return RetryPolicy::parseRetryAfter(value); }
	static Proxy proxyFor(const ClientOptions& options, const Poco::URI& target)
	{
		return ProxyResolver::proxyFor(options, target);
	}
	static Proxy parseProxy(const std::string& url, const std::string& source)
	{
		return ProxyResolver::parseProxy(url, source);
	}
	static bool noProxyMatches(const std::string& noProxy, const std::string& host, Poco::UInt16 port)
	{
		return ProxyResolver::noProxyMatches(noProxy, host, port);
	}
	static std::string maskProxyUrl(const std::string& url) { return ProxyResolver::maskProxyUrl(url); }
	/// Kept for existing callers: see TlsContext, RetryPolicy and ProxyResolver.

	void setEndpoint(const std::string& pathAndQuery);
	/// Posts to pathAndQuery (e.g. "/i/v1/logs?token=...") below the host's path instead of
	/// "/batch/".

	const std::string& path() const noexcept { return _path; }
	const Proxy& proxy() const noexcept { return _proxy; }

private:
	void connect();
	void exchange(const std::string& body, bool gzipped, Response& response);
	/// Sends the request and reads the answer into response; throws on network errors.
	std::string describeFailure(const Poco::Exception* failure, const std::string& other, bool expired,
	                            long elapsedMs) const;

	const ClientOptions& _options;
	Poco::Net::Context::Ptr _context;
	Poco::URI _uri;
	std::string _path;
	Proxy _proxy;
	std::shared_ptr<RequestDeadline> _deadline;
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
};

} // namespace PostHog

#endif // PostHog_HttpTransport_INCLUDED
