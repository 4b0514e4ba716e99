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
#include "delivery/HttpTransport.h"
#include "delivery/ProxyResolver.h"
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

FlagsHttp::Response FlagsHttp::send(const std::string& method, const std::string& pathAndQuery,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body, Poco::Timespan timeout) const
{
	Response response;
	try
	{
		Poco::URI uri(_options.host);
		std::unique_ptr<Poco::Net::HTTPClientSession> session;
		if (uri.getScheme() == "https")
			session.reset(new Poco::Net::HTTPSClientSession(uri.getHost(), uri.getPort(), _context));
		else
			session.reset(new Poco::Net::HTTPClientSession(uri.getHost(), uri.getPort()));
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
		Poco::StreamCopier::copyToString(in, response.body, 65536);
		if (response.body.size() > kMaxBody)
			response.body.resize(kMaxBody);
	}
	catch (Poco::TimeoutException& e)
	{
		response.status = 0;
		response.timedOut = true;
		response.error = "timed out after " + std::to_string(timeout.totalMilliseconds()) + " ms";
	}
	catch (Poco::Exception& e)
	{
		response.status = 0;
		response.error = Reporter::maskIn(Reporter::maskIn(e.displayText(), _secret), _options.apiKey);
	}
	catch (std::exception& e)
	{
		response.status = 0;
		response.error = Reporter::maskIn(e.what(), _secret);
	}
	return response;
}

} // namespace PostHog
