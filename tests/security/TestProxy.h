//
// TestProxy.h
//
// A small HTTP forward proxy with CONNECT tunnels, on loopback, that counts what it relays.
//

#ifndef PostHogTest_TestProxy_INCLUDED
#define PostHogTest_TestProxy_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/Net/TCPServer.h"
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHogTest
{

class TestProxy
/// A Poco::Net::TCPServer on 127.0.0.1 (a free port) that acts as an HTTP proxy the way
/// tinyproxy or squid do: requests with an absolute http:// URI are forwarded (one
/// HTTPClientSession to the target each), CONNECT host:port opens a tunnel that relays bytes
/// both ways. Host names are resolved through a map first (capture.test -> 127.0.0.1), so
/// the client never needs to resolve the target itself. With credentials set, a request
/// without the right Proxy-Authorization gets 407.
{
public:
	TestProxy();
	~TestProxy();

	std::string url() const;
	/// http://127.0.0.1:port
	Poco::UInt16 port() const;

	void requireCredentials(const std::string& username, const std::string& password);
	void mapHost(const std::string& name, const std::string& address);

	int forwarded() const { return _forwarded.load(); }
	/// Plain requests relayed to their target.
	int tunnels() const { return _tunnels.load(); }
	/// CONNECT tunnels opened.
	int refused() const { return _refused.load(); }
	/// Requests answered 407.
	std::vector<std::string> requestLines() const;
	/// "METHOD URI" of every request, in order.
	std::vector<std::string> authorizations() const;
	/// The Proxy-Authorization header of every request ("" when absent).

	class Connection;

private:
	void enter(const Poco::Net::StreamSocket& socket);
	void leave(const Poco::Net::StreamSocket& socket);

	std::string resolve(const std::string& host) const;
	void record(const std::string& line, const std::string& authorization);
	bool authorized(const std::string& authorization) const;

	Poco::Net::ServerSocket _socket;
	std::unique_ptr<Poco::Net::TCPServer> _server;
	std::atomic<bool> _stopping{false};
	std::atomic<int> _forwarded{0};
	std::atomic<int> _tunnels{0};
	std::atomic<int> _refused{0};
	mutable Poco::FastMutex _mutex;
	std::map<std::string, std::string> _hosts;
	std::string _expectedAuthorization;
	std::vector<std::string> _lines;
	std::vector<std::string> _authorizations;
	std::vector<Poco::Net::StreamSocket> _open;
	std::atomic<int> _active{0};
};

} // namespace PostHogTest

#endif // PostHogTest_TestProxy_INCLUDED
