//
// MessageQueue.cpp
//

#include "delivery/MessageQueue.h"
#include "encoding/PropertiesAccess.h"

namespace PostHog
{

MessageQueue::MessageQueue(std::size_t capacity, bool blockWhenFull, std::size_t wakeEvery)
    : _wakeup(Poco::Event::EVENT_AUTORESET), _capacity(capacity), _block(blockWhenFull),
      _wakeEvery(wakeEvery ? wakeEvery : 1), _untilWake(_wakeEvery)
{
}

MessageQueue::PushResult MessageQueue::push(Message&& message)
{
	bool wake = false;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		Poco::Timestamp blockedSince;
		while (!_closed && _size >= _capacity)
		{
			if (!_block || _stalled)
				return Full;
			_wakeup.set();
			if (_blockLimit.totalMicroseconds() <= 0)
			{
				_space.wait(_mutex);
				continue;
			}
			_space.tryWait(_mutex, 100);
			Poco::Timestamp::TimeDiff limit = _blockLimit.totalMicroseconds();
			if (_size >= _capacity && blockedSince.isElapsed(limit) && _lastTake.isElapsed(limit))
			{
				_stalled = true;
				return Full;
			}
		}
		if (_closed)
			return Closed;
		PropertiesAccess::setSequence(message, ++_lastSequence);
		if (_size == 0)
			_oldest.update();
		_queue.push_back(std::move(message));
		++_size;
		// A countdown, not size % wakeEvery: std::deque::size() divides by the element size and
		// the modulo is a 64-bit division on every capture().
		if (--_untilWake == 0)
		{
			wake = true;
			_untilWake = _wakeEvery;
		}
	}
	if (wake)
		_wakeup.set();
	return Pushed;
}

void MessageQueue::setBlockLimit(Poco::Timespan limit)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_blockLimit = limit;
}

Poco::Timestamp MessageQueue::take(std::deque<Message>& out, long timeoutMs)
{
	if (timeoutMs > 0)
		_wakeup.tryWait(timeoutMs);
	Poco::FastMutex::ScopedLock lock(_mutex);
	out.swap(_queue);
	if (!out.empty())
	{
		_lastTake.update();
		_stalled = false;
	}
	_size = 0;
	_untilWake = _wakeEvery;
	if (_block)
		_space.broadcast();
	return _oldest;
}

void MessageQueue::wake()
{
	_wakeup.set();
}

void MessageQueue::close()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_closed = true;
	_space.broadcast();
	_wakeup.set();
}

std::uint64_t MessageQueue::lastSequence() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _lastSequence;
}

std::size_t MessageQueue::size() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _size;
}

} // namespace PostHog
