//
// HostileServer.cpp
//

#include "HostileServer.h"
#include "LoopbackListener.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"

namespace PostHogTest
{

HostileServer::HostileServer(Behaviour behaviour, int status, const std::string& location)
    : _behaviour(behaviour), _status(status), _location(location),
      _socket(PostHogTest::listenOnLoopback(0, 16)), _thread("HostileServer")
{
	_thread.start(*this);
}

HostileServer::~HostileServer()
{
	stop();
}

void HostileServer::stop()
{
	_stop = true;
	if (_thread.isRunning())
		_thread.join();
	_socket.close();
}

Poco::UInt16 HostileServer::port() const
{
	return _socket.address().port();
}

std::string HostileServer::url() const
{
	return "http://127.0.0.1:" + std::to_string(port());
}

std::string HostileServer::lastRequestHead() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _lastHead;
}

void HostileServer::run()
{
	while (!_stop)
	{
		try
		{
			if (!_socket.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ))
				continue;
			Poco::Net::StreamSocket client = _socket.acceptConnection();
			++_connections;
			serve(client);
			client.close();
		}
		catch (Poco::Exception&)
		{
			// The client went away; serve the next one.
		}
	}
}

bool HostileServer::readRequest(Poco::Net::StreamSocket& socket)
{
	std::string data;
	char buf[4096];
	std::size_t headEnd = std::string::npos;
	std::size_t need = 0;
	while (!_stop)
	{
		if (headEnd != std::string::npos && data.size() >= headEnd + 4 + need)
			break;
		if (!socket.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ))
			continue;
		int n = socket.receiveBytes(buf, sizeof buf);
		if (n <= 0)
			return false;
		data.append(buf, static_cast<std::size_t>(n));
		if (headEnd == std::string::npos && (headEnd = data.find("\r\n\r\n")) != std::string::npos)
		{
			std::string head = Poco::toLower(data.substr(0, headEnd));
			auto cl = head.find("content-length:");
			if (cl != std::string::npos)
				need = Poco::NumberParser::parseUnsigned(
				    Poco::trim(head.substr(cl + 15, head.find("\r\n", cl) - cl - 15)));
			Poco::FastMutex::ScopedLock lock(_mutex);
			_lastHead = data.substr(0, headEnd);
		}
	}
	if (_stop)
		return false;
	++_requests;
	return true;
}

bool HostileServer::sendAll(Poco::Net::StreamSocket& socket, const std::string& data)
{
	std::size_t sent = 0;
	while (sent < data.size() && !_stop)
	{
		if (!socket.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_WRITE))
			continue;
		int n = socket.sendBytes(data.data() + sent, static_cast<int>(data.size() - sent));
		if (n <= 0)
			return false;
		sent += static_cast<std::size_t>(n);
		_bytesSent += n;
	}
	return sent == data.size();
}

bool HostileServer::clientClosed(Poco::Net::StreamSocket& socket)
{
	if (!socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ))
		return false;
	char c;
	return socket.receiveBytes(&c, 1) <= 0;
}

void HostileServer::serve(Poco::Net::StreamSocket& socket)
{
	while (!_stop)
	{
		if (!readRequest(socket))
			return;
		switch (_behaviour)
		{
		case Trickle:
		{
			std::string head = "HTTP/1.1 200 OK\r\nX-Slow: ";
			for (std::size_t i = 0; !_stop; ++i)
			{
				char c = i < head.size() ? head[i] : 'a';
				if (!sendAll(socket, std::string(1, c)))
					return;
				Poco::Thread::sleep(trickleMs);
				if (clientClosed(socket))
					return;
			}
			return;
		}
		case Silent:
			while (!_stop)
			{
				if (socket.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ))
				{
					char buf[256];
					if (socket.receiveBytes(buf, sizeof buf) <= 0)
						return;
				}
			}
			return;
		case EndlessBody:
		{
			if (!sendAll(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
			                     "1000000000000\r\n\r\n"))
				return;
			std::string chunk(16384, 'x');
			while (!_stop)
			{
				if (!sendAll(socket, chunk))
					return;
			}
			return;
		}
		case EndlessHeaders:
		{
			if (!sendAll(socket, "HTTP/1.1 200 OK\r\n"))
				return;
			for (long i = 0; !_stop; ++i)
			{
				if (!sendAll(socket, "X-Header-" + std::to_string(i) + ": " + std::string(100, 'v') + "\r\n"))
					return;
			}
			return;
		}
		case Redirect:
			if (!sendAll(socket, "HTTP/1.1 " + std::to_string(_status) + " Moved\r\nLocation: " + _location +
			                         "\r\nContent-Length: 0\r\n\r\n"))
				return;
			break;
		}
	}
}

} // namespace PostHogTest
