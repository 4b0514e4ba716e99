//
// DefinitionsPoller.cpp
//

#include "flags/DefinitionsPoller.h"
#include "Poco/URI.h"
#include "client/Reporter.h"

namespace PostHog
{

DefinitionsPoller::DefinitionsPoller(const FlagsHttp& http, Settings settings,
                                     std::shared_ptr<FlagDefinitionsCache> cache, Publish publish,
                                     Poco::Logger& logger)
    : _http(http), _settings(std::move(settings)), _cache(std::move(cache)), _publish(std::move(publish)),
      _logger(logger), _thread("PostHog flags"), _wake(Poco::Event::EVENT_AUTORESET)
{
}

DefinitionsPoller::~DefinitionsPoller()
{
	stop();
}

void DefinitionsPoller::start()
{
	if (_started)
		return;
	_started = true;
	_stop = false;
	_thread.start(*this);
}

void DefinitionsPoller::stop()
{
	if (!_started)
		return;
	_stop = true;
	_wake.set();
	_thread.join();
	_started = false;
	if (_cache)
	{
		try
		{
			_cache->shutdown();
		}
		catch (std::exception& e)
		{
			_logger.warning(std::string("flag definitions cache: shutdown failed: ") + e.what());
		}
	}
}

void DefinitionsPoller::reloadNow()
{
	_wake.set();
}

bool DefinitionsPoller::waitLoaded(Poco::Timespan timeout)
{
	Poco::Timestamp deadline;
	deadline += timeout;
	Poco::FastMutex::ScopedLock lock(_stateMutex);
	while (!_loaded)
	{
		Poco::Timestamp now;
		if (now >= deadline)
			return false;
		long ms = static_cast<long>((deadline - now) / 1000) + 1;
		_loadedCondition.tryWait(_stateMutex, ms);
	}
	return true;
}

void DefinitionsPoller::run()
{
	while (!_stop.load())
	{
		try
		{
			pollOnce();
		}
		catch (std::exception& e)
		{
			setError(std::string("flag definitions poll failed: ") + e.what());
		}
		_wake.tryWait(static_cast<long>(_settings.interval.totalMilliseconds()));
	}
}

void DefinitionsPoller::pollOnce()
{
	if (!_cache)
	{
		fetch();
		return;
	}
	loadFromCache();
	bool mine = false;
	try
	{
		mine = _cache->shouldFetch();
	}
	catch (std::exception& e)
	{
		_logger.warning(std::string("flag definitions cache: shouldFetch failed (") + e.what() +
		                "); fetching from PostHog directly");
		mine = true;
	}
	if (!mine)
		return;
	try
	{
		fetch();
	}
	catch (...)
	{
		releaseCache();
		throw;
	}
	releaseCache();
}

void DefinitionsPoller::releaseCache()
{
	try
	{
		_cache->release();
	}
	catch (std::exception& e)
	{
		_logger.warning(std::string("flag definitions cache: release failed: ") + e.what());
	}
}

void DefinitionsPoller::loadFromCache()
{
	try
	{
		std::string version = _cache->version();
		if (version.empty() || version == _cacheVersion)
			return;
		FlagDefinitionsCache::Entry entry;
		if (!_cache->load(entry))
			return;
		_cacheVersion = entry.version.empty() ? version : entry.version;
		if (entry.definitions == _body)
		{
			markLoaded(true);
			return;
		}
		accept(entry.definitions, entry.etag, true);
	}
	catch (std::exception& e)
	{
		_logger.warning(std::string("flag definitions cache: load failed: ") + e.what());
	}
}

void DefinitionsPoller::fetch()
{
	std::map<std::string, std::string> headers{{"Authorization", "Bearer " + _settings.personalKey}};
	if (!_etag.empty())
		headers["If-None-Match"] = _etag;
	std::string query;
	Poco::URI::encode(_settings.projectKey, "&=+?#/", query);
	FlagsHttp::Response r =
	    _http.get("/flags/definitions?token=" + query + "&send_cohorts", headers, _settings.timeout);
	// Counted once the request is answered (or failed), so a count of one means a request was made.
	_polls.fetch_add(1, std::memory_order_relaxed);
	if (r.status == 304)
	{
		_notModified.fetch_add(1, std::memory_order_relaxed);
		if (_cache && !_body.empty())
			_cache->store({_body, _etag, std::string()});
		markLoaded(!_body.empty());
		return;
	}
	if (r.status == 200)
	{
		accept(r.body, r.etag, false);
		return;
	}
	if (r.status == 401 || r.status == 402)
	{
		_etag.clear();
		_body.clear();
		_publish(nullptr);
		{
			Poco::FastMutex::ScopedLock lock(_stateMutex);
			_loaded = false;
		}
		if (_cache)
			_cache->clear();
		setError(r.status == 401
		             ? "flag definitions: PostHog refused the personal API key (401); local evaluation "
		               "is off until it is accepted"
		             : "flag definitions: the feature flags quota is exceeded (402); local evaluation is "
		               "off until it is restored");
		return;
	}
	setError(r.status == 0 ? "flag definitions could not be fetched: " + r.error
	                       : "flag definitions could not be fetched: HTTP " + std::to_string(r.status) +
	                             "; keeping the definitions held");
}

void DefinitionsPoller::accept(const std::string& body, const std::string& etag, bool fromCache)
{
	std::shared_ptr<const DefinitionsSnapshot> snapshot;
	try
	{
		snapshot = DefinitionsSnapshot::parse(body);
	}
	catch (Poco::Exception& e)
	{
		setError(std::string(fromCache ? "flag definitions in the shared cache"
		                               : "flag definitions from PostHog") +
		         " were refused (" + e.message() + "); keeping the definitions held");
		return;
	}
	_body = body;
	_etag = etag;
	_publish(snapshot);
	if (_cache && !fromCache)
	{
		try
		{
			_cache->store({body, etag, std::string()});
			_cacheVersion = _cache->version();
		}
		catch (std::exception& e)
		{
			_logger.warning(std::string("flag definitions cache: store failed: ") + e.what());
		}
	}
	{
		Poco::FastMutex::ScopedLock lock(_stateMutex);
		_lastError.clear();
	}
	markLoaded(true);
	_logger.debug("flag definitions loaded: " + std::to_string(snapshot->size()) + " flags" +
	              (fromCache ? " (shared cache)" : ""));
}

void DefinitionsPoller::setError(const std::string& error)
{
	std::string masked =
	    Reporter::maskIn(Reporter::maskIn(error, _settings.personalKey), _settings.projectKey);
	{
		Poco::FastMutex::ScopedLock lock(_stateMutex);
		_lastError = masked;
		_attempted = true;
	}
	_logger.warning(masked);
}

void DefinitionsPoller::markLoaded(bool loaded)
{
	Poco::FastMutex::ScopedLock lock(_stateMutex);
	_attempted = true;
	if (loaded)
	{
		_loaded = true;
		_lastSuccess.update();
		_lastError.clear();
		_loadedCondition.broadcast();
	}
}

std::string DefinitionsPoller::lastError() const
{
	Poco::FastMutex::ScopedLock lock(_stateMutex);
	return _lastError;
}

Poco::Timestamp DefinitionsPoller::lastSuccess() const
{
	Poco::FastMutex::ScopedLock lock(_stateMutex);
	return _lastSuccess;
}

} // namespace PostHog
