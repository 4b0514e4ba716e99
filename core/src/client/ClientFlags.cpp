//
// ClientFlags.cpp
//
// The feature flag methods of Client and their glue in ClientImpl.
//

#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "PostHog/RequestContext.h"
#include "client/ClientImpl.h"
#include "flags/EvaluationsData.h"

namespace PostHog
{

void ClientImpl::startFlags()
{
	try
	{
		_flags = std::make_shared<FlagsEngine>(_options, _logger,
		                                       [this](Message&& m) { return enqueue(std::move(m)); });
		_flags->start();
	}
	catch (ConfigurationException& e)
	{
		throw ConfigurationException(Reporter::maskIn(_reporter->mask(e.message()), _options.personalApiKey));
	}
}

void ClientImpl::attachFlags(Message& message, const EventOptions& options)
{
	if (options.flags)
		FlagsEngine::attachSnapshot(message, *options.flags);
	else if (options.sendFeatureFlags && _flags && !_flags->attachLocal(message) && _options.syncMode)
		_flags->attachPending(message); // sync mode sends on the caller's thread anyway
}

namespace
{

bool flagsOff(ClientImpl& impl)
{
	return !impl.flags() || impl.optedOut();
}

// An empty distinct id is the request context's, inside a RequestScope that has one; without
// any, the flag calls return their empty answer (never a made-up id).
const std::string& whoFor(const std::string& distinctId)
{
	if (distinctId.empty())
		if (const RequestContext* context = RequestContext::current())
			return context->distinctId();
	return distinctId;
}

} // namespace

FlagValue Client::getFeatureFlag(const std::string& key, const std::string& distinctId,
                                 const FlagOptions& options)
{
	if (flagsOff(*_impl))
		return FlagValue();
	return _impl->flags()->result(key, whoFor(distinctId), options, true).value;
}

bool Client::isFeatureEnabled(const std::string& key, const std::string& distinctId,
                              const FlagOptions& options, bool defaultValue)
{
	FlagValue value = getFeatureFlag(key, distinctId, options);
	return value.hasValue() ? value.isEnabled() : defaultValue;
}

FlagPayload Client::getFeatureFlagPayload(const std::string& key, const std::string& distinctId,
                                          const FlagOptions& options)
{
	if (flagsOff(*_impl))
		return FlagPayload();
	return _impl->flags()->result(key, whoFor(distinctId), options, false).payload;
}

FeatureFlagResult Client::getFeatureFlagResult(const std::string& key, const std::string& distinctId,
                                               const FlagOptions& options)
{
	if (flagsOff(*_impl))
	{
		FeatureFlagResult none;
		none.key = key;
		none.error = "flag_missing";
		return none;
	}
	return _impl->flags()->result(key, whoFor(distinctId), options, true);
}

std::map<std::string, FlagValue> Client::getAllFlags(const std::string& distinctId,
                                                     const FlagOptions& options)
{
	std::map<std::string, FlagValue> flags;
	if (flagsOff(*_impl))
		return flags;
	auto data = _impl->flags()->evaluate(whoFor(distinctId), options);
	data->forEach(
	    [&flags](const FeatureFlagResult& r)
	    {
		    if (r.value.hasValue())
			    flags[r.key] = r.value;
	    });
	return flags;
}

Client::FlagsAndPayloads Client::getAllFlagsAndPayloads(const std::string& distinctId,
                                                        const FlagOptions& options)
{
	FlagsAndPayloads out;
	if (flagsOff(*_impl))
		return out;
	auto data = _impl->flags()->evaluate(whoFor(distinctId), options);
	data->forEach(
	    [&out](const FeatureFlagResult& r)
	    {
		    if (!r.value.hasValue())
			    return;
		    out.flags[r.key] = r.value;
		    if (r.enabled && r.payload.hasValue())
			    out.payloads[r.key] = r.payload;
	    });
	return out;
}

FeatureFlagEvaluations Client::evaluateFlags(const std::string& distinctId, const FlagOptions& options)
{
	if (flagsOff(*_impl))
		return FeatureFlagEvaluations();
	return FeatureFlagEvaluations(_impl->flags()->evaluate(whoFor(distinctId), options));
}

void Client::reloadFeatureFlags()
{
	if (_impl->flags())
		_impl->flags()->reload();
}

bool Client::waitForLocalEvaluationReady(Poco::Timespan timeout)
{
	return _impl->flags() && _impl->flags()->waitReady(timeout);
}

void Client::setPersonPropertiesForFlags(const Properties& properties, bool reset)
{
	if (_impl->flags())
		_impl->flags()->setPersonProperties(properties, reset);
}

void Client::resetPersonPropertiesForFlags()
{
	setPersonPropertiesForFlags(Properties(), true);
}

void Client::setGroupPropertiesForFlags(const std::map<std::string, Properties>& properties, bool reset)
{
	if (_impl->flags())
		_impl->flags()->setGroupProperties(properties, reset);
}

void Client::resetGroupPropertiesForFlags()
{
	setGroupPropertiesForFlags({}, true);
}

} // namespace PostHog
