//
// TestProxy.cpp
//

#include "TestProxy.h"
#include "LoopbackListener.h"
#include "Poco/Base64Encoder.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Net/SocketStream.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/Net/TCPServerConnection.h"
#include "Poco/Net/TCPServerConnectionFactory.h"
#include "Poco/Net/TCPServerParams.h"
#include "Poco/StreamCopier.h"
#include "Poco/String.h"
#include "Poco/Thread.h"
#include "Poco/URI.h"
#include <sstream>

namespace PostHogTest
{

class TestProxy::Connection : public Poco::Net::TCPServerConnection
{
public:
	Connection(const Poco::Net::StreamSocket& socket, TestProxy& proxy)
	    : Poco::Net::TCPServerConnection(socket), _proxy(proxy)
	{
	}

	void run() override
	{
		_proxy.enter(socket());
		try
		{
			serve();
		}
		catch (Poco::Exception&)
		{
		}
		_proxy.leave(socket());
	}

private:
	void serve()
	{
		socket().setReceiveTimeout(Poco::Timespan(5, 0));
		Poco::Net::SocketStream stream(socket());
		while (!_proxy._stopping)
		{
			Poco::Net::HTTPRequest request;
			try
			{
				request.read(stream);
			}
			catch (Poco::Exception&)
			{
				return; // closed, or not HTTP
			}
			std::string authorization = request.get("Proxy-Authorization", "");
			_proxy.record(request.getMethod() + " " + request.getURI(), authorization);
			std::string body;
			if (request.hasContentLength() && request.getContentLength64() > 0)
			{
				body.resize(static_cast<std::size_t>(request.getContentLength64()));
				stream.read(&body[0], static_cast<std::streamsize>(body.size()));
			}
			if (!_proxy.authorized(authorization))
			{
				++_proxy._refused;
				stream << "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
				          "realm=\"test\"\r\n"
				          "Content-Length: 0\r\n\r\n";
				stream.flush();
				continue;
			}
			if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_CONNECT)
			{
				tunnel(stream, request.getURI());
				return;
			}
			if (!forward(stream, request, body))
				return;
		}
	}

	void tunnel(Poco::Net::SocketStream& stream, const std::string& target)
	{
		auto colon = target.rfind(':');
		Poco::Net::StreamSocket upstream;
		try
		{
			upstream.connect(
			    Poco::Net::SocketAddress(_proxy.resolve(target.substr(0, colon)),
			                             static_cast<Poco::UInt16>(std::stoi(target.substr(colon + 1)))));
		}
		catch (Poco::Exception&)
		{
			stream << "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
			stream.flush();
			return;
		}
		++_proxy._tunnels;
		stream << "HTTP/1.1 200 Connection established\r\n\r\n";
		stream.flush();
		Poco::Net::StreamSocket client = socket();
		char buf[16384];
		while (!_proxy._stopping)
		{
			Poco::Net::Socket::SocketList readable{client, upstream}, writable, failed;
			if (Poco::Net::Socket::select(readable, writable, failed, Poco::Timespan(0, 50000)) == 0)
				continue;
			for (auto& from : readable)
			{
				Poco::Net::StreamSocket source(from);
				Poco::Net::StreamSocket sink = from == client ? upstream : client;
				int n = 0;
				try
				{
					n = source.receiveBytes(buf, sizeof buf);
					if (n > 0)
						sink.sendBytes(buf, n);
				}
				catch (Poco::Exception&)
				{
					n = 0;
				}
				if (n <= 0)
				{
					upstream.close();
					return;
				}
			}
		}
	}

	bool forward(Poco::Net::SocketStream& stream, Poco::Net::HTTPRequest& request, const std::string& body)
	{
		Poco::URI uri(request.getURI());
		if (uri.getScheme() != "http")
		{
			stream << "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
			stream.flush();
			return false;
		}
		Poco::Net::HTTPClientSession session(_proxy.resolve(uri.getHost()), uri.getPort());
		session.setTimeout(Poco::Timespan(5, 0));
		Poco::Net::HTTPRequest out(request.getMethod(), uri.getPathEtc(), request.getVersion());
		for (const auto& h : request)
		{
			if (Poco::icompare(h.first, 0, 6, std::string("Proxy-")) != 0)
				out.set(h.first, h.second);
		}
		std::string answer;
		Poco::Net::HTTPResponse response;
		try
		{
			session.sendRequest(out) << body;
			std::istream& in = session.receiveResponse(response);
			Poco::StreamCopier::copyToString(in, answer);
		}
		catch (Poco::Exception&)
		{
			stream << "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
			stream.flush();
			return false;
		}
		++_proxy._forwarded;
		response.setChunkedTransferEncoding(false);
		response.setContentLength(static_cast<std::streamsize>(answer.size()));
		response.setKeepAlive(request.getKeepAlive());
		response.write(stream);
		stream << answer;
		stream.flush();
		return request.getKeepAlive();
	}

	TestProxy& _proxy;
};

namespace
{

class Factory : public Poco::Net::TCPServerConnectionFactory
{
public:
	explicit Factory(TestProxy& proxy) : _proxy(proxy) {}
	Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override
	{
		return new TestProxy::Connection(socket, _proxy);
	}

private:
	TestProxy& _proxy;
};

} // namespace

TestProxy::TestProxy() : _socket(PostHogTest::listenOnLoopback(0, 32))
{
	_hosts["capture.test"] = "127.0.0.1";
	Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
	params->setMaxThreads(8);
	_server.reset(new Poco::Net::TCPServer(new Factory(*this), _socket, params));
	_server->start();
}

TestProxy::~TestProxy()
{
	_stopping = true;
	_server->stop();
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		for (auto& s : _open)
		{
			try
			{
				s.shutdown();
			}
			catch (Poco::Exception&)
			{
			}
		}
	}
	for (int i = 0; i < 500 && _active.load() > 0; ++i)
		Poco::Thread::sleep(10);
	_server.reset();
}

void TestProxy::enter(const Poco::Net::StreamSocket& socket)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	++_active;
	_open.push_back(socket);
}

void TestProxy::leave(const Poco::Net::StreamSocket& socket)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (auto it = _open.begin(); it != _open.end(); ++it)
	{
		if (*it == socket)
		{
			_open.erase(it);
			break;
		}
	}
	--_active;
}

Poco::UInt16 TestProxy::port() const
{
	return _socket.address().port();
}

std::string TestProxy::url() const
{
	return "http://127.0.0.1:" + std::to_string(port());
}

void TestProxy::requireCredentials(const std::string& username, const std::string& password)
{
	std::ostringstream encoded;
	Poco::Base64Encoder encoder(encoded);
	encoder.rdbuf()->setLineLength(0);
	encoder << username << ':' << password;
	encoder.close();
	Poco::FastMutex::ScopedLock lock(_mutex);
	_expectedAuthorization = "Basic " + encoded.str();
}

void TestProxy::mapHost(const std::string& name, const std::string& address)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_hosts[name] = address;
}

std::string TestProxy::resolve(const std::string& host) const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	auto it = _hosts.find(host);
	return it == _hosts.end() ? host : it->second;
}

void TestProxy::record(const std::string& line, const std::string& authorization)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_lines.push_back(line);
	_authorizations.push_back(authorization);
}

bool TestProxy::authorized(const std::string& authorization) const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _expectedAuthorization.empty() || authorization == _expectedAuthorization;
}

std::vector<std::string> TestProxy::requestLines() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _lines;
}

std::vector<std::string> TestProxy::authorizations() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _authorizations;
}

} // namespace PostHogTest
