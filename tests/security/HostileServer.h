//
// HostileServer.h
//
// A raw-socket peer on loopback that misbehaves the way broken or hostile servers do.
//

#ifndef PostHogTest_HostileServer_INCLUDED
#define PostHogTest_HostileServer_INCLUDED

#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include <atomic>
#include <string>

namespace PostHogTest
{

class HostileServer : public Poco::Runnable
/// A Poco::Net::ServerSocket on 127.0.0.1 (a free port) with its own thread that reads each
/// request (headers and Content-Length body) and then answers according to its behaviour.
/// Connections are served one at a time; stop() (or the destructor) ends any answer in
/// progress within ~50 ms.
{
public:
	enum Behaviour
	{
		Trickle,       /// a status line and headers one byte every trickleMs, forever
		Silent,        /// accepts, reads the request, never answers
		EndlessBody,   /// 200 with Content-Length 10^12 and body bytes as fast as the client takes them
		Redirect,      /// status (301/302/307/308) with Location: location, empty body
		EndlessHeaders /// a status line, then header fields as fast as the client takes them
	};

	explicit HostileServer(Behaviour behaviour, int status = 0, const std::string& location = std::string());
	~HostileServer();

	std::string url() const;
	Poco::UInt16 port() const;
	void stop();

	int connections() const { return _connections.load(); }
	int requests() const { return _requests.load(); }
	long long bytesSent() const { return _bytesSent.load(); }
	std::string lastRequestHead() const;

	long trickleMs = 100;

	void run() override;

private:
	bool readRequest(Poco::Net::StreamSocket& socket);
	void serve(Poco::Net::StreamSocket& socket);
	bool sendAll(Poco::Net::StreamSocket& socket, const std::string& data);
	bool clientClosed(Poco::Net::StreamSocket& socket);

	Behaviour _behaviour;
	int _status;
	std::string _location;
	Poco::Net::ServerSocket _socket;
	Poco::Thread _thread;
	std::atomic<bool> _stop{false};
	std::atomic<int> _connections{0};
	std::atomic<int> _requests{0};
	std::atomic<long long> _bytesSent{0};
	mutable Poco::FastMutex _mutex;
	std::string _lastHead;
};

} // namespace PostHogTest

#endif // PostHogTest_HostileServer_INCLUDED
