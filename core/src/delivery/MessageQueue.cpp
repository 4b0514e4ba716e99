//
// MessageQueue.cpp
//

#include "delivery/MessageQueue.h"
#include <algorithm>

namespace PostHog
{

MessageQueue::MessageQueue(std::size_t capacity, bool blockWhenFull, std::size_t wakeEvery)
    : _wakeup(Poco::Event::EVENT_AUTORESET), _capacity(capacity), _block(blockWhenFull),
      _wakeEvery(wakeEvery ? wakeEvery : 1), _untilWake(_wakeEvery)
{
	_spare.reserve(kSpareBlocks);
}

MessageQueue::~MessageQueue()
{
	QueuedMessages left;
	take(left, 0);
	left._queue = nullptr; // its blocks are freed, not recycled into this dying queue
	left.clear();
	for (QueuedMessages::Block* b : _spare)
		QueuedMessages::release(b);
}

MessageQueue::PushResult MessageQueue::push(const Message& message)
{
	return push(QueuedMessages::partsOf(message));
}

MessageQueue::PushResult MessageQueue::push(const QueuedMessages::Parts& parts)
{
	const std::size_t bytes = QueuedMessages::recordSize(parts);
	bool wake = false;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (!_closed && _size >= _capacity && !waitForRoom())
			return Full;
		if (_closed)
			return Closed;
		QueuedMessages::Block* block = blockFor(bytes);
		QueuedMessages::write(block->data() + block->used, parts);
		block->used += bytes;
		++_lastSequence;
		if (_size == 0)
			_oldest.update();
		++_size;
		// A countdown, not size % wakeEvery: the modulo is a 64-bit division on every capture().
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

bool MessageQueue::waitForRoom()
{
	Poco::Timestamp blockedSince;
	while (!_closed && _size >= _capacity)
	{
		if (!_block || _stalled)
			return false;
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
			return false;
		}
	}
	return true;
}

void MessageQueue::setBlockLimit(Poco::Timespan limit)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_blockLimit = limit;
}

QueuedMessages::Block* MessageQueue::blockFor(std::size_t bytes)
{
	if (_tail && _tail->capacity - _tail->used >= bytes)
		return _tail;
	QueuedMessages::Block* block;
	if (bytes <= QueuedMessages::kBlockBytes && !_spare.empty())
	{
		block = _spare.back();
		_spare.pop_back();
		block->next = nullptr;
		block->used = 0;
	}
	else
		block = QueuedMessages::allocate(std::max(bytes, QueuedMessages::kBlockBytes));
	if (_tail)
		_tail->next = block;
	else
		_head = block;
	_tail = block;
	return block;
}

void MessageQueue::recycle(QueuedMessages::Block* block)
{
	if (block->capacity == QueuedMessages::kBlockBytes)
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (_spare.size() < kSpareBlocks)
		{
			_spare.push_back(block);
			return;
		}
	}
	QueuedMessages::release(block);
}

Poco::Timestamp MessageQueue::take(QueuedMessages& out, long timeoutMs)
{
	out.clear();
	if (timeoutMs > 0)
		_wakeup.tryWait(timeoutMs);
	Poco::FastMutex::ScopedLock lock(_mutex);
	out._queue = this;
	out._head = _head;
	out._tail = _tail;
	out._offset = 0;
	out._count = _size;
	out._nextSequence = _lastSequence - _size + 1;
	_head = _tail = nullptr;
	if (_size)
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

void MessageQueue::wakeAfter(std::size_t records)
{
	bool now;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		records = std::max<std::size_t>(records, 1);
		now = _size >= records;
		_untilWake = now ? _wakeEvery : records - _size;
	}
	if (now)
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
