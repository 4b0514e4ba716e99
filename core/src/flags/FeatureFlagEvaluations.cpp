//
// FeatureFlagEvaluations.cpp
//

#include "PostHog/FeatureFlagEvaluations.h"
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

void FeatureFlagEvaluations::Data::add(FeatureFlagResult result)
{
	auto it = std::lower_bound(index.begin(), index.end(), result.key, ByKey{results});
	if (it != index.end() && results[*it].key == result.key)
	{
		results[*it] = std::move(result);
		return;
	}
	index.insert(it, results.size());
	results.push_back(std::move(result));
}

const FeatureFlagResult* FeatureFlagEvaluations::Data::find(const std::string& key) const
{
	auto it = std::lower_bound(index.begin(), index.end(), key, ByKey{results});
	return it != index.end() && results[*it].key == key ? &results[*it] : nullptr;
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
	for (const auto& r : results)
		if (std::find(keys.begin(), keys.end(), r.key) != keys.end())
			data->add(r);
	return data;
}

FeatureFlagEvaluations::FeatureFlagEvaluations() : _data(std::make_shared<Data>()) {}

FeatureFlagEvaluations::FeatureFlagEvaluations(std::shared_ptr<Data> data) : _data(std::move(data))
{
	if (!_data)
		_data = std::make_shared<Data>();
}

FlagValue FeatureFlagEvaluations::getFlag(const std::string& key) const
{
	if (_data->distinctId.empty())
		return FlagValue();
	const FeatureFlagResult* r = _data->find(key);
	bool first;
	{
		Poco::FastMutex::ScopedLock lock(_data->mutex);
		first = _data->accessedSet.insert(key).second;
		if (first)
			_data->accessed.push_back(key);
	}
	if (_data->sendEvents && _data->onRead)
	{
		FeatureFlagResult missing;
		missing.key = key;
		missing.error = "flag_missing";
		_data->onRead(*_data, r ? *r : missing);
	}
	return r ? r->value : FlagValue();
}

bool FeatureFlagEvaluations::isEnabled(const std::string& key) const
{
	return getFlag(key).isEnabled();
}

FlagPayload FeatureFlagEvaluations::getFlagPayload(const std::string& key) const
{
	const FeatureFlagResult* r = _data->find(key);
	return r ? r->payload : FlagPayload();
}

FeatureFlagResult FeatureFlagEvaluations::getResult(const std::string& key) const
{
	const FeatureFlagResult* r = _data->find(key);
	if (r)
		return *r;
	FeatureFlagResult missing;
	missing.key = key;
	missing.error = "flag_missing";
	return missing;
}

std::vector<std::string> FeatureFlagEvaluations::keys() const
{
	std::vector<std::string> keys;
	keys.reserve(_data->results.size());
	for (const auto& r : _data->results)
		keys.push_back(r.key);
	return keys;
}

std::vector<std::string> FeatureFlagEvaluations::accessedKeys() const
{
	Poco::FastMutex::ScopedLock lock(_data->mutex);
	return _data->accessed;
}

bool FeatureFlagEvaluations::empty() const noexcept
{
	return _data->results.empty();
}

std::size_t FeatureFlagEvaluations::size() const noexcept
{
	return _data->results.size();
}

const std::string& FeatureFlagEvaluations::distinctId() const noexcept
{
	return _data->distinctId;
}

const std::string& FeatureFlagEvaluations::error() const noexcept
{
	return _data->error;
}

FeatureFlagEvaluations FeatureFlagEvaluations::onlyAccessed() const
{
	return FeatureFlagEvaluations(_data->subset(accessedKeys()));
}

FeatureFlagEvaluations FeatureFlagEvaluations::only(const std::vector<std::string>& keys) const
{
	return FeatureFlagEvaluations(_data->subset(keys));
}

} // namespace PostHog
