//
// EvaluationsData.cpp
//

#include "flags/EvaluationsData.h"
#include <algorithm>

namespace PostHog
{

namespace
{

struct ByKey
/// Orders positions in a results vector by their key; a key compares with a position too.
{
	const std::vector<FeatureFlagResult>& results;

	bool operator()(std::size_t a, std::size_t b) const { return results[a].key < results[b].key; }
	bool operator()(std::size_t a, const std::string& key) const { return results[a].key < key; }
};

} // namespace

int FeatureFlagEvaluations::Data::localIndex(const std::string& key) const
{
	if (localCount == 0 || !definitions)
		return -1;
	const int i = definitions->indexOf(key);
	return i >= 0 && static_cast<std::size_t>(i) < local.size() &&
	               local[static_cast<std::size_t>(i)].decided()
	           ? i
	           : -1;
}

const FeatureFlagResult* FeatureFlagEvaluations::Data::findResult(const std::string& key) const
{
	auto it = std::lower_bound(index.begin(), index.end(), key, ByKey{results});
	return it != index.end() && results[*it].key == key ? &results[*it] : nullptr;
}

FeatureFlagResult FeatureFlagEvaluations::Data::localResult(std::size_t i) const
{
	const FlagDefinition& flag = definitions->flags()[i];
	const LocalAnswer& answer = local[i];
	FeatureFlagResult r;
	r.key = flag.key;
	r.value = answer.value;
	r.enabled = answer.value.isEnabled();
	r.variant = answer.value.variant();
	if (answer.payload)
		r.payload = FlagPayload::fromValidJSON(*answer.payload);
	r.reason = answer.reason ? answer.reason : "";
	r.locallyEvaluated = true;
	r.flagId = flag.id;
	r.flagVersion = flag.version;
	return r;
}

void FeatureFlagEvaluations::Data::add(FeatureFlagResult result)
{
	const int held = localIndex(result.key);
	if (held >= 0)
	{
		local[static_cast<std::size_t>(held)] = LocalAnswer();
		--localCount;
	}
	auto it = std::lower_bound(index.begin(), index.end(), result.key, ByKey{results});
	if (it != index.end() && results[*it].key == result.key)
	{
		results[*it] = std::move(result);
		return;
	}
	index.insert(it, results.size());
	results.push_back(std::move(result));
}

bool FeatureFlagEvaluations::Data::contains(const std::string& key) const
{
	return localIndex(key) >= 0 || findResult(key) != nullptr;
}

bool FeatureFlagEvaluations::Data::find(const std::string& key, FeatureFlagResult& out) const
{
	const int held = localIndex(key);
	if (held >= 0)
	{
		out = localResult(static_cast<std::size_t>(held));
		return true;
	}
	const FeatureFlagResult* r = findResult(key);
	if (r)
		out = *r;
	return r != nullptr;
}

const FlagValue* FeatureFlagEvaluations::Data::valueOf(const std::string& key) const
{
	const int held = localIndex(key);
	if (held >= 0)
		return &local[static_cast<std::size_t>(held)].value;
	const FeatureFlagResult* r = findResult(key);
	return r ? &r->value : nullptr;
}

FlagPayload FeatureFlagEvaluations::Data::payloadOf(const std::string& key) const
{
	const int held = localIndex(key);
	if (held >= 0)
	{
		const std::string* payload = local[static_cast<std::size_t>(held)].payload;
		return payload ? FlagPayload::fromValidJSON(*payload) : FlagPayload();
	}
	const FeatureFlagResult* r = findResult(key);
	return r ? r->payload : FlagPayload();
}

std::vector<std::string> FeatureFlagEvaluations::Data::keys() const
{
	std::vector<std::string> keys;
	keys.reserve(size());
	for (std::size_t i = 0; i < local.size(); ++i)
		if (local[i].decided())
			keys.push_back(definitions->flags()[i].key);
	for (const auto& r : results)
		keys.push_back(r.key);
	return keys;
}

std::shared_ptr<FeatureFlagEvaluations::Data>
FeatureFlagEvaluations::Data::subset(const std::vector<std::string>& keys) const
{
	auto data = std::make_shared<Data>();
	data->distinctId = distinctId;
	data->groups = groups;
	data->error = error;
	data->sendEvents = sendEvents;
	data->remoteMinimalGate = remoteMinimalGate;
	data->remoteHasExperiment = remoteHasExperiment;
	data->onRead = onRead;
	forEach(
	    [&](const FeatureFlagResult& r)
	    {
		    if (std::find(keys.begin(), keys.end(), r.key) != keys.end())
			    data->add(r);
	    });
	return data;
}

} // namespace PostHog
