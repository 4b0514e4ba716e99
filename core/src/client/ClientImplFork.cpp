//
// ClientImplFork.cpp
//
// ClientImpl across fork(): the pthread_atfork handlers over every live client, and the
// restart of a forked child's delivery on first use.
//

#include "Poco/Logger.h"
#include "client/ClientImpl.h"
#include <mutex>
#include <pthread.h>
#include <set>
#include <unistd.h>

namespace PostHog
{

namespace
{

// Every live client, for the fork handlers.
std::mutex& registryMutex()
{
	static std::mutex m;
	return m;
}

std::set<ClientImpl*>& registry()
{
	static std::set<ClientImpl*> r;
	return r;
}

std::once_flag atforkOnce;

} // namespace

void ClientImpl::registerForFork(ClientImpl* client)
{
	std::call_once(
	    atforkOnce,
	    [] { pthread_atfork(&ClientImpl::forkPrepare, &ClientImpl::forkParent, &ClientImpl::forkChild); });
	std::lock_guard<std::mutex> lock(registryMutex());
	registry().insert(client);
}

void ClientImpl::unregisterForFork(ClientImpl* client)
{
	std::lock_guard<std::mutex> lock(registryMutex());
	registry().erase(client);
}

void ClientImpl::forkPrepare()
{
	registryMutex().lock();
	for (ClientImpl* c : registry())
	{
		// Lock order: pipeline (or sync) -> spool -> counters, as the worker takes them.
		c->_pipelineMutex.lock();
		c->_syncMutex.lock();
		if (c->_spool)
			c->_spool->forkLock();
		c->_counters.mutex.lock();
		if (c->_flags)
			c->_flags->forkPrepare();
	}
}

void ClientImpl::forkParent()
{
	for (ClientImpl* c : registry())
	{
		if (c->_flags)
			c->_flags->forkParent();
		c->_counters.mutex.unlock();
		if (c->_spool)
			c->_spool->forkUnlock();
		c->_syncMutex.unlock();
		c->_pipelineMutex.unlock();
	}
	registryMutex().unlock();
}

void ClientImpl::forkChild()
{
	// Only the forking thread exists here. What the parent's threads were doing is abandoned:
	// those objects are leaked on purpose (their mutexes may be held by threads that are gone).
	for (ClientImpl* c : registry())
	{
		if (c->_flags)
			c->_flags->forkChild();
		if (c->_spool)
		{
			c->_spool->detachAfterFork(); // closes our copies; the parent keeps its lock
			c->_spool.release();
		}
		c->_counters.resetLocked();
		c->_counters.mutex.unlock();
		c->_syncMutex.unlock();
		c->_pipelineMutex.unlock();
		if (c->_queue)
			c->_forked.store(true, std::memory_order_release);
	}
	registryMutex().unlock();
}

void ClientImpl::restartAfterFork()
{
	Poco::FastMutex::ScopedLock lock(_restartMutex);
	if (!_forked.load(std::memory_order_acquire))
		return;
	// The parent's queue, sink, tracker and worker are leaked, not destroyed (see forkChild()).
	_queue.release();
	_sink.release();
	_tracker.release();
	_worker.release();
	_flushTarget = 0;
	_flushDispatched = 0;
	startDelivery(false);
	if (!_options.spoolPath.empty() && !_options.syncMode)
		_logger.warning("forked child process " + std::to_string(::getpid()) +
		                " sends without the spool at " + _options.spoolPath + ": the parent process owns it");
	_forked.store(false, std::memory_order_release);
}

bool ClientImpl::shutdownUnusedChild()
{
	if (!_forked.load(std::memory_order_acquire))
		return false;
	Poco::FastMutex::ScopedLock restart(_restartMutex);
	if (!_forked.load())
		return false;
	_accepting = false;
	_shutDown = true;
	_forked = false;
	_queue.release();
	_sink.release();
	_tracker.release();
	_worker.release();
	return true;
}

} // namespace PostHog
