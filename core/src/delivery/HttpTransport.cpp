//
// HttpTransport.cpp
//

#include "delivery/HttpTransport.h"
#include "Poco/Clock.h"
#include "Poco/Logger.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/SSLException.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "PostHog/PostHog.h"
#include "client/Reporter.h"
#include "delivery/GuardedSession.h"
#include "delivery/RequestDeadline.h"

namespace PostHog
{

HttpTransport::HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context)
    : _options(options), _context(std::move(context)), _uri(options.host),
      _deadline(std::make_shared<RequestDeadline>())
{
	setEndpoint("/batch/");
	_proxy = ProxyResolver::proxyFor(options, _uri);
	if (!_proxy.host.empty())
		Poco::Logger::get(options.loggerName)
		    .information("PostHog: requests to " + _uri.getHost() + " go through the proxy " + _proxy.url +
		                 " (from " + _proxy.source + ")");
}

HttpTransport::~HttpTransport() = default;

void HttpTransport::setEndpoint(const std::string& pathAndQuery)
{
	std::string base = _uri.getPath();
	while (!base.empty() && base.back() == '/')
		base.pop_back();
	_path = base + pathAndQuery;
}

void HttpTransport::connect()
{
	if (_uri.getScheme() == "https")
	{
		auto* session = new GuardedSession<Poco::Net::HTTPSClientSession>(
		    *_deadline, _options.httpTimeout, _uri.getHost(), _uri.getPort(), _context);
		session->tlsContext = _context;
		// Lazy: the handshake happens in connect() after the socket was handed to the
		// deadline, so a peer that stalls the handshake is cut off too.
		Poco::Net::SecureStreamSocket(session->socket()).setLazyHandshake(true);
		_session.reset(session);
	}
	else
	{
		_session.reset(new GuardedSession<Poco::Net::HTTPClientSession>(*_deadline, _options.httpTimeout,
		                                                                _uri.getHost(), _uri.getPort()));
	}
	if (!_proxy.host.empty())
	{
		Poco::Net::HTTPClientSession::ProxyConfig config;
		config.host = _proxy.host;
		config.port = _proxy.port;
		config.username = _proxy.username;
		config.password = _proxy.password;
		config.authMethod = _proxy.username.empty() ? Poco::Net::HTTPClientSession::PROXY_AUTH_NONE
		                                            : Poco::Net::HTTPClientSession::PROXY_AUTH_HTTP_BASIC;
		_session->setProxyConfig(config);
	}
	_session->setKeepAlive(true);
	_session->setTimeout(_options.httpTimeout);
}

void HttpTransport::exchange(const std::string& body, bool gzipped, Response& response)
{
	if (!_session)
		connect();
	else if (_session->socket().impl()->initialized())
		_deadline->attach(_session->socket().impl()->sockfd());
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, _path,
	                               Poco::Net::HTTPMessage::HTTP_1_1);
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
	{
		// The stream swallowed the socket's exception; it tells what really happened.
		if (_session->networkException())
			_session->networkException()->rethrow();
		throw Poco::IOException("the connection closed while the request was being sent");
	}
	Poco::Net::HTTPResponse reply;
	std::istream& in = _session->receiveResponse(reply);
	response.status = static_cast<int>(reply.getStatus());
	if (reply.has("Retry-After"))
		response.retryAfterMs = RetryPolicy::parseRetryAfter(reply.get("Retry-After"));
	if (response.status >= 300 && response.status < 400)
		response.error = "the answer is a redirect to '" + reply.get("Location", "(no Location)") +
		                 "', which is not followed because requests carry the project API key; set "
		                 "posthog.host to the address that answers";
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

std::string HttpTransport::describeFailure(const Poco::Exception* failure, const std::string& other,
                                           bool expired, long elapsedMs) const
{
	const std::string host = _uri.getHost();
	std::string error;
	if (expired || (failure && dynamic_cast<const Poco::TimeoutException*>(failure)))
		error = "no complete answer from " + host +
		        " within posthog.http.timeout = " + std::to_string(_options.httpTimeout.totalMilliseconds()) +
		        " ms (gave up after " + std::to_string(elapsedMs) + " ms)";
	else if (!TlsContext::failure().empty())
		error = "TLS certificate verification failed for " + host + ": " + TlsContext::failure() +
		        (_options.caFile.empty() ? "; trust its CA with posthog.http.caFile"
		                                 : "; it is not signed by a CA in posthog.http.caFile");
	else if (failure && dynamic_cast<const Poco::Net::CertificateValidationException*>(failure))
		error = "TLS certificate verification failed for " + host +
		        ": host name mismatch, the certificate is not issued for '" + host + "' (" +
		        failure->displayText() + ")";
	else
		error = failure ? failure->displayText() : other;
	if (!_proxy.host.empty())
		error += " (through the proxy " + _proxy.url + ")";
	return error;
}

HttpTransport::Response HttpTransport::post(const std::string& body, bool gzipped)
{
	Response response;
	Poco::Clock started;
	Poco::Util::TimerTask::Ptr expiry = _deadline->arm(_options.httpTimeout);
	TlsContext::clearFailure();
	std::unique_ptr<Poco::Exception> failure;
	std::string otherFailure;
	try
	{
		exchange(body, gzipped, response);
	}
	catch (Poco::Exception& e)
	{
		failure.reset(e.clone());
	}
	catch (std::exception& e)
	{
		otherFailure = e.what();
	}
	bool failed = failure || !otherFailure.empty();
	if (failed)
		_deadline->abort(); // nothing still buffered in the session may go out while it is destroyed
	expiry->cancel();
	bool expired = _deadline->disarm();
	if (expired || failed)
		_session.reset(); // its socket was shut down
	if (failed)
	{
		response.status = 0;
		response.error = describeFailure(failure.get(), otherFailure, expired,
		                                 static_cast<long>(started.elapsed() / 1000));
	}
	response.error = Reporter::maskIn(response.error, _options.apiKey);
	response.body = Reporter::maskIn(response.body, _options.apiKey);
	return response;
}

} // namespace PostHog
