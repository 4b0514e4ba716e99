//
// DefinitionsPoller.h
//
// The thread that keeps the flag definitions fresh.
//

#ifndef PostHog_DefinitionsPoller_INCLUDED
#define PostHog_DefinitionsPoller_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Event.h"
#include "Poco/Logger.h"
#include "Poco/Mutex.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "PostHog/FlagDefinitionsCache.h"
#include "flags/DefinitionsSnapshot.h"
#include "flags/FlagsHttp.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace PostHog
{

class DefinitionsPoller : public Poco::Runnable
/// Fetches GET {host}/flags/definitions?token=<project key>&send_cohorts with the personal key
/// as a Bearer token every poll interval (at once after start() and reloadNow()), with
/// If-None-Match when it holds an ETag. 200: the body is parsed and, when it parses, published
/// (a malformed body keeps the last good definitions); 304 keeps them; 401 and 402 clear them;
/// any other answer or a network error keeps them. With a shared cache, the cached copy is
/// loaded whenever it changes and only the client the cache chooses fetches from PostHog.
/// Nothing here ever blocks a caller: callers only read what publish() last received.
{
public:
	using Publish = std::function<void(std::shared_ptr<const DefinitionsSnapshot>)>;

	struct Settings
	{
		std::string projectKey;
		std::string personalKey;
		Poco::Timespan interval;
		Poco::Timespan timeout = Poco::Timespan(10, 0);
	};

	DefinitionsPoller(const FlagsHttp& http, Settings settings, std::shared_ptr<FlagDefinitionsCache> cache,
	                  Publish publish, Poco::Logger& logger);
	~DefinitionsPoller() override;

	void start();
	void stop();
	/// Joins the thread. Idempotent.
	void reloadNow();
	/// Wakes the thread for a poll now.
	bool waitLoaded(Poco::Timespan timeout);
	/// True once a poll (or cache load) has finished with definitions held.

	void pollOnce();
	/// One round: the cache when it changed, then PostHog when this client should fetch.

	std::uint64_t polls() const noexcept { return _polls.load(); }
	std::uint64_t notModified() const noexcept { return _notModified.load(); }
	std::string lastError() const;
	Poco::Timestamp lastSuccess() const;
	/// When definitions were last fetched, confirmed (304) or loaded from the cache; 0 if never.

	Poco::FastMutex& stateMutex() noexcept { return _stateMutex; }
	/// Held by the fork handlers across fork().

	void run() override;

private:
	void loadFromCache();
	void releaseCache();
	void fetch();
	void accept(const std::string& body, const std::string& etag, bool fromCache);
	void setError(const std::string& error);
	void markLoaded(bool loaded);

	const FlagsHttp& _http;
	Settings _settings;
	std::shared_ptr<FlagDefinitionsCache> _cache;
	Publish _publish;
	Poco::Logger& _logger;
	Poco::Thread _thread;
	Poco::Event _wake;
	std::atomic<bool> _stop{false};
	bool _started = false;

	// Poller thread only.
	std::string _etag;
	std::string _body;
	std::string _cacheVersion;

	std::atomic<std::uint64_t> _polls{0};
	std::atomic<std::uint64_t> _notModified{0};
	mutable Poco::FastMutex _stateMutex;
	Poco::Condition _loadedCondition;
	bool _loaded = false;
	bool _attempted = false;
	std::string _lastError;
	Poco::Timestamp _lastSuccess{0};
};

} // namespace PostHog

#endif // PostHog_DefinitionsPoller_INCLUDED
