//
// FlagsEngine.cpp
//

#include "flags/FlagsEngine.h"
#include "Poco/FileStream.h"
#include "Poco/StreamCopier.h"
#include "PostHog/Exceptions.h"
#include "client/Reporter.h"
#include "flags/EvaluationsData.h"
#include "flags/SharedFileCache.h"
#include <algorithm>

namespace PostHog
{

namespace
{

FeatureFlagResult fromLocal(const std::string& key, const DefinitionsSnapshot::Answer& answer)
{
	FeatureFlagResult r;
	r.key = key;
	r.value = answer.value;
	r.enabled = answer.value.isEnabled();
	r.variant = answer.value.variant();
	r.payload = r.enabled ? FlagPayload::fromValidJSON(answer.payload) : FlagPayload();
	r.reason = answer.reason;
	r.locallyEvaluated = true;
	r.flagId = answer.flagId;
	r.flagVersion = answer.version;
	return r;
}

FeatureFlagResult fromRemote(const std::string& key, const RemoteEvaluator::Flag& flag,
                             const std::string& requestId)
{
	FeatureFlagResult r;
	r.key = key;
	r.value = flag.value;
	r.enabled = flag.value.isEnabled();
	r.variant = flag.value.variant();
	r.payload = FlagPayload::fromValidJSON(flag.payload);
	r.reason = flag.reason;
	r.flagId = flag.id;
	r.flagVersion = flag.version;
	r.requestId = requestId;
	return r;
}

std::string readFile(const std::string& path)
{
	Poco::FileInputStream in(path);
	std::string text;
	Poco::StreamCopier::copyToString(in, text);
	return text;
}

} // namespace

FlagsEngine::FlagsEngine(const ClientOptions& options, Poco::Logger& logger, Enqueue enqueue)
    : _options(options), _logger(logger), _enqueue(std::move(enqueue)), _called(options.flagsCalledCacheSize)
{
	_options.configuration = nullptr;
	_options.middleware = MiddlewareRegistry();
	_localConfigured = !_options.personalApiKey.empty() || !_options.flagsDefinitionsFile.empty();
	_http.reset(new FlagsHttp(_options, _options.personalApiKey));
	if (_options.flagsDefinitionsFile.empty())
		_remote.reset(new RemoteEvaluator(*_http, _options.apiKey, _options.flagsRequestTimeout,
		                                  _options.flagsRetries));
	_defaults.publish(std::make_shared<Defaults>());
}

FlagsEngine::~FlagsEngine()
{
	stop();
}

void FlagsEngine::start()
{
	if (!_options.flagsDefinitionsFile.empty())
	{
		try
		{
			_definitions.publish(DefinitionsSnapshot::parse(readFile(_options.flagsDefinitionsFile)));
			_fileLoadedAt.update();
		}
		catch (Poco::Exception& e)
		{
			throw ConfigurationException("posthog.flags.definitionsFile = '" + _options.flagsDefinitionsFile +
			                             "' could not be loaded: " + e.message());
		}
		return;
	}
	if (_options.personalApiKey.empty())
		return;
	std::shared_ptr<FlagDefinitionsCache> cache = _options.flagsCache;
	if (!cache && !_options.flagsSharedCache.empty())
		cache = std::make_shared<SharedFileCache>(_options.flagsSharedCache, _options.flagsPollInterval);
	DefinitionsPoller::Settings settings{_options.apiKey, _options.personalApiKey,
	                                     _options.flagsPollInterval};
	_poller.reset(new DefinitionsPoller(
	    *_http, settings, cache,
	    [this](std::shared_ptr<const DefinitionsSnapshot> d) { _definitions.publish(std::move(d)); },
	    _logger));
	_poller->start();
}

void FlagsEngine::stop()
{
	if (_poller)
		_poller->stop();
}

void FlagsEngine::ensurePoller()
{
	if (!_forked.load(std::memory_order_acquire))
		return;
	Poco::FastMutex::ScopedLock lock(_restartMutex);
	if (_forked.load())
	{
		start();
		_forked.store(false, std::memory_order_release);
	}
}

std::shared_ptr<FeatureFlagEvaluations::Data> FlagsEngine::newData(const std::string& distinctId,
                                                                   const FlagOptions& options)
{
	auto data = std::make_shared<FeatureFlagEvaluations::Data>();
	data->distinctId = distinctId;
	data->groups = options.groups;
	data->sendEvents = options.sendFeatureFlagEvents;
	std::weak_ptr<FlagsEngine> weak = shared_from_this();
	data->onRead = [weak](const FeatureFlagEvaluations::Data& d, const FeatureFlagResult& r)
	{
		if (auto engine = weak.lock())
			engine->track(d, r);
	};
	return data;
}

DefinitionsSnapshot::Context FlagsEngine::context(const std::string& distinctId,
                                                  const FlagOptions& options) const
{
	DefinitionsSnapshot::Context c;
	c.distinctId = distinctId;
	c.groups = options.groups;
	const Defaults* defaults = _defaults.get();
	c.personProperties.set("distinct_id", distinctId);
	if (defaults && !defaults->person.empty())
		c.personProperties.merge(defaults->person, true);
	c.personProperties.merge(options.personProperties, true);
	for (const auto& g : options.groups)
	{
		Properties& p = c.groupProperties[g.first];
		p.set("$group_key", g.second);
		if (defaults)
		{
			auto d = defaults->groups.find(g.first);
			if (d != defaults->groups.end())
				p.merge(d->second, true);
		}
		auto o = options.groupProperties.find(g.first);
		if (o != options.groupProperties.end())
			p.merge(o->second, true);
	}
	return c;
}

void FlagsEngine::evaluateInto(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& ctx,
                               const FlagOptions& options)
{
	ensurePoller();
	const DefinitionsSnapshot* defs = _definitions.get();
	bool undecided = !defs;
	if (defs)
	{
		// One evaluation run for every flag asked for: the context's properties are decoded once
		// and a flag that others depend on is evaluated once. Every flag goes into the snapshot's
		// compact answers (views into the definitions, which it keeps alive); flags asked for by
		// key become whole results, their answers vector per thread so its strings are reused.
		const DefinitionsSnapshot::ExplainLine* explain = options.explain ? &options.explain : nullptr;
		if (options.flagKeys.empty() && data.size() == 0)
		{
			data.definitions = defs->sharedDefinitions();
			data.localCount = defs->evaluateAll(ctx, data.local, explain);
			undecided = data.localCount < defs->size();
		}
		else
		{
			thread_local std::vector<DefinitionsSnapshot::Answer> answers;
			const bool all = options.flagKeys.empty();
			if (all)
				defs->evaluateAll(ctx, answers, explain);
			else
				defs->evaluateKeys(options.flagKeys, ctx, answers, explain);
			const std::vector<std::string>& keys = all ? defs->keys() : options.flagKeys;
			for (std::size_t i = 0; i < keys.size(); ++i)
			{
				if (answers[i].outcome == DefinitionsSnapshot::Answer::Decided)
					data.add(fromLocal(keys[i], answers[i]));
				else
					undecided = true;
			}
		}
	}
	if (undecided && !options.onlyEvaluateLocally && _remote)
		fallBack(data, ctx, options, defs);
}

void FlagsEngine::fallBack(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& ctx,
                           const FlagOptions& options, const DefinitionsSnapshot* defs)
{
	// Requested keys the loaded definitions do not have; when they are all that is undecided and
	// PostHog said since the last refresh that they do not exist, there is nothing to ask.
	std::vector<std::string> absent;
	bool onlyAbsentUndecided = true;
	for (const auto& key : options.flagKeys)
	{
		if (defs && !defs->definitions().find(key))
			absent.push_back(key);
		else if (!data.contains(key))
			onlyAbsentUndecided = false;
	}
	const std::int64_t epoch = _poller ? _poller->lastSuccess().epochMicroseconds() : 0;
	if (onlyAbsentUndecided && _missing.allKnown(absent, epoch))
		return;
	evaluateRemote(data, ctx, options);
	if (!data.error.empty() || absent.empty())
		return;
	std::vector<std::string> missing;
	for (const auto& key : absent)
		if (!data.contains(key))
			missing.push_back(key);
	_missing.add(missing, epoch);
}

void FlagsEngine::evaluateRemote(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& ctx,
                                 const FlagOptions& options)
{
	RemoteEvaluator::Request request;
	request.distinctId = ctx.distinctId;
	request.deviceId = ctx.deviceId;
	request.groups = ctx.groups;
	request.personProperties = ctx.personProperties;
	request.groupProperties = ctx.groupProperties;
	request.flagKeys = options.flagKeys;
	request.disableGeoip = options.disableGeoip ? *options.disableGeoip : !_options.geoip;
	RemoteEvaluator::Response response = _remote->evaluate(request);
	data.error = response.error;
	data.remoteMinimalGate = response.minimalFlagCalledEvents;
	for (const auto& f : response.flags)
	{
		if (data.contains(f.first)) // a value decided locally is never replaced
			continue;
		if (!options.flagKeys.empty() &&
		    std::find(options.flagKeys.begin(), options.flagKeys.end(), f.first) == options.flagKeys.end())
			continue;
		data.add(fromRemote(f.first, f.second, response.requestId));
		if (f.second.hasExperiment >= 0)
			data.remoteHasExperiment[f.first] = f.second.hasExperiment;
	}
	if (!response.ok())
		_logger.warning("remote feature flag evaluation for '" + ctx.distinctId +
		                "' failed: " + response.error);
}

std::shared_ptr<FeatureFlagEvaluations::Data> FlagsEngine::evaluate(const std::string& distinctId,
                                                                    const FlagOptions& options)
{
	auto data = newData(distinctId, options);
	if (distinctId.empty())
		return data;
	evaluateInto(*data, context(distinctId, options), options);
	return data;
}

FeatureFlagResult FlagsEngine::result(const std::string& key, const std::string& distinctId,
                                      const FlagOptions& options, bool trackCall)
{
	FeatureFlagResult result;
	result.key = key;
	if (distinctId.empty())
	{
		result.error = "flag_missing";
		return result;
	}
	ensurePoller();
	DefinitionsSnapshot::Context ctx = context(distinctId, options);
	const DefinitionsSnapshot* defs = _definitions.get();
	DefinitionsSnapshot::Answer a;
	bool remoteGate = false; // what a /flags answer said about the $feature_flag_called event
	std::map<std::string, signed char> remoteHasExperiment;
	if (defs)
		a = defs->evaluate(key, ctx, options.explain ? &options.explain : nullptr);
	if (a.outcome == DefinitionsSnapshot::Answer::Decided)
		result = fromLocal(key, a);
	else
	{
		FlagOptions scoped;
		scoped.groups = options.groups;
		scoped.onlyEvaluateLocally = options.onlyEvaluateLocally;
		scoped.disableGeoip = options.disableGeoip;
		scoped.flagKeys = {key};
		if (!options.onlyEvaluateLocally && _remote)
		{
			FeatureFlagEvaluations::Data remote;
			fallBack(remote, ctx, scoped, defs);
			remote.find(key, result);
			if (!remote.error.empty())
				result.error = remote.error;
			remoteGate = remote.remoteMinimalGate;
			remoteHasExperiment.swap(remote.remoteHasExperiment);
		}
		if (!result.value.hasValue())
			result.error = result.error.empty() ? "flag_missing" : result.error;
	}
	if (trackCall && options.sendFeatureFlagEvents)
	{
		FeatureFlagEvaluations::Data who;
		who.distinctId = distinctId;
		who.groups = options.groups;
		who.remoteMinimalGate = remoteGate;
		who.remoteHasExperiment.swap(remoteHasExperiment);
		track(who, result);
	}
	return result;
}

} // namespace PostHog
