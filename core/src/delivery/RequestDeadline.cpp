//
// RequestDeadline.cpp
//

#include "delivery/RequestDeadline.h"
#include "Poco/Util/Timer.h"
#include <sys/socket.h>
#include <unistd.h>

namespace PostHog
{

namespace
{

Poco::Util::Timer& deadlineTimer()
{
	// Never destroyed: a Client with static storage duration flushes from its destructor, after
	// a function-local static timer would already be gone.
	static Poco::Util::Timer* timer = new Poco::Util::Timer;
	return *timer;
}

} // namespace

class RequestDeadline::ExpireTask : public Poco::Util::TimerTask
{
public:
	ExpireTask(std::shared_ptr<RequestDeadline> deadline, std::uint64_t generation)
	    : _deadline(std::move(deadline)), _generation(generation)
	{
	}

	void run() override { _deadline->expire(_generation); }

private:
	std::shared_ptr<RequestDeadline> _deadline;
	std::uint64_t _generation;
};

RequestDeadline::~RequestDeadline()
{
	release();
}

Poco::Util::TimerTask::Ptr RequestDeadline::arm(Poco::Timespan timeout)
{
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
	Poco::Util::TimerTask::Ptr task = new ExpireTask(shared_from_this(), generation);
	deadlineTimer().schedule(task, end);
	return task;
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
