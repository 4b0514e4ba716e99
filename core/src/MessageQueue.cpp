//
// MessageQueue.cpp
//

#include "MessageQueue.h"

namespace PostHog
{

MessageQueue::MessageQueue(std::size_t capacity, bool blockWhenFull, std::size_t wakeEvery)
    : _wakeup(Poco::Event::EVENT_AUTORESET), _capacity(capacity), _block(blockWhenFull), _wakeEvery(wakeEvery ? wakeEvery : 1)
{
}

MessageQueue::PushResult MessageQueue::push(Message&& message)
{
	bool wake = false;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		while (!_closed && _queue.size() >= _capacity)
		{
			if (!_block)
				return Full;
			_wakeup.set();
			_space.wait(_mutex);
		}
		if (_closed)
			return Closed;
		message.setSequence(++_lastSequence);
		if (_queue.empty())
			_oldest.update();
		_queue.push_back(std::move(message));
		wake = _queue.size() % _wakeEvery == 0;
	}
	if (wake)
		_wakeup.set();
	return Pushed;
}

Poco::Timestamp MessageQueue::take(std::deque<Message>& out, long timeoutMs)
{
	if (timeoutMs > 0)
		_wakeup.tryWait(timeoutMs);
	Poco::FastMutex::ScopedLock lock(_mutex);
	out.swap(_queue);
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
	return _queue.size();
}

} // namespace PostHog
