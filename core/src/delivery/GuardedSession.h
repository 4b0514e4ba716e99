//
// GuardedSession.h
//
// An HTTP(S) client session whose sockets are bound by a RequestDeadline.
//

#ifndef PostHog_GuardedSession_INCLUDED
#define PostHog_GuardedSession_INCLUDED

#include "Poco/Net/HTTPBasicCredentials.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/SSLException.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "delivery/RequestDeadline.h"
#include <algorithm>
#include <type_traits>

namespace PostHog
{

template<class Session>
class GuardedSession : public Session
/// A session (HTTPClientSession or HTTPSClientSession) that hands every socket it connects to
/// the request deadline before anything is exchanged on it (TCP connect aside, which waits no
/// longer than the time that is left), then completes the TLS handshake and the host name check
/// before the first byte of the request.
{
public:
	template<class... Args>
	GuardedSession(RequestDeadline& deadline, Poco::Timespan timeout, Args&&... args)
	    : Session(std::forward<Args>(args)...), _deadline(deadline), _timeout(timeout)
	{
	}

	Poco::Net::Context::Ptr tlsContext; /// for tunnel(); HTTPSClientSession 1.11 has no getter

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
			verify();
	}

private:
	void verify()
	/// Finishes the (lazy) handshake and checks the host name before anything is written. Poco
	/// 1.11 checks the name after a lazy handshake inside the first write, and when that check
	/// throws the TLS session stays usable, so the buffered request would still go out to the
	/// wrong host; a refused connection is closed here, so nothing can be written to it later.
	{
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
		    Poco::Net::SecureStreamSocket::attach(proxy.detachSocket(), this->getHost(), tlsContext);
		this->attachSocket(secure);
	}

	RequestDeadline& _deadline;
	Poco::Timespan _timeout;
};

} // namespace PostHog

#endif // PostHog_GuardedSession_INCLUDED
