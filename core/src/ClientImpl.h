//
// ClientImpl.h
//
// The machinery behind Client: queue, worker thread, pipeline, sink.
//

#ifndef PostHog_ClientImpl_INCLUDED
#define PostHog_ClientImpl_INCLUDED

#include "BatchingSink.h"
#include "ClientCounters.h"
#include "DeliveryTracker.h"
#include "MessageQueue.h"
#include "Reporter.h"
#include "PostHog/Client.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/Pipeline.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include <atomic>
#include <memory>

namespace PostHog
{

class ClientImpl : public Poco::Runnable
{
public:
	explicit ClientImpl(ClientOptions options);
	~ClientImpl() override;

	bool enqueue(Message&& message);
	/// Stamps nothing (the Client did), queues or, in sync mode, processes and sends now.
	void reject(const std::string& reason);
	/// Counts and reports a call refused for bad input.

	Client::FlushResult flush(Poco::Timespan timeout);
	bool shutdown(Poco::Timespan timeout);
	ClientStatistics statistics() const;

	bool accepting() const noexcept { return _accepting.load(std::memory_order_relaxed); }
	const ClientOptions& options() const noexcept { return _options; }
	Pipeline& pipeline() { return *_pipeline; }
	MiddlewareContext& context() { return *_context; }
	const Reporter& reporter() const { return *_reporter; }

	void run() override;
	/// The worker thread.

private:
	void process(Message& message);
	void reportQueueFull();

	ClientOptions _options;
	Poco::Logger& _logger;
	std::unique_ptr<Reporter> _reporter;
	std::unique_ptr<MiddlewareContext> _context;
	ClientCounters _counters;
	DeliveryTracker _tracker;
	std::unique_ptr<Pipeline> _pipeline;
	std::unique_ptr<MessageQueue> _queue;
	std::unique_ptr<BatchingSink> _sink;
	Poco::Thread _worker;

	std::atomic<bool> _accepting{true};
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
