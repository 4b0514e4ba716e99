//
// LoopbackListener.cpp
//

#include "LoopbackListener.h"
#include <vector>

namespace PostHogTest
{

Poco::Net::ServerSocket listenOnLoopback(Poco::UInt16 port, int backlog)
{
	Poco::Net::ServerSocket socket;
	socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true, false);
	socket.listen(backlog);
	return socket;
}

Poco::UInt16 reserveLoopbackPort()
{
	static std::vector<Poco::Net::ServerSocket> held;
	Poco::Net::ServerSocket holder;
	holder.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
	held.push_back(holder);
	return holder.address().port();
}

} // namespace PostHogTest
