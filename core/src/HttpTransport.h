//
// HttpTransport.h
//
// One kept-alive HTTP(S) connection to the capture host.
//

#ifndef PostHog_HttpTransport_INCLUDED
#define PostHog_HttpTransport_INCLUDED

#include "PostHog/ClientOptions.h"
#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/URI.h"
#include <memory>
#include <string>

namespace PostHog
{

class HttpTransport
/// Posts request bodies to {host}/batch/ over one Poco HTTPClientSession (HTTPSClientSession for
/// https), reconnecting when the connection breaks. Not thread-safe: one per sender thread.
{
public:
	struct Response
	{
		int status = 0;         /// 0 when no HTTP response arrived
		std::string error;      /// the network error, when status is 0
		long retryAfterMs = -1; /// from a Retry-After header, when present and valid
		std::string body;       /// the first kMaxBody bytes of the response body
	};

	static constexpr std::size_t kMaxBody = 64 * 1024;

	HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context);
	~HttpTransport();

	Response post(const std::string& body, bool gzipped);
	/// Sends one request and reads the reply. Never throws.

	static Poco::Net::Context::Ptr makeContext(const ClientOptions& options);
	/// The TLS client context: certificates verified (strictly, host name included) unless
	/// options.verifyTls is false, CAs from options.caFile or the system store. Null for http.

	static long parseRetryAfter(const std::string& value);
	/// Seconds or an HTTP date; milliseconds from now, or -1 when unparseable.

	const std::string& path() const noexcept { return _path; }

private:
	void connect();

	const ClientOptions& _options;
	Poco::Net::Context::Ptr _context;
	Poco::URI _uri;
	std::string _path;
	std::unique_ptr<Poco::Net::HTTPClientSession> _session;
};

} // namespace PostHog

#endif // PostHog_HttpTransport_INCLUDED
