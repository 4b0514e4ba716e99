//
// Transport.h
//
// What BatchingSink sends a request body through.
//

#ifndef PostHog_Transport_INCLUDED
#define PostHog_Transport_INCLUDED

#include <functional>
#include <memory>
#include <string>

namespace PostHog
{

class Transport
/// One channel to the capture endpoint: post() sends a request body and returns what came back,
/// never throwing. HttpTransport is the real one; tests give BatchingSink an in-process one, so
/// batching, 413 splitting and retries are checked without a socket. An instance is used by one
/// thread at a time.
{
public:
	struct Response
	{
		int status = 0;         /// 0 when no HTTP response arrived
		std::string error;      /// status 0: the network error; 3xx: the redirect that was not followed
		long retryAfterMs = -1; /// from a Retry-After header, when present and valid
		std::string body;       /// the start of the response body
	};

	virtual ~Transport();

	virtual Response post(const std::string& body, bool gzipped) = 0;
	/// Sends one request body (gzip-compressed when gzipped) and waits for the answer.
};

using TransportFactory = std::function<std::unique_ptr<Transport>()>;
/// Makes one Transport per sender thread (and one for sync mode).

} // namespace PostHog

#endif // PostHog_Transport_INCLUDED
