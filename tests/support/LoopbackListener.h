//
// LoopbackListener.h
//
// Listening sockets for the tests' loopback servers.
//

#ifndef PostHogTest_LoopbackListener_INCLUDED
#define PostHogTest_LoopbackListener_INCLUDED

#include "Poco/Net/ServerSocket.h"

namespace PostHogTest
{

Poco::Net::ServerSocket listenOnLoopback(Poco::UInt16 port = 0, int backlog = 64);
/// A socket listening on 127.0.0.1:port (0: a free port), with SO_REUSEADDR but not
/// SO_REUSEPORT. Poco 1.11's ServerSocket(address) sets both, and with SO_REUSEPORT a second
/// socket of the same user may listen on a port already in use and receive part of its
/// connections: with suites running side by side (ctest -j2), one suite's "never answers"
/// server on a reserved port took connections meant for another suite's capture server.

Poco::UInt16 reserveLoopbackPort();
/// A loopback port nobody listens on, for a server a test starts later (or never). The port
/// stays bound, not listening, until the process exits: connections to it are refused, no other
/// socket is given it by bind(0) meanwhile, and a server can still listen on it (both sockets
/// set SO_REUSEADDR and the holder never listens). A port bound and released at once could be
/// handed to another process's server before the test uses it.

} // namespace PostHogTest

#endif // PostHogTest_LoopbackListener_INCLUDED
