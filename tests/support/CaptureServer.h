//
// CaptureServer.h
//
// A loopback stand-in for PostHog's capture endpoint, for the tests.
//

#ifndef PostHogTest_CaptureServer_INCLUDED
#define PostHogTest_CaptureServer_INCLUDED

#include "Poco/JSON/Object.h"
#include "Poco/Mutex.h"
#include "Poco/Net/HTTPServer.h"
#include "Poco/Net/ServerSocket.h"
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHogTest
{

class CaptureServer
/// A real Poco::Net::HTTPServer on 127.0.0.1 (a free port) that accepts POST /batch/ the way
/// PostHog does: it gunzips bodies sent with Content-Encoding: gzip, parses the JSON, checks
/// each event's shape strictly (uuid, event, distinct_id, timestamp, properties; nothing is
/// lenient), records every request, and answers 200 {"status":1}.
///
/// Fault injection: fail the next N requests with a status (and a Retry-After header), delay
/// answers, or close the connection without answering.
{
public:
	struct Request
	{
		std::string method;
		std::string path;
		std::map<std::string, std::string> headers;
		std::string rawBody; /// as received
		std::string body;    /// after gunzip
		bool gzip = false;
		int status = 0; /// what the server answered (0: closed without answering)
		std::string apiKey;
		std::string sentAt;
		std::vector<Poco::JSON::Object::Ptr> events; /// the batch, when the body parsed
		std::string error; /// why the body or an event was refused by the strict checks
	};

	struct Fault
	{
		int status = 503;
		std::string retryAfter; /// header value, or empty
		long delayMs = 0;       /// wait before answering
		bool closeWithoutReply = false;
		std::string body; /// response body, default {"status":0}
	};

	struct Reply
	/// What a route answers.
	{
		int status = 200;
		std::string body;
		std::string contentType = "application/json";
		std::map<std::string, std::string> headers;
		long delayMs = 0;               /// wait before answering
		bool closeWithoutReply = false; /// abort the connection instead
	};
	using Route = std::function<Reply(const Request& request)>;

	CaptureServer();
	explicit CaptureServer(Poco::UInt16 port);
	/// Binds a specific port (to restart a server on the same address).
	CaptureServer(const Poco::Net::ServerSocket& socket, const std::string& scheme);
	/// Serves on a socket bound by the caller (a Poco::Net::SecureServerSocket for "https").
	~CaptureServer();

	std::string url() const;
	Poco::UInt16 port() const;

	void stop();
	/// Stops accepting and closes connections (a server going away).

	void failNext(int count, const Fault& fault);
	void failNext(int count, int status, const std::string& retryAfter = std::string());
	void setDelay(long delayMs);
	/// Every accepted request waits delayMs before the 200.

	std::vector<Request> requests() const;
	std::size_t requestCount() const;
	std::vector<Poco::JSON::Object::Ptr> events() const;
	/// Events of the requests answered 2xx, in arrival order.
	std::size_t eventCount() const;
	std::vector<std::string> errors() const;
	/// Every strict-check failure seen.

	bool waitForEvents(std::size_t count, long timeoutMs) const;
	bool waitForRequests(std::size_t count, long timeoutMs) const;
	void route(const std::string& pathPrefix, Route route);
	/// Serves every request whose path (query string included) starts with pathPrefix with
	/// `route` instead of the capture endpoint; the longest matching prefix wins. The body is
	/// gunzipped first when sent with Content-Encoding: gzip. Routed requests are not counted in
	/// requests()/events(); they are listed by routedRequests().

	std::vector<Request> routedRequests(const std::string& pathPrefix = std::string()) const;
	/// The routed requests whose path starts with pathPrefix, in arrival order.

	void reset();

	static bool checkEvent(const Poco::JSON::Object::Ptr& event, std::string& error);
	/// The strict shape check applied to every event.

private:
	class Handler;
	class Factory;
	void handle(Request& request, Fault& fault, bool& faulted);
	bool findRoute(const std::string& path, Route& route) const;
	void recordRouted(const Request& request);

	mutable Poco::FastMutex _mutex;
	std::vector<Request> _requests;
	std::vector<Request> _routed;
	std::map<std::string, Route> _routes;
	std::deque<Fault> _faults;
	long _delayMs = 0;
	std::string _scheme = "http";
	std::unique_ptr<Poco::Net::ServerSocket> _socket;
	std::unique_ptr<Poco::Net::HTTPServer> _server;
};

} // namespace PostHogTest

#endif // PostHogTest_CaptureServer_INCLUDED
