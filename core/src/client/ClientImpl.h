//
// ClientImpl.h
//
// The machinery behind Client: queue, worker thread, pipeline, sink.
//

#ifndef PostHog_ClientImpl_INCLUDED
#define PostHog_ClientImpl_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "PostHog/Client.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/Pipeline.h"
#include "ai/AiRoute.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/BatchingSink.h"
#include "delivery/DeliveryTracker.h"
#include "delivery/MessageQueue.h"
#include "delivery/QueuedMessages.h"
#include "delivery/Spool.h"
#include "flags/FlagsEngine.h"
#include "logs/LogService.h"
#include <atomic>
#include <memory>

namespace PostHog
{

class ClientImpl : public Poco::Runnable
/// What a Client is made of, behind its pimpl: the options, the pipeline, the message queue,
/// the worker thread that runs messages through the pipeline into the batching sink (and the
/// spool), the counters and the error reporter. Client checks and builds each message;
/// ClientImpl queues it, delivers it, and answers flush(), shutdown() and statistics(). Its
/// fork handling (ClientImplFork.cpp) keeps a forked child usable.
{
public:
	explicit ClientImpl(ClientOptions options);
	~ClientImpl() override;

	bool enqueue(Message&& message);
	bool enqueue(const QueuedMessages::Parts& parts);
	/// enqueue() for a message given as its parts (capture() with no options); in sync mode or
	/// after shutdown it builds the Message and takes the path above.
	/// Stamps nothing (the Client did), queues or, in sync mode, processes and sends now.
	void reject(const std::string& reason);
	/// Counts and reports a call refused for bad input.

	Client::FlushResult flush(Poco::Timespan timeout);
	bool shutdown(Poco::Timespan timeout);
	ClientStatistics statistics() const;

	bool accepting() const noexcept { return _accepting.load(std::memory_order_relaxed); }
	bool optedOut() const noexcept { return _optedOut.load(std::memory_order_relaxed); }
	void setOptedOut(bool optedOut) noexcept { _optedOut.store(optedOut, std::memory_order_relaxed); }
	const ClientOptions& options() const noexcept { return _options; }
	const Pipeline& pipeline() const noexcept { return *_pipeline; }
	MiddlewareContext& context() { return *_context; }
	const Reporter& reporter() const { return *_reporter; }

	void run() override;
	/// The worker thread.

	const Spool* spool() const noexcept { return _spool.get(); }
	LogService* logs() noexcept { return _logs.get(); }
	/// The logs pipeline; null for a disabled client.
	AiRoute* ai() noexcept { return _ai.get(); }
	/// The AI events route; null for a disabled client.

	FlagsEngine* flags() noexcept { return _flags.get(); }
	/// Null when the client is disabled.
	void attachFlags(Message& message, const EventOptions& options);
	/// capture(): $feature/<key> and $active_feature_flags from options.flags or, with
	/// options.sendFeatureFlags, from local evaluation (or marked for the worker).

private:
	// fork(): pthread_atfork handlers over every live client. The parent waits for the worker
	// to finish the message it is running through the pipeline; the child drops what it
	// inherited (queue, open batch, in-flight requests, the parent's spool descriptors, never
	// its lock) and starts a fresh queue and worker on first use, without a spool.
	static void forkPrepare();
	static void forkParent();
	static void forkChild();
	static void registerForFork(ClientImpl* client);
	static void unregisterForFork(ClientImpl* client);
	void restartAfterFork();
	bool shutdownUnusedChild();
	/// shutdown() in a forked child that never used the client: nothing of its own to flush.
	/// Returns false when the client is not in that state.

	void startDelivery(bool withSpool);
	/// Creates the tracker, queue, sink (and the spool when withSpool) and starts the sink and
	/// the worker: at construction, and in a forked child on first use.
	void ensureRunning()
	{
		if (_forked.load(std::memory_order_acquire))
			restartAfterFork();
	}

	Client::FlushResult flushEvents(Poco::Timespan timeout);
	void process(Message& message);
	void minimizeFlagCalled(Message& message);
	/// A $feature_flag_called marked minimal loses what the stages added beyond the allowlist.
	void reportQueueFull();
	bool queued(MessageQueue::PushResult result);
	/// Counts a push that did not queue; true when it did.
	void startFlags();

	ClientOptions _options;
	Poco::Logger& _logger;
	std::unique_ptr<Reporter> _reporter;
	std::unique_ptr<MiddlewareContext> _context;
	ClientCounters _counters;
	std::unique_ptr<DeliveryTracker> _tracker;
	std::unique_ptr<Pipeline> _pipeline;
	std::unique_ptr<MessageQueue> _queue;
	std::unique_ptr<Spool> _spool; // before _sink, which points to it
	std::unique_ptr<BatchingSink> _sink;
	std::unique_ptr<Poco::Thread> _worker;
	std::unique_ptr<LogService> _logs; // own queues and threads, started on first use
	std::unique_ptr<AiRoute> _ai;
	std::shared_ptr<FlagsEngine> _flags;
	Poco::FastMutex _pipelineMutex; // held by the worker around the pipeline (fork waits on it)
	std::atomic<bool> _forked{false};
	Poco::FastMutex _restartMutex;

	std::atomic<bool> _accepting{true};
	std::atomic<bool> _optedOut{false};
	std::atomic<bool> _stopWorker{false};
	std::atomic<std::uint64_t> _flushTarget{0};
	std::uint64_t _flushDispatched = 0; // worker only
	Poco::FastMutex _syncMutex;         // serialises the pipeline in sync mode
	Poco::FastMutex _shutdownMutex;
	bool _shutDown = false;
	bool _shutdownClean = true;
};

} // namespace PostHog

#endif // PostHog_ClientImpl_INCLUDED
