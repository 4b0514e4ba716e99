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
	ExpireTask(std::shared_ptr<RequestDeadline> deadline, std::uint64_t task)
	    : _deadline(std::move(deadline)), _task(task)
	{
	}

	void run() override { _deadline->fire(_task); }

private:
	std::shared_ptr<RequestDeadline> _deadline;
	std::uint64_t _task;
};

RequestDeadline::~RequestDeadline()
{
	release();
}

void RequestDeadline::arm(Poco::Timespan timeout)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_active = true;
	_expired = false;
	_end = Poco::Clock();
	_end += timeout.totalMicroseconds();
	if (!_pending || _end < _taskAt)
		scheduleLocked(_end);
}

void RequestDeadline::scheduleLocked(const Poco::Clock& at)
{
	_pending = true;
	_taskAt = at;
	deadlineTimer().schedule(new ExpireTask(shared_from_this(), ++_task), at);
}

void RequestDeadline::fire(std::uint64_t task)
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (task != _task)
		return; // replaced by a task for an earlier deadline
	_pending = false;
	if (!_active || _expired)
		return;
	if (Poco::Clock() < _end)
	{
		scheduleLocked(_end); // this request started after the one the task was scheduled for
		return;
	}
	_expired = true;
	if (_fd >= 0)
		::shutdown(_fd, SHUT_RDWR);
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

void RequestDeadline::abort()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_fd >= 0)
		::shutdown(_fd, SHUT_RDWR);
}

bool RequestDeadline::disarm()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_active = false;
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
