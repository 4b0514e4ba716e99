//
// RequestDeadline.cpp
//

#include "delivery/RequestDeadline.h"
#include <sys/socket.h>
#include <unistd.h>

namespace PostHog
{

RequestDeadline::~RequestDeadline()
{
	unwatch();
	release();
}

void RequestDeadline::arm(Poco::Timespan timeout)
{
	unwatch();
	std::uint64_t generation;
	Poco::Clock end;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_expired = false;
		_end = Poco::Clock();
		_end += timeout.totalMicroseconds();
		end = _end;
		generation = ++_generation;
	}
	DeadlineWatchdog::Key key = DeadlineWatchdog::instance().add(end, weak_from_this(), generation);
	std::lock_guard<std::mutex> lock(_mutex);
	_watched = key;
}

void RequestDeadline::unwatch()
{
	DeadlineWatchdog::Key key;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		key = _watched;
		_watched = DeadlineWatchdog::Key(0, 0);
	}
	if (key.second)
		DeadlineWatchdog::instance().remove(key);
}

void RequestDeadline::attach(poco_socket_t fd)
{
	std::lock_guard<std::mutex> lock(_mutex);
	release();
	if (fd == POCO_INVALID_SOCKET)
		return;
	_fd = ::dup(fd);
	if (_expired && _fd >= 0)
		::shutdown(_fd, SHUT_RDWR);
}

void RequestDeadline::expire(std::uint64_t generation)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (generation != _generation)
		return;
	_expired = true;
	if (_fd >= 0)
		::shutdown(_fd, SHUT_RDWR);
}

void RequestDeadline::abort()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_fd >= 0)
		::shutdown(_fd, SHUT_RDWR);
}

bool RequestDeadline::disarm()
{
	unwatch();
	std::lock_guard<std::mutex> lock(_mutex);
	++_generation;
	release();
	bool expired = _expired;
	_expired = false;
	return expired;
}

Poco::Timespan RequestDeadline::remaining() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return Poco::Timespan(_end - Poco::Clock());
}

void RequestDeadline::release()
{
	if (_fd >= 0)
		::close(_fd);
	_fd = -1;
}

} // namespace PostHog
