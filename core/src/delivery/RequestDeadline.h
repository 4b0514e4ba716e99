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
#include <cstdint>
#include <memory>
#include <mutex>

namespace PostHog
{

class RequestDeadline : public std::enable_shared_from_this<RequestDeadline>
/// Bounds a whole request (connect, TLS handshake, send, response), because Poco's socket
/// timeouts apply to each read and a peer that trickles one byte at a time would outlive them.
/// arm() starts the clock; the connection's socket is attached (a dup of its descriptor, so a
/// socket Poco closes in the meantime can never be confused with a new one); when the time is
/// up, a shared timer thread shuts the socket down and every blocked read or write of the
/// request returns at once. Thread-safe.
///
/// One timer task watches consecutive requests: arm() schedules one only when none is pending
/// or the pending one would fire after the new deadline. A task that fires before the current
/// request's deadline schedules itself again for it; one that finds no request in progress
/// ends. So kept-alive requests that end in time neither wake the timer thread nor allocate.
{
public:
	~RequestDeadline();

	void arm(Poco::Timespan timeout);
	/// Starts a new request with this bound (ended by disarm()).

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

	void fire(std::uint64_t task);
	/// A timer task ran: expires the request in progress when its deadline passed, otherwise
	/// schedules a task for that deadline.
	void scheduleLocked(const Poco::Clock& at);
	void release();

	mutable std::mutex _mutex;
	bool _active = false; /// a request is between arm() and disarm()
	bool _expired = false;
	std::uint64_t _task = 0; /// the number of the latest scheduled task; older ones do nothing
	bool _pending = false;   /// task _task has not run yet
	Poco::Clock _taskAt;     /// when it runs
	int _fd = -1;
	Poco::Clock _end;
};

} // namespace PostHog

#endif // PostHog_RequestDeadline_INCLUDED
