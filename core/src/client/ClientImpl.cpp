//
// ClientImpl.cpp
//

#include "client/ClientImpl.h"
#include "Poco/Logger.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Exceptions.h"
#include "encoding/PropertiesAccess.h"
#include "flags/MinimalCalledEvent.h"

namespace PostHog
{

namespace
{

} // namespace

ClientImpl::ClientImpl(ClientOptions options)
    : _options(std::move(options)), _logger(Poco::Logger::get(_options.loggerName))
{
	_options.validate();
	_reporter.reset(new Reporter(_logger, _options.onError, _options.apiKey));
	_context.reset(new MiddlewareContext(_logger));
	if (!_options.configuration)
		_options.configuration = new Poco::Util::MapConfiguration;
	if (!_options.enabled)
	{
		// An opt-out: every call is a no-op, so no plugin is loaded and no thread started.
		_pipeline.reset(new Pipeline);
		_accepting = false;
		_shutDown = true;
		return;
	}
	try
	{
		_pipeline = Pipeline::build(*_options.configuration, _options.middleware, *_context);
	}
	catch (ConfigurationException& e)
	{
		throw ConfigurationException(_reporter->mask(e.message())); // the key never in an exception text
	}
	catch (PluginException& e)
	{
		throw PluginException(_reporter->mask(e.message()));
	}
	_pipeline->setErrorHandler([this](const std::string&, const std::string& message)
	                           { _reporter->report(ClientError::StageError, message, 0, 0); });
	if (!_options.spoolPath.empty() && _options.syncMode)
		_logger.warning("posthog.spool.path is not used in sync mode: every call sends before it returns");
	_logs.reset(new LogService(_options, *_reporter));
	_ai.reset(new AiRoute(_options, *_reporter));
	if (!_options.verifyTls && _options.host.compare(0, 8, "https://") == 0)
		_logger.warning(
		    "TLS certificate verification is OFF (posthog.http.verify = false): anyone on the network "
		    "path to " +
		    _options.host + " can read and change what is sent");
	startFlags();
	startDelivery(!_options.spoolPath.empty() && !_options.syncMode);
	registerForFork(this);
	_logger.information(
	    "PostHog client started: host " + _options.host + ", key " + Reporter::maskKey(_options.apiKey) +
	    (_options.personalApiKey.empty()
	         ? std::string()
	         : ", local flag evaluation with personal key " + Reporter::maskKey(_options.personalApiKey)) +
	    ", " + std::to_string(_pipeline->size()) + " pipeline stage(s)" +
	    (_options.syncMode ? ", sync mode" : ""));
}

ClientImpl::~ClientImpl()
{
	unregisterForFork(this);
	shutdown(_options.shutdownTimeout);
}

void ClientImpl::startDelivery(bool withSpool)
{
	_tracker.reset(new DeliveryTracker);
	_queue.reset(new MessageQueue(_options.queueCapacity,
	                              _options.queueOverflow == ClientOptions::Overflow::Block,
	                              _options.batchSize));
	_queue->setBlockLimit(_options.shutdownTimeout);
	_sink.reset(new BatchingSink(_options, _counters, *_reporter, *_tracker));
	if (withSpool)
	{
		_spool.reset(new Spool(Spool::fromClientOptions(_options), *_reporter, _counters));
		_sink->setSpool(_spool.get());
	}
	_worker.reset(new Poco::Thread("PostHog worker"));
	if (!_options.syncMode && _accepting.load())
	{
		_sink->start();
		_worker->start(*this);
	}
}

void ClientImpl::reject(const std::string& reason)
{
	_counters.rejected.fetch_add(1, std::memory_order_relaxed);
	_reporter->report(ClientError::InvalidInput, reason, 0, 1);
}

void ClientImpl::reportQueueFull()
{
	std::uint64_t n = _counters.queueFullUnreported.exchange(0, std::memory_order_relaxed);
	if (n)
		_reporter->report(ClientError::QueueFull,
		                  std::to_string(n) +
		                      " events were dropped because the queue was full (posthog.queue.capacity = " +
		                      std::to_string(_options.queueCapacity) + ")" +
		                      (_options.queueOverflow == ClientOptions::Overflow::Block
		                           ? ": a blocked call gives up when nothing could be sent or spooled for "
		                             "posthog.shutdownTimeout"
		                           : ""),
		                  0, static_cast<std::size_t>(n));
}

void ClientImpl::process(Message& message)
{
	if (_flags && _flags->anyPending())
		_flags->attachPending(message);
	if (_pipeline->size())
	{
		Pipeline::Outcome outcome;
		{
			Poco::FastMutex::ScopedLock lock(_pipelineMutex);
			outcome = _pipeline->process(message);
		}
		if (!outcome.passed)
		{
			_counters.addDrop("stage:" + outcome.droppedBy);
			return;
		}
		// The calls checked these; a stage may have emptied them. PostHog refuses the whole
		// batch over one such event, so it goes alone.
		if (message.distinctId().empty() || message.event().empty())
		{
			_counters.addDrop("invalid");
			_reporter->report(ClientError::StageError,
			                  "event '" + message.event() + "' was dropped: a pipeline stage left its " +
			                      (message.distinctId().empty() ? "distinct id" : "event name") +
			                      " empty, and PostHog would refuse its whole batch for it",
			                  0, 1);
			return;
		}
	}
	minimizeFlagCalled(message);
	_sink->append(message);
}

void ClientImpl::minimizeFlagCalled(Message& message)
{
	if (_flags && _flags->anyMinimal())
		MinimalCalledEvent::minimize(message);
}

void ClientImpl::run()
{
	QueuedMessages chunk;
	Message message; // each queued record in turn: its strings and buffer are reused
	std::uint64_t processedUpTo = 0;
	for (;;)
	{
		bool stopping = _stopWorker.load();
		long wait = stopping ? 0 : _sink->millisecondsUntilDue(Poco::Timestamp());
		Poco::Timestamp oldest = _queue->take(chunk, wait);
		if (!chunk.empty())
			_sink->startInterval(oldest);
		std::uint64_t last = 0;
		// The queue's blocks go back as their records are taken, so a burst never holds the
		// queued records and the batches made of them at once.
		while (chunk.next(message))
		{
			last = PropertiesAccess::sequence(message);
			process(message);
		}
		// One very large event must not leave its buffer's capacity held for good.
		if (PropertiesAccess::encoded(message.properties()).capacity() > QueuedMessages::kBlockBytes)
			message = Message();
		if (last)
		{
			processedUpTo = last;
			_tracker->processed(last);
		}
		_sink->commitSpool(); // what this round appended is on disk before it counts as spooled
		// A flush covers the messages queued before it: once they are all in batches, the open
		// batch goes out without waiting for batch.size or batch.interval.
		std::uint64_t target = _flushTarget.load();
		if (target > _flushDispatched && target <= processedUpTo)
		{
			_sink->dispatchOpen();
			_flushDispatched = target;
		}
		if (_sink->openBatchDue(Poco::Timestamp()))
			_sink->dispatchOpen();
		_queue->wakeAfter(_sink->openBatchRoom());
		reportQueueFull();
		if (stopping && _queue->size() == 0)
			break;
	}
	_sink->dispatchOpen();
	_sink->commitSpool();
	reportQueueFull();
}

Client::FlushResult ClientImpl::flush(Poco::Timespan timeout)
{
	// Events, then the side routes (logs, AI events) within what is left of the timeout.
	Poco::Timestamp deadline = Poco::Timestamp() + timeout;
	Client::FlushResult result = flushEvents(timeout);
	auto left = [&deadline]
	{
		Poco::Timestamp now;
		return now < deadline ? Poco::Timespan(deadline - now) : Poco::Timespan(0);
	};
	bool logsDone = !_logs || _logs->flush(left());
	bool aiDone = !_ai || _ai->flush(left());
	if (!logsDone || !aiDone)
		return Client::FlushResult::TimedOut;
	return result;
}

Client::FlushResult ClientImpl::flushEvents(Poco::Timespan timeout)
{
	ensureRunning();
	Poco::Timestamp deadline;
	deadline += timeout;
	if (!_queue)
		return Client::FlushResult::Delivered;
	std::uint64_t failedBefore = _counters.failed.load();
	std::uint64_t target = _queue->lastSequence();
	// Sync mode too waits on the tracker: another thread's capture may still be sending (or
	// waiting to retry) what was enqueued before this flush.
	std::uint64_t current = _flushTarget.load();
	while (current < target && !_flushTarget.compare_exchange_weak(current, target))
	{
	}
	_queue->wake();
	if (!_tracker->waitFor(target, timeout))
		return Client::FlushResult::TimedOut;
	// With a spool, "sent" means acknowledged: wait for everything released to the senders so
	// far (this flush's events, and what an earlier process left) to be acknowledged.
	if (_spool)
	{
		Poco::Timestamp now;
		if (!_spool->waitResolved(_spool->releasedEnd(),
		                          now < deadline ? Poco::Timespan(deadline - now) : Poco::Timespan(0)))
			return Client::FlushResult::TimedOut;
	}
	return _counters.failed.load() > failedBefore ? Client::FlushResult::Failed
	                                              : Client::FlushResult::Delivered;
}

bool ClientImpl::shutdown(Poco::Timespan timeout)
{
	if (shutdownUnusedChild())
		return true;
	Poco::FastMutex::ScopedLock lock(_shutdownMutex);
	if (_shutDown)
		return _shutdownClean;
	_shutDown = true;
	_accepting = false;
	std::uint64_t failedBefore = _counters.failed.load();
	const Poco::Timestamp deadline = Poco::Timestamp() + timeout;
	Client::FlushResult result = flush(timeout);
	_queue->close();
	if (result == Client::FlushResult::TimedOut)
	{
		_sink->abort();
		if (_spool)
			_spool->abort();
	}
	if (_flags)
		_flags->stop();
	_stopWorker = true;
	_queue->wake();
	// Always join a started worker: isRunning() turns false before the thread has finished
	// signalling its end, and destroying it then raced with that signal (ThreadSanitizer).
	if (!_options.syncMode)
		_worker->join();
	// Anything that arrived after the flush target and was never taken is reported lost.
	QueuedMessages left;
	_queue->take(left, 0);
	if (!left.empty())
	{
		_counters.addFailed("queued_at_shutdown", left.size());
		_reporter->report(ClientError::Shutdown,
		                  std::to_string(left.size()) +
		                      " events were lost: still queued when the client shut down",
		                  0, left.size());
	}
	_sink->stop();
	_sink->abort();
	_tracker->abandon();
	if (_spool)
	{
		std::uint64_t left = _spool->pending();
		_spool->close();
		if (left)
			_reporter->report(ClientError::Warning,
			                  std::to_string(left) +
			                      " events were not acknowledged before shutdown and stay in the spool at " +
			                      _spool->path() + "; the next client that opens it sends them",
			                  0, 0);
	}
	const Poco::Timestamp now;
	const Poco::Timespan remaining = now < deadline ? Poco::Timespan(deadline - now) : Poco::Timespan(0);
	bool routesClean = _logs->shutdown(remaining) & _ai->shutdown(remaining);
	_shutdownClean =
	    result == Client::FlushResult::Delivered && _counters.failed.load() == failedBefore && routesClean;
	_logger.information("PostHog client stopped");
	return _shutdownClean;
}

ClientStatistics ClientImpl::statistics() const
{
	const_cast<ClientImpl*>(this)->ensureRunning();
	ClientStatistics s;
	if (_spool)
	{
		s.spooled = _spool->spooled();
		s.replayed = _spool->replayed();
		s.spoolPending = _spool->pending();
		s.spoolBytes = _spool->bytes();
		s.persisted = _spool->persisted();
	}
	s.inFlight = _counters.inFlight.load();
	s.enqueued = _queue ? _queue->lastSequence() : 0;
	s.rejected = _counters.rejected.load();
	s.delivered = _counters.delivered.load();
	s.failed = _counters.failed.load();
	s.retried = _counters.retried.load();
	s.requests = _counters.requests.load();
	s.queued = _queue ? _queue->size() : 0;
	{
		Poco::FastMutex::ScopedLock lock(_counters.mutex);
		s.droppedByReason = _counters.dropped;
		s.failedByReason = _counters.failedByReason;
	}
	std::uint64_t queueFull = _counters.queueFull.load();
	if (queueFull)
		s.droppedByReason["queue_full"] = queueFull;
	for (const auto& kv : s.droppedByReason)
		s.dropped += kv.second;
	s.stages = _pipeline->statistics();
	if (_logs)
		s.logs = _logs->statistics();
	if (_ai)
		s.ai = _ai->statistics();
	if (_flags)
		_flags->addStatistics(s);
	return s;
}

} // namespace PostHog
