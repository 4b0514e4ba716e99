//
// HttpTransport.cpp
//

#include "HttpTransport.h"
#include "Poco/DateTimeParser.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/Net/AcceptCertificateHandler.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/RejectCertificateHandler.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include <mutex>

namespace PostHog
{

namespace
{

std::once_flag sslInitOnce;

void initializeSsl()
{
	std::call_once(sslInitOnce, [] {
		Poco::Net::initializeSSL();
		// Never fall back to the console handler that asks on standard input whether to accept
		// a certificate (POCO-NOTES.md): an invalid certificate is refused.
		Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
		Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
		    Poco::Net::Context::VERIFY_STRICT, 9, true);
		Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
	});
}

} // namespace

HttpTransport::HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context)
    : _options(options), _context(std::move(context)), _uri(options.host)
{
	std::string base = _uri.getPath();
	while (!base.empty() && base.back() == '/')
		base.pop_back();
	_path = base + "/batch/";
}

HttpTransport::~HttpTransport() = default;

Poco::Net::Context::Ptr HttpTransport::makeContext(const ClientOptions& options)
{
	Poco::URI uri(options.host);
	if (uri.getScheme() != "https")
		return Poco::Net::Context::Ptr();
	initializeSsl();
	auto mode = options.verifyTls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
	return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.caFile, mode, 9,
	    options.caFile.empty());
}

void HttpTransport::connect()
{
	if (_uri.getScheme() == "https")
		_session.reset(new Poco::Net::HTTPSClientSession(_uri.getHost(), _uri.getPort(), _context));
	else
		_session.reset(new Poco::Net::HTTPClientSession(_uri.getHost(), _uri.getPort()));
	_session->setKeepAlive(true);
	_session->setTimeout(_options.httpTimeout);
}

long HttpTransport::parseRetryAfter(const std::string& value)
{
	std::string v = Poco::trim(value);
	if (v.empty())
		return -1;
	Poco::Int64 seconds;
	if (Poco::NumberParser::tryParse64(v, seconds))
		return seconds < 0 ? -1 : static_cast<long>(std::min<Poco::Int64>(seconds, 24 * 3600) * 1000);
	Poco::DateTime dt;
	int tzd;
	if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, v, dt, tzd) ||
	    Poco::DateTimeParser::tryParse(v, dt, tzd))
	{
		Poco::Timestamp when = dt.timestamp() - static_cast<Poco::Timestamp::TimeDiff>(tzd) * Poco::Timestamp::resolution();
		Poco::Timestamp now;
		if (when <= now)
			return 0;
		return static_cast<long>(std::min<Poco::Timestamp::TimeDiff>((when - now) / 1000, 24LL * 3600 * 1000));
	}
	return -1;
}

HttpTransport::Response HttpTransport::post(const std::string& body, bool gzipped)
{
	Response response;
	try
	{
		if (!_session)
			connect();
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, _path, Poco::Net::HTTPMessage::HTTP_1_1);
		request.setContentType("application/json");
		request.setContentLength(static_cast<std::streamsize>(body.size()));
		request.set("User-Agent", POSTHOG_LIB_NAME "/" POSTHOG_VERSION_STRING);
		if (gzipped)
			request.set("Content-Encoding", "gzip");
		request.setKeepAlive(true);
		std::ostream& out = _session->sendRequest(request);
		out.write(body.data(), static_cast<std::streamsize>(body.size()));
		out.flush();
		if (!out.good())
			throw Poco::IOException("the connection closed while the request was being sent");

		Poco::Net::HTTPResponse reply;
		std::istream& in = _session->receiveResponse(reply);
		response.status = static_cast<int>(reply.getStatus());
		if (reply.has("Retry-After"))
			response.retryAfterMs = parseRetryAfter(reply.get("Retry-After"));
		char buf[8192];
		bool truncated = false;
		while (in)
		{
			in.read(buf, sizeof buf);
			std::streamsize n = in.gcount();
			if (n <= 0)
				break;
			if (response.body.size() + static_cast<std::size_t>(n) > kMaxBody)
			{
				truncated = true;
				break;
			}
			response.body.append(buf, static_cast<std::size_t>(n));
		}
		if (truncated || !reply.getKeepAlive())
			_session.reset();
	}
	catch (Poco::Exception& e)
	{
		response.status = 0;
		response.error = e.displayText();
		_session.reset();
	}
	catch (std::exception& e)
	{
		response.status = 0;
		response.error = e.what();
		_session.reset();
	}
	return response;
}

} // namespace PostHog
