//
// HttpTransport.cpp
//

#include "delivery/HttpTransport.h"
#include "Poco/Clock.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Net/HTTPBasicCredentials.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/IPAddress.h"
#include "Poco/Net/InvalidCertificateHandler.h"
#include "Poco/Net/RejectCertificateHandler.h"
#include "Poco/Net/SSLException.h"
#include "Poco/Net/SSLManager.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "Poco/Net/VerificationErrorArgs.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "Poco/Util/Timer.h"
#include "Poco/Util/TimerTask.h"
#include "PostHog/Exceptions.h"
#include "client/Reporter.h"
#include <mutex>
#include <sys/socket.h>
#include <type_traits>
#include <unistd.h>

namespace PostHog
{

namespace
{

std::once_flag sslInitOnce;

void initializeSsl()
{
	std::call_once(sslInitOnce,
	               []
	               {
		               Poco::Net::initializeSSL();
		               // Never fall back to Poco's console handler, which asks on standard input whether
		               // to accept a certificate (and takes a "y"): an invalid certificate is refused.
		               Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
		                   new Poco::Net::RejectCertificateHandler(false);
		               Poco::Net::Context::Ptr ctx =
		                   new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
		                                          Poco::Net::Context::VERIFY_STRICT, 9, true);
		               Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
	               });
}

// Why OpenSSL refused the certificate during the last handshake on this thread. The verify
// callback runs synchronously inside the handshake, on the thread that called post().
thread_local std::string tlsFailure;

class RecordingRejectHandler : public Poco::Net::InvalidCertificateHandler
/// Refuses every invalid certificate (never asks) and remembers why, because the exception
/// that reaches post() says only "certificate verify failed"; Poco reports the reason (self-signed,
/// expired, name mismatch) to this handler alone.
{
public:
	RecordingRejectHandler() : Poco::Net::InvalidCertificateHandler(false) {}

	void onInvalidCertificate(const void*, Poco::Net::VerificationErrorArgs& args) override
	{
		args.setIgnoreError(false);
		if (tlsFailure.find(args.errorMessage()) != std::string::npos)
			return;
		if (!tlsFailure.empty())
			tlsFailure += "; ";
		tlsFailure += args.errorMessage() + " (certificate '" + args.certificate().subjectName() +
		              "', chain depth " + std::to_string(args.errorDepth()) + ")";
	}
};

Poco::Util::Timer& deadlineTimer()
{
	// Never destroyed: a Client with static storage duration flushes from its destructor, after
	// a function-local static timer would already be gone.
	static Poco::Util::Timer* timer = new Poco::Util::Timer;
	return *timer;
}

std::string lower(const std::string& s)
{
	return Poco::toLower(Poco::trim(s));
}

std::string firstEnv(std::initializer_list<const char*> names, std::string& which)
{
	for (const char* name : names)
	{
		std::string value = Poco::trim(Poco::Environment::get(name, ""));
		if (!value.empty())
		{
			which = name;
			return value;
		}
	}
	return std::string();
}

bool isLoopback(const std::string& host)
{
	std::string h = lower(host);
	if (h == "localhost" || h == "localhost.")
		return true;
	Poco::Net::IPAddress ip;
	return Poco::Net::IPAddress::tryParse(h, ip) && ip.isLoopback();
}

} // namespace

class HttpTransport::Deadline
/// The whole-request bound. post() arms it; the connection's socket is attached (a dup of its
/// descriptor, so a socket Poco closes in the meantime can never be confused with a new one);
/// when the time is up, the timer thread shuts the socket down and every blocked read or write
/// of the request returns at once.
{
public:
	std::uint64_t arm(Poco::Timespan timeout)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_expired = false;
		_end = Poco::Clock();
		_end += timeout.totalMicroseconds();
		return ++_generation;
	}

	void attach(poco_socket_t fd)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		release();
		if (fd == POCO_INVALID_SOCKET)
			return;
		_fd = ::dup(fd);
		if (_expired && _fd >= 0)
			::shutdown(_fd, SHUT_RDWR);
	}

	void expire(std::uint64_t generation)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (generation != _generation)
			return;
		_expired = true;
		if (_fd >= 0)
			::shutdown(_fd, SHUT_RDWR);
	}

	void abort()
	/// Shuts the attached socket down now (nothing more can be sent or received on it).
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_fd >= 0)
			::shutdown(_fd, SHUT_RDWR);
	}

	bool disarm()
	/// True when the deadline passed during the request.
	{
		std::lock_guard<std::mutex> lock(_mutex);
		++_generation;
		release();
		bool expired = _expired;
		_expired = false;
		return expired;
	}

	Poco::Timespan remaining() const
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return Poco::Timespan(_end - Poco::Clock());
	}

	const Poco::Clock& end() const { return _end; }

	~Deadline() { release(); }

private:
	void release()
	{
		if (_fd >= 0)
			::close(_fd);
		_fd = -1;
	}

	mutable std::mutex _mutex;
	std::uint64_t _generation = 0;
	bool _expired = false;
	int _fd = -1;
	Poco::Clock _end;
};

namespace
{

class ExpireTask : public Poco::Util::TimerTask
{
public:
	ExpireTask(std::shared_ptr<HttpTransport::Deadline> deadline, std::uint64_t generation)
	    : _deadline(std::move(deadline)), _generation(generation)
	{
	}

	void run() override { _deadline->expire(_generation); }

private:
	std::shared_ptr<HttpTransport::Deadline> _deadline;
	std::uint64_t _generation;
};

template<class Session>
class GuardedSession : public Session
/// A session that hands every socket it connects to the request deadline before anything is
/// exchanged on it (TCP connect aside, which waits no longer than the time that is left), then
/// completes the TLS handshake and the host name check before the first byte of the request.
{
public:
	template<class... Args>
	GuardedSession(HttpTransport::Deadline& deadline, Poco::Timespan timeout, Args&&... args)
	    : Session(std::forward<Args>(args)...), _deadline(deadline), _timeout(timeout)
	{
	}

protected:
	void connect(const Poco::Net::SocketAddress& address) override
	{
		Poco::Timespan left = _deadline.remaining();
		if (left.totalMilliseconds() <= 0)
			throw Poco::TimeoutException("no time left to connect");
		this->setTimeout(std::min(left, _timeout), _timeout, _timeout);
		if constexpr (std::is_base_of<Poco::Net::HTTPSClientSession, Session>::value)
		{
			if (!this->getProxyHost().empty())
				tunnel(std::min(left, _timeout));
			else
				Session::connect(address);
		}
		else
		{
			Session::connect(address);
		}
		_deadline.attach(this->socket().impl()->sockfd());
		if (this->secure())
		{
			// Finish the (lazy) handshake and check the host name here, before anything is
			// written. Poco 1.11 checks the name after a lazy handshake inside the first write,
			// and when that check throws, the TLS session stays usable: the request still in
			// the stream buffer went out to the wrong host when the session was destroyed
			// (measured: TlsTest::testHostNameMismatchRefused). A refused connection is closed
			// here, so nothing can be written to it later.
			Poco::Net::SecureStreamSocket secure(this->socket());
			try
			{
				if (secure.completeHandshake() != 1)
					throw Poco::Net::SSLException("the TLS handshake did not complete");
				secure.verifyPeerCertificate();
			}
			catch (...)
			{
				_deadline.abort();
				secure.close();
				throw;
			}
		}
	}

private:
	void tunnel(Poco::Timespan connectTimeout)
	/// What HTTPSClientSession does through a proxy (CONNECT, then TLS over the tunnel), with the
	/// socket handed to the deadline before the CONNECT exchange and the handshake, which
	/// Poco's own version runs before the socket can be handed over.
	{
		Poco::Net::StreamSocket tcp;
		tcp.connect(Poco::Net::SocketAddress(this->getProxyHost(), this->getProxyPort()), connectTimeout);
		_deadline.attach(tcp.impl()->sockfd());
		tcp.setReceiveTimeout(_timeout);
		tcp.setSendTimeout(_timeout);
		Poco::Net::HTTPClientSession proxy(tcp);
		std::string target = this->getHost() + ":" + std::to_string(this->getPort());
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_CONNECT, target,
		                               Poco::Net::HTTPMessage::HTTP_1_1);
		request.setHost(target);
		request.set("Proxy-Connection", "keep-alive");
		const auto& config = this->getProxyConfig();
		if (!config.username.empty())
			Poco::Net::HTTPBasicCredentials(config.username, config.password).proxyAuthenticate(request);
		proxy.sendRequest(request);
		Poco::Net::HTTPResponse response;
		proxy.receiveResponse(response);
		if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
			throw Poco::Net::HTTPException("the proxy refused the tunnel to " + target,
			                               std::to_string(static_cast<int>(response.getStatus())) + " " +
			                                   response.getReason());
		Poco::Net::SecureStreamSocket secure =
		    Poco::Net::SecureStreamSocket::attach(proxy.detachSocket(), this->getHost(), _tlsContext);
		this->attachSocket(secure);
	}

	HttpTransport::Deadline& _deadline;
	Poco::Timespan _timeout;

public:
	Poco::Net::Context::Ptr _tlsContext; /// for tunnel(); HTTPSClientSession 1.11 has no getter
};

} // namespace

HttpTransport::HttpTransport(const ClientOptions& options, Poco::Net::Context::Ptr context)
    : _options(options), _context(std::move(context)), _uri(options.host),
      _deadline(std::make_shared<Deadline>())
{
	std::string base = _uri.getPath();
	while (!base.empty() && base.back() == '/')
		base.pop_back();
	_path = base + "/batch/";
	_proxy = proxyFor(options, _uri);
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

Poco::Net::Context::Ptr HttpTransport::makeContext(const ClientOptions& options)
{
	Poco::URI uri(options.host);
	if (uri.getScheme() != "https")
		return Poco::Net::Context::Ptr();
	initializeSsl();
	if (!options.caFile.empty() && !Poco::File(options.caFile).exists())
		throw ConfigurationException("posthog.http.caFile = '" + options.caFile + "' does not exist");
	auto mode = options.verifyTls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
	Poco::Net::Context::Ptr context;
	try
	{
		context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.caFile, mode, 9,
		                                 options.caFile.empty());
	}
	catch (Poco::Exception& e)
	{
		throw ConfigurationException("posthog.http.caFile = '" + options.caFile +
		                             "' could not be loaded as PEM certificates (" + e.displayText() + ")");
	}
	context->setInvalidCertificateHandler(new RecordingRejectHandler);
	return context;
}

HttpTransport::Proxy HttpTransport::parseProxy(const std::string& url, const std::string& source)
{
	std::string value = Poco::trim(url);
	if (value.find("://") == std::string::npos)
		value = "http://" + value;
	Poco::URI uri;
	bool ok = true;
	try
	{
		uri = Poco::URI(value);
	}
	catch (Poco::Exception&)
	{
		ok = false;
	}
	if (!ok || Poco::toLower(uri.getScheme()) != "http" || uri.getHost().empty() ||
	    (!uri.getPath().empty() && uri.getPath() != "/") || !uri.getRawQuery().empty())
		throw ConfigurationException(
		    source + " = '" + maskProxyUrl(url) +
		    "' is not an http://[user:password@]host[:port] proxy URL (https:// and socks "
		    "proxies are not supported)");
	Proxy proxy;
	proxy.host = uri.getHost();
	proxy.port = uri.getPort();
	std::string userInfo = uri.getUserInfo();
	auto colon = userInfo.find(':');
	Poco::URI::decode(userInfo.substr(0, colon), proxy.username); // Poco::URI keeps user info encoded
	if (colon != std::string::npos)
		Poco::URI::decode(userInfo.substr(colon + 1), proxy.password);
	proxy.source = source;
	proxy.url = maskProxyUrl(Poco::trim(url));
	return proxy;
}

std::string HttpTransport::maskProxyUrl(const std::string& url)
{
	auto scheme = url.find("://");
	std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
	auto at = url.find('@', start);
	auto slash = url.find('/', start);
	if (at == std::string::npos || (slash != std::string::npos && slash < at))
		return url;
	auto colon = url.find(':', start);
	if (colon == std::string::npos || colon > at)
		return url;
	return url.substr(0, colon + 1) + "***" + url.substr(at);
}

bool HttpTransport::noProxyMatches(const std::string& noProxy, const std::string& host, Poco::UInt16 port)
{
	std::string h = lower(host);
	if (h.size() > 1 && h.front() == '[' && h.back() == ']')
		h = h.substr(1, h.size() - 2);
	while (!h.empty() && h.back() == '.')
		h.pop_back();
	Poco::Net::IPAddress hostIp;
	bool hostIsIp = Poco::Net::IPAddress::tryParse(h, hostIp);
	Poco::StringTokenizer entries(noProxy, ", \t",
	                              Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& raw : entries)
	{
		std::string e = Poco::toLower(raw);
		if (e == "*")
			return true;
		// An optional :port; IPv6 addresses are written [addr]:port.
		unsigned entryPort = 0;
		if (e.front() == '[')
		{
			auto close = e.find(']');
			if (close == std::string::npos)
				continue;
			if (close + 1 < e.size() && e[close + 1] == ':' &&
			    !Poco::NumberParser::tryParseUnsigned(e.substr(close + 2), entryPort))
				continue;
			e = e.substr(1, close - 1);
		}
		else if (std::count(e.begin(), e.end(), ':') == 1)
		{
			auto colon = e.find(':');
			if (!Poco::NumberParser::tryParseUnsigned(e.substr(colon + 1), entryPort))
				continue;
			e = e.substr(0, colon);
		}
		if (entryPort != 0 && entryPort != port)
			continue;
		auto slash = e.find('/');
		if (slash != std::string::npos)
		{
			Poco::Net::IPAddress network;
			unsigned bits;
			if (hostIsIp && Poco::Net::IPAddress::tryParse(e.substr(0, slash), network) &&
			    Poco::NumberParser::tryParseUnsigned(e.substr(slash + 1), bits) &&
			    network.family() == hostIp.family() &&
			    bits <= (network.family() == Poco::Net::IPAddress::IPv4 ? 32u : 128u))
			{
				Poco::Net::IPAddress mask(bits, network.family());
				if ((hostIp & mask) == (network & mask))
					return true;
			}
			continue;
		}
		Poco::Net::IPAddress entryIp;
		if (Poco::Net::IPAddress::tryParse(e, entryIp))
		{
			if (hostIsIp && entryIp == hostIp)
				return true;
			continue;
		}
		if (e.compare(0, 2, "*.") == 0)
			e = e.substr(2);
		else if (!e.empty() && e.front() == '.')
			e = e.substr(1);
		while (!e.empty() && e.back() == '.')
			e.pop_back();
		if (e.empty())
			continue;
		if (h == e || (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 &&
		               h[h.size() - e.size() - 1] == '.'))
			return true;
	}
	return false;
}

HttpTransport::Proxy HttpTransport::proxyFor(const ClientOptions& options, const Poco::URI& target)
{
	Proxy proxy;
	std::string configured = Poco::trim(options.proxy);
	if (Poco::toLower(configured) == "none")
		return proxy;
	if (!configured.empty())
	{
		proxy = parseProxy(configured, "posthog.http.proxy");
	}
	else
	{
		if (isLoopback(target.getHost()))
			return proxy;
		std::string which;
		std::string value;
		if (target.getScheme() == "https")
			value = firstEnv({"https_proxy", "HTTPS_PROXY"}, which);
		else if (Poco::Environment::get("REQUEST_METHOD", "").empty())
			value = firstEnv({"http_proxy", "HTTP_PROXY"}, which);
		else
			value = firstEnv({"http_proxy"}, which);
		if (value.empty())
			return proxy;
		proxy = parseProxy(value, which);
	}
	std::string which;
	std::string noProxy = firstEnv({"no_proxy", "NO_PROXY"}, which);
	if (!noProxy.empty() && noProxyMatches(noProxy, target.getHost(), target.getPort()))
		return Proxy();
	return proxy;
}

void HttpTransport::connect()
{
	if (_uri.getScheme() == "https")
	{
		auto* session = new GuardedSession<Poco::Net::HTTPSClientSession>(
		    *_deadline, _options.httpTimeout, _uri.getHost(), _uri.getPort(), _context);
		session->_tlsContext = _context;
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
	// An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") names its zone; Poco's parsers are lenient
	// enough to read "soon" as year 0, so anything without one is refused first.
	if (v.size() < 20 || v.find("GMT") == std::string::npos)
		return -1;
	if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, v, dt, tzd) ||
	    Poco::DateTimeParser::tryParse(v, dt, tzd))
	{
		Poco::Timestamp when =
		    dt.timestamp() - static_cast<Poco::Timestamp::TimeDiff>(tzd) * Poco::Timestamp::resolution();
		Poco::Timestamp now;
		if (when <= now)
			return 0;
		return static_cast<long>(
		    std::min<Poco::Timestamp::TimeDiff>((when - now) / 1000, 24LL * 3600 * 1000));
	}
	return -1;
}

HttpTransport::Response HttpTransport::post(const std::string& body, bool gzipped)
{
	Response response;
	Poco::Clock started;
	std::uint64_t generation = _deadline->arm(_options.httpTimeout);
	Poco::Util::TimerTask::Ptr expiry = new ExpireTask(_deadline, generation);
	deadlineTimer().schedule(expiry, _deadline->end());
	tlsFailure.clear();
	const Poco::Exception* failure = nullptr;
	std::unique_ptr<Poco::Exception> caught;
	std::string otherFailure;
	try
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
			response.retryAfterMs = parseRetryAfter(reply.get("Retry-After"));
		if (response.status >= 300 && response.status < 400)
		{
			response.error = "the answer is a redirect to '" + reply.get("Location", "(no Location)") +
			                 "', which is not followed because requests carry the project API key; set "
			                 "posthog.host to the address that answers";
		}
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
		caught.reset(e.clone());
		failure = caught.get();
	}
	catch (std::exception& e)
	{
		otherFailure = e.what();
	}
	if (failure || !otherFailure.empty())
		_deadline->abort(); // nothing still buffered in the session may go out while it is destroyed
	expiry->cancel();
	bool expired = _deadline->disarm();
	if (expired)
		_session.reset(); // its socket was shut down
	if (failure || !otherFailure.empty())
	{
		_session.reset();
		response.status = 0;
		long elapsed = static_cast<long>(started.elapsed() / 1000);
		const std::string host = _uri.getHost();
		if (expired || (failure && dynamic_cast<const Poco::TimeoutException*>(failure)))
			response.error = "no complete answer from " + host + " within posthog.http.timeout = " +
			                 std::to_string(_options.httpTimeout.totalMilliseconds()) +
			                 " ms (gave up after " + std::to_string(elapsed) + " ms)";
		else if (!tlsFailure.empty())
			response.error = "TLS certificate verification failed for " + host + ": " + tlsFailure +
			                 (_options.caFile.empty() ? "; trust its CA with posthog.http.caFile"
			                                          : "; it is not signed by a CA in posthog.http.caFile");
		else if (failure && dynamic_cast<const Poco::Net::CertificateValidationException*>(failure))
			response.error = "TLS certificate verification failed for " + host +
			                 ": host name mismatch, the certificate is not issued for '" + host + "' (" +
			                 failure->displayText() + ")";
		else
			response.error = failure ? failure->displayText() : otherFailure;
		if (!_proxy.host.empty())
			response.error += " (through the proxy " + _proxy.url + ")";
	}
	response.error = Reporter::maskIn(response.error, _options.apiKey);
	response.body = Reporter::maskIn(response.body, _options.apiKey);
	return response;
}

} // namespace PostHog
