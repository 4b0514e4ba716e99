//
// FeatureFlagEvaluations.cpp
//

#include "PostHog/FeatureFlagEvaluations.h"
#include "flags/EvaluationsData.h"
#include <algorithm>

namespace PostHog
{

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
	const FlagValue* value = _data->valueOf(key);
	bool first;
	{
		Poco::FastMutex::ScopedLock lock(_data->mutex);
		first = _data->accessedSet.insert(key).second;
		if (first)
			_data->accessed.push_back(key);
	}
	if (_data->sendEvents && _data->onRead)
	{
		FeatureFlagResult read;
		if (!_data->find(key, read))
		{
			read.key = key;
			read.error = "flag_missing";
		}
		_data->onRead(*_data, read);
	}
	return value ? *value : FlagValue();
}

bool FeatureFlagEvaluations::isEnabled(const std::string& key) const
{
	return getFlag(key).isEnabled();
}

FlagPayload FeatureFlagEvaluations::getFlagPayload(const std::string& key) const
{
	return _data->payloadOf(key);
}

FeatureFlagResult FeatureFlagEvaluations::getResult(const std::string& key) const
{
	FeatureFlagResult result;
	if (!_data->find(key, result))
	{
		result.key = key;
		result.error = "flag_missing";
	}
	return result;
}

std::vector<std::string> FeatureFlagEvaluations::keys() const
{
	return _data->keys();
}

std::vector<std::string> FeatureFlagEvaluations::accessedKeys() const
{
	Poco::FastMutex::ScopedLock lock(_data->mutex);
	return _data->accessed;
}

bool FeatureFlagEvaluations::empty() const noexcept
{
	return _data->size() == 0;
}

std::size_t FeatureFlagEvaluations::size() const noexcept
{
	return _data->size();
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
