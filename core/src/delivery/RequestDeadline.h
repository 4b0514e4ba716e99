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
#include "Poco/Util/TimerTask.h"
#include <cstdint>
#include <memory>
#include <mutex>

namespace PostHog
{

class RequestDeadline : public std::enable_shared_from_this<RequestDeadline>
/// Bounds a whole request (connect, TLS handshake, send, response), because Poco's socket
/// timeouts apply to each read and a peer that trickles one byte at a time would outlive them.
/// arm() starts the clock and schedules expiry on a shared timer thread; the connection's
/// socket is attached (a dup of its descriptor, so a socket Poco closes in the meantime can never
/// be confused with a new one); when the time is up, the timer shuts the socket down and every
/// blocked read or write of the request returns at once. Thread-safe.
{
public:
	~RequestDeadline();

	Poco::Util::TimerTask::Ptr arm(Poco::Timespan timeout);
	/// Starts a new request with this bound; the returned task is cancelled after it.

	void attach(poco_socket_t fd);
	/// The socket the request uses (shut down at once when the deadline already passed).

	void abort();
	/// Shuts the attached socket down now (nothing more can be sent or received on it).

	bool disarm();
	/// Ends the request; true when the deadline passed during it.

	Poco::Timespan remaining() const;
	/// Time left until the deadline.

private:
	class ExpireTask;

	void expire(std::uint64_t generation);
	void release();

	mutable std::mutex _mutex;
	std::uint64_t _generation = 0;
	bool _expired = false;
	int _fd = -1;
	Poco::Clock _end;
};

} // namespace PostHog

#endif // PostHog_RequestDeadline_INCLUDED
