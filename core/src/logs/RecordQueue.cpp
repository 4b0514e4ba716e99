//
// RecordQueue.cpp
//

#include "logs/RecordQueue.h"
#include "Poco/ScopedUnlock.h"
#include <algorithm>
#include <mutex>
#include <pthread.h>
#include <set>

namespace PostHog
{

namespace
{

std::mutex& registryMutex()
{
	static std::mutex* mutex = new std::mutex; // never destroyed: queues may outlive static destruction
	return *mutex;
}

std::set<RecordQueue*>& registry()
{
	static std::set<RecordQueue*>* queues = new std::set<RecordQueue*>;
	return *queues;
}

std::once_flag atforkOnce;

} // namespace

QueuedRecord::~QueuedRecord() = default;

RecordQueue::RecordQueue(const ClientOptions& options, Settings settings, const Reporter& reporter)
    : _options(options), _settings(std::move(settings)), _reporter(reporter), _state(new State),
      _sender(new RecordSender(options, _settings.endpoint, _settings.name, reporter))
{
	std::call_once(atforkOnce, [] { pthread_atfork(&forkPrepare, &forkParent, &forkChild); });
	std::lock_guard<std::mutex> lock(registryMutex());
	registry().insert(this);
}

RecordQueue::~RecordQueue()
{
	{
		std::lock_guard<std::mutex> lock(registryMutex());
		registry().erase(this);
	}
	shutdown(0);
}

bool RecordQueue::push(std::unique_ptr<QueuedRecord> record)
{
	State& s = *_state;
	bool warnFull = false;
	bool evicted = false;
	{
		Poco::FastMutex::ScopedLock lock(s.mutex);
		if (_shutDown)
			return false;
		if (!s.started)
		{
			s.started = true;
			s.due = Poco::Timestamp() + _settings.interval;
			_thread.reset(new Poco::Thread("PostHog " + _settings.name));
			_thread->start(*this);
		}
		if (s.records.size() >= _settings.capacity)
		{
			s.records.pop_front();
			++s.resolved;
			evicted = true;
			warnFull = !s.warnedFull;
			s.warnedFull = true;
			s.done.broadcast();
		}
		else
			s.warnedFull = false;
		s.records.push_back(std::move(record));
		++s.pushed;
		if (s.records.size() >= _settings.threshold)
			s.wake.signal();
	}
	if (evicted)
		countDrop("queue_full");
	if (warnFull)
	{
		_reporter.report(ClientError::QueueFull,
		                 "PostHog " + _settings.name + ": the queue is full (" +
		                     std::to_string(_settings.capacity) +
		                     " records); the oldest records are dropped until it drains",
		                 0, 1);
	}
	return true;
}

void RecordQueue::countDrop(const std::string& reason)
{
	Poco::FastMutex::ScopedLock lock(_dropMutex);
	++_dropped[reason];
}

bool RecordQueue::flush(Poco::Timespan timeout)
{
	std::uint64_t target;
	{
		State& s = *_state;
		Poco::FastMutex::ScopedLock lock(s.mutex);
		if (!s.started || s.resolved >= s.pushed)
			return true;
		target = s.pushed;
		s.target = std::max(s.target, target);
		s.wake.signal();
	}
	return waitResolved(target, timeout);
}

bool RecordQueue::waitResolved(std::uint64_t target, Poco::Timespan timeout)
{
	State& s = *_state;
	Poco::Timestamp deadline = Poco::Timestamp() + timeout;
	Poco::FastMutex::ScopedLock lock(s.mutex);
	while (s.resolved < target)
	{
		long ms = static_cast<long>((deadline - Poco::Timestamp()) / 1000);
		if (ms <= 0)
			return false;
		s.done.tryWait(s.mutex, ms);
	}
	return true;
}

bool RecordQueue::shutdown(Poco::Timespan timeout)
{
	State& s = *_state;
	std::uint64_t target;
	{
		Poco::FastMutex::ScopedLock lock(s.mutex);
		if (_shutDown)
			return true;
		_shutDown = true;
		if (!s.started)
			return true;
		s.stopping = true;
		target = s.pushed;
		s.target = target;
		s.wake.signal();
	}
	bool clean = waitResolved(target, timeout);
	if (!clean)
		_sender->abort();
	{
		Poco::FastMutex::ScopedLock lock(s.mutex);
		s.wake.signal();
	}
	_thread->join();
	return clean;
}

void RecordQueue::run()
{
	State& s = *_state;
	Poco::FastMutex::ScopedLock lock(s.mutex);
	for (;;)
	{
		Poco::Timestamp now;
		if (now >= s.due)
		{
			s.target = std::max(s.target, s.pushed);
			s.due = now + _settings.interval;
		}
		bool work = !s.records.empty() && (s.target > s.resolved || s.records.size() >= _settings.threshold);
		if (!work)
		{
			if (s.stopping)
				break;
			s.wake.tryWait(s.mutex, std::max<long>(1, static_cast<long>((s.due - now) / 1000) + 1));
			continue;
		}
		std::vector<std::unique_ptr<QueuedRecord>> batch;
		std::size_t n = std::min(s.records.size(), _settings.maxBatch);
		for (std::size_t i = 0; i < n; ++i)
		{
			batch.push_back(std::move(s.records.front()));
			s.records.pop_front();
		}
		{
			Poco::ScopedUnlock<Poco::FastMutex> unlock(s.mutex);
			sendBatch(batch);
		}
		s.resolved += n;
		s.done.broadcast();
	}
}

void RecordQueue::sendBatch(std::vector<std::unique_ptr<QueuedRecord>>& batch)
{
	auto encode = [&](std::string& body, std::size_t begin, std::size_t end)
	{
		body.reserve(_settings.head.size() + _settings.tail.size() + (end - begin) * 256);
		body += _settings.head;
		for (std::size_t i = begin; i < end; ++i)
		{
			if (i > begin)
				body += ',';
			batch[i]->encode(body);
		}
		body += _settings.tail;
	};
	RecordSender::Outcome outcome = _sender->send(batch.size(), encode);
	_sent.fetch_add(outcome.sent);
	_failed.fetch_add(outcome.failed);
	_requests.fetch_add(outcome.requests);
	_retried.fetch_add(outcome.retried);
}

RouteStatistics RecordQueue::statistics() const
{
	RouteStatistics stats;
	{
		Poco::FastMutex::ScopedLock lock(_state->mutex);
		stats.queued = _state->records.size();
		stats.enqueued = _state->pushed;
	}
	stats.sent = _sent.load();
	stats.failed = _failed.load();
	stats.requests = _requests.load();
	stats.retried = _retried.load();
	Poco::FastMutex::ScopedLock lock(_dropMutex);
	stats.droppedByReason = _dropped;
	for (const auto& d : _dropped)
		stats.dropped += d.second;
	return stats;
}

void RecordQueue::forkPrepare()
{
	registryMutex().lock();
	for (RecordQueue* q : registry())
	{
		q->_state->mutex.lock();
		q->_dropMutex.lock();
	}
}

void RecordQueue::forkParent()
{
	for (RecordQueue* q : registry())
	{
		q->_dropMutex.unlock();
		q->_state->mutex.unlock();
	}
	registryMutex().unlock();
}

void RecordQueue::forkChild()
{
	// Only the forking thread exists here: the parent's sender thread, its state (whose
	// conditions it may have been waiting on) and its connection are left alone, leaked on
	// purpose; the parent sends the records it holds. A new thread starts on the next push().
	for (RecordQueue* q : registry())
	{
		q->_dropMutex.unlock();
		q->_dropped.clear();
		q->_state.release();
		q->_state.reset(new State);
		q->_thread.release();
		q->_sender.release();
		q->_sender.reset(
		    new RecordSender(q->_options, q->_settings.endpoint, q->_settings.name, q->_reporter));
		q->_sent = 0;
		q->_failed = 0;
		q->_requests = 0;
		q->_retried = 0;
	}
	registryMutex().unlock();
}

} // namespace PostHog
