//
// RemoteEvaluator.cpp
//

#include "flags/RemoteEvaluator.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/JSON/Stringifier.h"
#include "Poco/Thread.h"
#include "PostHog/Array.h"
#include "PostHog/FeatureFlagResult.h"
#include <sstream>

namespace PostHog
{

namespace
{

long getLong(const Poco::JSON::Object::Ptr& o, const std::string& key)
{
	if (!o || !o->has(key) || o->isNull(key))
		return 0;
	try
	{
		return static_cast<long>(o->getValue<Poco::Int64>(key));
	}
	catch (Poco::Exception&)
	{
		return 0;
	}
}

// Payloads are JSON-encoded strings; a payload sent as plain JSON is taken as it is.
std::string decodePayload(const Poco::Dynamic::Var& raw)
{
	if (raw.isEmpty())
		return std::string();
	if (raw.isString())
		return FlagPayload::fromJSON(raw.extract<std::string>()).toJSON();
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(raw, out);
	return FlagPayload::fromJSON(out.str()).toJSON();
}

RemoteEvaluator::Flag parseV2Flag(const Poco::JSON::Object::Ptr& f)
{
	RemoteEvaluator::Flag flag;
	Poco::Dynamic::Var variant = f->get("variant");
	if (!variant.isEmpty() && variant.isString() && !variant.extract<std::string>().empty())
		flag.value = FlagValue(variant.extract<std::string>());
	else
		flag.value = FlagValue(f->optValue<bool>("enabled", false));
	if (Poco::JSON::Object::Ptr reason = f->getObject("reason"))
		flag.reason = reason->optValue<std::string>("code", "");
	if (Poco::JSON::Object::Ptr meta = f->getObject("metadata"))
	{
		flag.id = getLong(meta, "id");
		flag.version = getLong(meta, "version");
		Poco::Dynamic::Var hasExperiment = meta->get("has_experiment");
		if (!hasExperiment.isEmpty() && hasExperiment.isBoolean())
			flag.hasExperiment = hasExperiment.extract<bool>() ? 1 : 0;
		if (meta->has("payload") && !meta->isNull("payload"))
			flag.payload = decodePayload(meta->get("payload"));
	}
	return flag;
}

} // namespace

RemoteEvaluator::RemoteEvaluator(const FlagsHttp& http, std::string projectKey, Poco::Timespan timeout,
                                 int retries)
    : _http(http), _projectKey(std::move(projectKey)), _timeout(timeout), _retries(retries)
{
}

std::string RemoteEvaluator::body(const Request& request, const std::string& projectKey)
{
	Properties groups;
	for (const auto& g : request.groups)
		groups.set(g.first, g.second);
	Properties groupProperties;
	for (const auto& g : request.groupProperties)
		groupProperties.set(g.first, g.second);
	Properties body{{"api_key", projectKey}, {"distinct_id", request.distinctId}};
	if (!request.deviceId.empty())
		body.set("device_id", request.deviceId);
	body.set("groups", groups);
	body.set("person_properties", request.personProperties);
	body.set("group_properties", groupProperties);
	body.set("geoip_disable", request.disableGeoip);
	if (!request.flagKeys.empty())
	{
		Array keys;
		for (const auto& k : request.flagKeys)
			keys.add(k);
		body.set("flag_keys_to_evaluate", keys);
	}
	return body.toJSON();
}

RemoteEvaluator::Response RemoteEvaluator::parse(const std::string& text)
{
	Response response;
	try
	{
		Poco::JSON::Object::Ptr root = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
		if (Poco::JSON::Array::Ptr quota = root->getArray("quotaLimited"))
			for (std::size_t i = 0; i < quota->size(); ++i)
				if (quota->getElement<std::string>(static_cast<unsigned>(i)) == "feature_flags")
				{
					response.error = "quota_limited";
					return response;
				}
		response.requestId = root->optValue<std::string>("requestId", "");
		Poco::Dynamic::Var gate = root->get("minimalFlagCalledEvents");
		response.minimalFlagCalledEvents = !gate.isEmpty() && gate.isBoolean() && gate.extract<bool>();
		if (Poco::JSON::Object::Ptr flags = root->getObject("flags"))
		{
			for (const auto& key : flags->getNames())
			{
				Poco::JSON::Object::Ptr f = flags->getObject(key);
				if (f && !f->optValue<bool>("failed", false))
					response.flags[key] = parseV2Flag(f);
			}
		}
		else if (Poco::JSON::Object::Ptr legacy = root->getObject("featureFlags"))
		{
			Poco::JSON::Object::Ptr payloads = root->getObject("featureFlagPayloads");
			for (const auto& key : legacy->getNames())
			{
				Flag flag;
				Poco::Dynamic::Var v = legacy->get(key);
				flag.value =
				    v.isString() ? FlagValue(v.extract<std::string>()) : FlagValue(v.convert<bool>());
				if (payloads && payloads->has(key) && !payloads->isNull(key))
					flag.payload = decodePayload(payloads->get(key));
				response.flags[key] = flag;
			}
		}
		else
		{
			response.error = "unknown_error";
			return response;
		}
		if (root->optValue<bool>("errorsWhileComputingFlags", false))
			response.error = "errors_while_computing_flags";
	}
	catch (Poco::Exception&)
	{
		response.flags.clear();
		response.error = "unknown_error";
	}
	return response;
}

RemoteEvaluator::Response RemoteEvaluator::evaluate(const Request& request) const
{
	const std::string json = body(request, _projectKey);
	long delayMs = 300;
	for (int attempt = 0;; ++attempt)
	{
		_requests.fetch_add(1, std::memory_order_relaxed);
		FlagsHttp::Response r = _http.post("/flags/?v=2", json, _timeout);
		bool retryable = r.status == 0 || r.status == 502 || r.status == 504;
		if (retryable && attempt < _retries)
		{
			Poco::Thread::sleep(delayMs);
			delayMs *= 2;
			continue;
		}
		if (r.status >= 200 && r.status < 300)
			return parse(r.body);
		Response failed;
		failed.error = r.status == 0 ? (r.timedOut ? "timeout" : "connection_error")
		                             : "api_error_" + std::to_string(r.status);
		return failed;
	}
}

} // namespace PostHog
