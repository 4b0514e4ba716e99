//
// RequestDeadline.h
//
// The whole-request time bound of an HttpTransport.
//

#ifndef PostHog_RequestDeadline_INCLUDED
#define PostHog_RequestDeadline_INCLUDED

#include "Poco/Clock.h"
#include "Poco/Net/Socket.h"
#include "Poco/Timespan.h"
#include "delivery/DeadlineWatchdog.h"
#include <cstdint>
#include <memory>
#include <mutex>

namespace PostHog
{

class RequestDeadline : public std::enable_shared_from_this<RequestDeadline>
/// Bounds a whole request (connect, TLS handshake, send, response), because Poco's socket
/// timeouts apply to each read and a peer that trickles one byte at a time would outlive them.
/// arm() starts the clock and registers the deadline with the DeadlineWatchdog; the connection's
/// socket is attached (a dup of its descriptor, so a socket Poco closes in the meantime can never
/// be confused with a new one); when the time is up, the watchdog shuts the socket down and every
/// blocked read or write of the request returns at once. Thread-safe.
{
public:
	~RequestDeadline();

	void arm(Poco::Timespan timeout);
	/// Starts a new request with this bound (disarm() ends it).

	void attach(poco_socket_t fd);
	/// The socket the request uses (shut down at once when the deadline already passed).

	void abort();
	/// Shuts the attached socket down now (nothing more can be sent or received on it).

	bool disarm();
	/// Ends the request; true when the deadline passed during it.

	Poco::Timespan remaining() const;
	/// Time left until the deadline.

private:
	friend class DeadlineWatchdog;

	void expire(std::uint64_t generation);
	/// The watchdog: the deadline of the request of that generation has passed.
	void release();
	void unwatch();

	mutable std::mutex _mutex;
	std::uint64_t _generation = 0;
	bool _expired = false;
	int _fd = -1;
	Poco::Clock _end;
	DeadlineWatchdog::Key _watched{0, 0}; // {0, 0}: not registered
};

} // namespace PostHog

#endif // PostHog_RequestDeadline_INCLUDED
