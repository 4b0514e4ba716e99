//
// ClientImplEnqueue.cpp
//
// ClientImpl on the caller's side: a message (or a capture's parts) into the queue, or through
// the pipeline and out at once in sync mode.
//

#include "client/ClientImpl.h"
#include "encoding/PropertiesAccess.h"

namespace PostHog
{

bool ClientImpl::enqueue(Message&& message)
{
	ensureRunning();
	if (!_accepting.load(std::memory_order_relaxed))
	{
		if (_options.enabled)
		{
			_counters.addDrop("shutdown");
			_reporter->report(ClientError::Warning,
			                  "event '" + message.event() + "' was not queued: the client has been shut down",
			                  0, 0);
		}
		return false;
	}
	if (_options.syncMode)
	{
		// Sync mode: the pipeline and the request run on the caller's thread; sequence numbers
		// still order the messages for flush().
		Poco::FastMutex::ScopedLock lock(_syncMutex);
		if (_queue->push(message) != MessageQueue::Pushed)
			return false;
		QueuedMessages taken;
		_queue->take(taken, 0);
		Message& m = message;
		while (taken.next(m))
		{
			auto outcome = _pipeline->process(m);
			if (!outcome.passed)
				_counters.addDrop("stage:" + outcome.droppedBy);
			else
			{
				minimizeFlagCalled(m);
				_sink->sendNow(m);
			}
			_tracker->processed(PropertiesAccess::sequence(m));
		}
		return true;
	}
	return queued(_queue->push(message));
}

bool ClientImpl::enqueue(const QueuedMessages::Parts& parts)
{
	ensureRunning();
	if (_options.syncMode || !_accepting.load(std::memory_order_relaxed))
	{
		Message message(parts.type, std::string(parts.event), std::string(parts.distinctId),
		                parts.properties);
		message.setUuid(parts.uuid);
		message.setTimestamp(Poco::Timestamp(parts.timestamp));
		return enqueue(std::move(message));
	}
	return queued(_queue->push(parts));
}

bool ClientImpl::queued(MessageQueue::PushResult result)
{
	switch (result)
	{
	case MessageQueue::Pushed:
		return true;
	case MessageQueue::Full:
		_counters.queueFull.fetch_add(1, std::memory_order_relaxed);
		_counters.queueFullUnreported.fetch_add(1, std::memory_order_relaxed);
		return false;
	case MessageQueue::Closed:
		_counters.addDrop("shutdown");
		return false;
	}
	return false;
}

} // namespace PostHog
