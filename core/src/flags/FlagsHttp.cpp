//
// FlagsHttp.cpp
//

#include "flags/FlagsHttp.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/NetException.h"
#include "Poco/StreamCopier.h"
#include "Poco/URI.h"
#include "client/Reporter.h"
#include "delivery/GuardedSession.h"
#include "delivery/HttpTransport.h"
#include "delivery/ProxyResolver.h"
#include "delivery/RequestDeadline.h"
#include <istream>
#include <memory>
#include <ostream>

namespace PostHog
{

FlagsHttp::FlagsHttp(const ClientOptions& options, std::string secretToMask)
    : _options(options), _secret(std::move(secretToMask)), _context(HttpTransport::makeContext(options))
{
}

FlagsHttp::Response FlagsHttp::get(const std::string& pathAndQuery,
                                   const std::map<std::string, std::string>& headers,
                                   Poco::Timespan timeout) const
{
	return send(Poco::Net::HTTPRequest::HTTP_GET, pathAndQuery, headers, std::string(), timeout);
}

FlagsHttp::Response FlagsHttp::post(const std::string& pathAndQuery, const std::string& jsonBody,
                                    Poco::Timespan timeout) const
{
	return send(Poco::Net::HTTPRequest::HTTP_POST, pathAndQuery, {}, jsonBody, timeout);
}

void FlagsHttp::exchange(RequestDeadline& deadline, const std::string& method,
                         const std::string& pathAndQuery, const std::map<std::string, std::string>& headers,
                         const std::string& body, Poco::Timespan timeout, Response& response) const
{
	Poco::URI uri(_options.host);
	std::unique_ptr<Poco::Net::HTTPClientSession> session;
	if (uri.getScheme() == "https")
	{
		auto* secure = new GuardedSession<Poco::Net::HTTPSClientSession>(deadline, timeout, uri.getHost(),
		                                                                 uri.getPort(), _context);
		secure->tlsContext = _context;
		// Lazy: the handshake happens once the socket is bound by the deadline.
		Poco::Net::SecureStreamSocket(secure->socket()).setLazyHandshake(true);
		session.reset(secure);
	}
	else
		session.reset(new GuardedSession<Poco::Net::HTTPClientSession>(deadline, timeout, uri.getHost(),
		                                                               uri.getPort()));
	ProxyResolver::apply(ProxyResolver::proxyFor(_options, uri), *session);
	session->setTimeout(timeout);
	std::string base = uri.getPath();
	while (!base.empty() && base.back() == '/')
		base.pop_back();
	Poco::Net::HTTPRequest request(method, base + pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
	request.set("User-Agent", std::string(POSTHOG_LIB_NAME "/") + POSTHOG_VERSION_STRING);
	for (const auto& h : headers)
		request.set(h.first, h.second);
	if (method == Poco::Net::HTTPRequest::HTTP_POST)
	{
		request.setContentType("application/json");
		request.setContentLength(static_cast<std::streamsize>(body.size()));
	}
	std::ostream& out = session->sendRequest(request);
	out << body;
	Poco::Net::HTTPResponse reply;
	std::istream& in = session->receiveResponse(reply);
	response.status = static_cast<int>(reply.getStatus());
	response.etag = reply.get("ETag", "");
	char buffer[65536];
	while (in && response.body.size() < kMaxBody)
	{
		in.read(buffer, sizeof buffer);
		response.body.append(buffer, static_cast<std::size_t>(in.gcount()));
	}
	if (response.body.size() > kMaxBody)
		response.body.resize(kMaxBody);
	// The stream may have stopped on the deadline's shutdown rather than at the end.
	if (in.bad() && session->networkException())
		session->networkException()->rethrow();
}

FlagsHttp::Response FlagsHttp::send(const std::string& method, const std::string& pathAndQuery,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body, Poco::Timespan timeout) const
{
	// The whole request (connect, TLS, send, every read of the answer) ends at the timeout: a
	// peer that trickles its answer is cut off there, not after each read's own timeout.
	Response response;
	auto deadline = std::make_shared<RequestDeadline>();
	deadline->arm(timeout);
	bool failed = false;
	try
	{
		exchange(*deadline, method, pathAndQuery, headers, body, timeout, response);
	}
	catch (Poco::TimeoutException&)
	{
		failed = true;
		response.timedOut = true;
	}
	catch (Poco::Exception& e)
	{
		failed = true;
		response.error = Reporter::maskIn(Reporter::maskIn(e.displayText(), _secret), _options.apiKey);
	}
	catch (std::exception& e)
	{
		failed = true;
		response.error = Reporter::maskIn(e.what(), _secret);
	}
	if (deadline->disarm())
	{
		failed = true;
		response.timedOut = true;
	}
	if (failed)
	{
		response.status = 0;
		response.body.clear();
		if (response.timedOut)
			response.error =
			    "no complete answer within " + std::to_string(timeout.totalMilliseconds()) + " ms";
	}
	return response;
}

} // namespace PostHog
