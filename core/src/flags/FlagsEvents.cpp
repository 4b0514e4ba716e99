//
// FlagsEvents.cpp
//
// FlagsEngine: $feature_flag_called, flags attached to captured events, property defaults,
// statistics and fork.
//

#include "PostHog/Array.h"
#include "encoding/UuidGenerator.h"
#include "flags/EvaluationsData.h"
#include "flags/FlagsEngine.h"
#include "flags/MinimalCalledEvent.h"

namespace PostHog
{

namespace
{

void setFlag(Properties& properties, const std::string& name, const FlagValue& value)
{
	if (!value.hasValue())
		properties.set(name, nullptr);
	else if (value.isVariant())
		properties.set(name, value.variant());
	else
		properties.set(name, value.isEnabled());
}

std::map<std::string, std::string> groupsOf(const Message& message)
{
	std::map<std::string, std::string> groups;
	Value g = message.properties().get("$groups");
	for (const auto& e : g.entries())
		if (e.value.isString())
			groups[std::string(e.key)] = std::string(e.value.getString());
	return groups;
}

void attachResult(Message& message, Array& active, const FeatureFlagResult& r)
{
	if (!r.value.hasValue())
		return;
	setFlag(message.properties(), "$feature/" + r.key, r.value);
	if (r.enabled)
		active.add(r.key);
}

void attachResults(Message& message, const std::vector<FeatureFlagResult>& results)
{
	Array active;
	for (const auto& r : results)
		attachResult(message, active, r);
	message.properties().set("$active_feature_flags", active);
}

void attachResults(Message& message, const FeatureFlagEvaluations::Data& data)
{
	Array active;
	data.forEach([&](const FeatureFlagResult& r) { attachResult(message, active, r); });
	message.properties().set("$active_feature_flags", active);
}

} // namespace

void FlagsEngine::track(const FeatureFlagEvaluations::Data& data, const FeatureFlagResult& r)
{
	if (data.distinctId.empty() ||
	    !_called.firstCall(data.distinctId, r.key, r.value.toString(), data.groups))
		return;
	Message message(Message::Type::Capture, "$feature_flag_called", data.distinctId);
	Properties& p = message.properties();
	p.set("$feature_flag", r.key);
	setFlag(p, "$feature_flag_response", r.value);
	p.set("locally_evaluated", r.locallyEvaluated);
	setFlag(p, "$feature/" + r.key, r.value);
	if (!r.reason.empty())
		p.set("$feature_flag_reason", r.reason);
	if (r.flagId)
		p.set("$feature_flag_id", r.flagId);
	if (r.flagVersion)
		p.set("$feature_flag_version", r.flagVersion);
	if (!r.requestId.empty())
		p.set("$feature_flag_request_id", r.requestId);
	if (r.payload.hasValue())
		p.set("$feature_flag_payload", r.payload.value());
	std::string error = !r.error.empty() ? r.error : data.error;
	if (!error.empty())
		p.set("$feature_flag_error", error);
	if (!data.groups.empty())
	{
		Properties groups;
		for (const auto& g : data.groups)
			groups.set(g.first, g.second);
		p.set("$groups", groups);
	}
	addExperimentSignal(data, r, message);
	message.setUuid(UuidGenerator::next(message.timestamp()));
	_enqueue(std::move(message));
}

void FlagsEngine::addExperimentSignal(const FeatureFlagEvaluations::Data& data, const FeatureFlagResult& r,
                                      Message& message)
{
	// Where the value came from tells what the server said: the definitions for a local value,
	// the /flags answer for a remote one.
	bool gate = false;
	signed char hasExperiment = -1;
	if (r.locallyEvaluated)
	{
		if (const DefinitionsSnapshot* defs = _definitions.get())
		{
			gate = defs->definitions().minimalFlagCalledEvents();
			if (const FlagDefinition* flag = defs->definitions().find(r.key))
				hasExperiment = flag->hasExperiment;
		}
	}
	else
	{
		gate = data.remoteMinimalGate;
		auto known = data.remoteHasExperiment.find(r.key);
		if (known != data.remoteHasExperiment.end())
			hasExperiment = known->second;
	}
	if (hasExperiment >= 0)
		message.properties().set("$feature_flag_has_experiment", hasExperiment == 1);
	if (MinimalCalledEvent::applies(gate, hasExperiment))
	{
		MinimalCalledEvent::mark(message);
		_anyMinimal.store(true, std::memory_order_relaxed);
	}
}

bool FlagsEngine::attachLocal(Message& message)
{
	ensurePoller();
	const DefinitionsSnapshot* defs = _definitions.get();
	if (!defs)
	{
		if (_remote)
		{
			message.properties().set(kPendingProperty, true);
			_anyPending.store(true, std::memory_order_relaxed);
		}
		return false;
	}
	FlagOptions options;
	options.groups = groupsOf(message);
	DefinitionsSnapshot::Context ctx = context(message.distinctId(), options);
	std::vector<FeatureFlagResult> results;
	results.reserve(defs->size());
	for (const auto& key : defs->keys())
	{
		DefinitionsSnapshot::Answer a = defs->evaluate(key, ctx);
		if (a.outcome == DefinitionsSnapshot::Answer::Decided)
		{
			FeatureFlagResult r;
			r.key = key;
			r.value = a.value;
			r.enabled = a.value.isEnabled();
			results.push_back(std::move(r));
		}
	}
	attachResults(message, results);
	return true;
}

void FlagsEngine::attachPending(Message& message)
{
	if (!message.properties().remove(kPendingProperty) || !_remote)
		return;
	FlagOptions options;
	options.groups = groupsOf(message);
	FeatureFlagEvaluations::Data data;
	evaluateRemote(data, context(message.distinctId(), options), options);
	attachResults(message, data);
}

void FlagsEngine::attachSnapshot(Message& message, const FeatureFlagEvaluations& flags)
{
	if (flags.data())
		attachResults(message, *flags.data());
}

void FlagsEngine::setPersonProperties(const Properties& properties, bool reset)
{
	Poco::FastMutex::ScopedLock lock(_defaultsWriteMutex);
	auto next = std::make_shared<Defaults>(*_defaults.get());
	if (reset)
		next->person.clear();
	next->person.merge(properties, true);
	_defaults.publish(next);
}

void FlagsEngine::setGroupProperties(const std::map<std::string, Properties>& properties, bool reset)
{
	Poco::FastMutex::ScopedLock lock(_defaultsWriteMutex);
	auto next = std::make_shared<Defaults>(*_defaults.get());
	if (reset)
		next->groups.clear();
	for (const auto& g : properties)
		next->groups[g.first].merge(g.second, true);
	_defaults.publish(next);
}

void FlagsEngine::reload()
{
	ensurePoller();
	if (_poller)
		_poller->reloadNow();
}

bool FlagsEngine::waitReady(Poco::Timespan timeout)
{
	ensurePoller();
	if (_definitions.get())
		return true;
	return _poller && _poller->waitLoaded(timeout) && _definitions.get();
}

void FlagsEngine::addStatistics(ClientStatistics& s) const
{
	const DefinitionsSnapshot* defs = _definitions.get();
	s.flagDefinitions = defs ? defs->size() : 0;
	s.flagRemoteRequests = _remote ? _remote->requests() : 0;
	Poco::Timestamp since = _fileLoadedAt;
	if (_poller)
	{
		s.flagPolls = _poller->polls();
		s.flagPollsNotModified = _poller->notModified();
		s.flagLastPollError = _poller->lastError();
		since = _poller->lastSuccess();
	}
	s.flagDefinitionsAgeMs =
	    defs && since.epochMicroseconds() ? static_cast<std::int64_t>(since.elapsed() / 1000) : -1;
}

void FlagsEngine::forkPrepare()
{
	_restartMutex.lock();
	_defaultsWriteMutex.lock();
	_defaults.mutex().lock();
	_definitions.mutex().lock();
	_called.mutex().lock();
	_missing.mutex().lock();
	if (_poller)
		_poller->stateMutex().lock();
}

void FlagsEngine::forkParent()
{
	if (_poller)
		_poller->stateMutex().unlock();
	_missing.mutex().unlock();
	_called.mutex().unlock();
	_definitions.mutex().unlock();
	_defaults.mutex().unlock();
	_defaultsWriteMutex.unlock();
	_restartMutex.unlock();
}

void FlagsEngine::forkChild()
{
	forkParent();
	// The poller's thread did not survive fork(): its object is abandoned (never joined), and a
	// new poller starts on the child's next flag call.
	if (_poller)
	{
		_poller.release();
		_forked.store(true, std::memory_order_release);
	}
}

} // namespace PostHog
