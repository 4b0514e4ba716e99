//
// DefinitionsSnapshot.cpp
//
// Until the local evaluation engine is wired in, this decides only what needs no engine:
// unknown flags, inactive flags, and conditions without properties at 0 or 100 percent.
//

#include "flags/DefinitionsSnapshot.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "PostHog/Exceptions.h"

namespace PostHog
{

struct DefinitionsSnapshot::Engine
{
	std::map<std::string, Poco::JSON::Object::Ptr> flags;
};

DefinitionsSnapshot::DefinitionsSnapshot() : _engine(new Engine) {}

DefinitionsSnapshot::~DefinitionsSnapshot() = default;

std::shared_ptr<const DefinitionsSnapshot> DefinitionsSnapshot::parse(const std::string& json)
{
	Poco::Dynamic::Var root;
	try
	{
		root = Poco::JSON::Parser().parse(json);
	}
	catch (Poco::Exception& e)
	{
		throw Poco::DataException("flag definitions are not JSON: " + e.message());
	}
	if (root.type() != typeid(Poco::JSON::Object::Ptr))
		throw Poco::DataException("flag definitions are not a JSON object");
	Poco::JSON::Object::Ptr object = root.extract<Poco::JSON::Object::Ptr>();
	Poco::JSON::Array::Ptr flags = object->getArray("flags");
	if (!flags)
		throw Poco::DataException("flag definitions have no \"flags\" array");
	std::shared_ptr<DefinitionsSnapshot> snapshot(new DefinitionsSnapshot);
	for (std::size_t i = 0; i < flags->size(); ++i)
	{
		Poco::JSON::Object::Ptr flag = flags->getObject(static_cast<unsigned>(i));
		if (!flag || !flag->has("key"))
			throw Poco::DataException("flag definitions: flags[" + std::to_string(i) + "] has no key");
		std::string key = flag->getValue<std::string>("key");
		if (!snapshot->_engine->flags.emplace(key, flag).second)
			continue;
		snapshot->_keys.push_back(key);
	}
	return snapshot;
}

DefinitionsSnapshot::Answer DefinitionsSnapshot::evaluate(const std::string& key, const Context&,
                                                          const Explain* explain) const
{
	Answer answer;
	auto it = _engine->flags.find(key);
	if (it == _engine->flags.end())
		return answer;
	const Poco::JSON::Object::Ptr& flag = it->second;
	answer.id = flag->optValue<long>("id", 0);
	answer.version = flag->optValue<long>("version", 0);
	answer.outcome = Answer::Inconclusive;
	if (!flag->optValue<bool>("active", true))
	{
		answer.outcome = Answer::Decided;
		answer.value = FlagValue(false);
		answer.reason = "flag_disabled";
		return answer;
	}
	Poco::JSON::Object::Ptr filters = flag->getObject("filters");
	if (flag->optValue<bool>("ensure_experience_continuity", false) || !filters ||
	    filters->has("aggregation_group_type_index"))
		return answer;
	Poco::JSON::Array::Ptr groups = filters->getArray("groups");
	for (std::size_t i = 0; groups && i < groups->size(); ++i)
	{
		Poco::JSON::Object::Ptr condition = groups->getObject(static_cast<unsigned>(i));
		Poco::JSON::Array::Ptr properties = condition ? condition->getArray("properties") : nullptr;
		if (!condition || (properties && properties->size()))
			return answer;
		double rollout = condition->has("rollout_percentage") && !condition->isNull("rollout_percentage")
		                     ? condition->getValue<double>("rollout_percentage")
		                     : 100;
		if (rollout <= 0)
			continue;
		if (rollout < 100)
			return answer;
		std::string variant = condition->optValue<std::string>("variant", "");
		if (variant.empty() && filters->has("multivariate"))
			return answer;
		answer.value = variant.empty() ? FlagValue(true) : FlagValue(variant);
		answer.reason = "condition_match";
		break;
	}
	if (!answer.value.hasValue())
	{
		answer.value = FlagValue(false);
		answer.reason = "no_condition_match";
	}
	answer.outcome = Answer::Decided;
	if (explain && *explain)
		(*explain)(key + ": " + answer.reason);
	if (answer.value.isEnabled())
		if (Poco::JSON::Object::Ptr payloads = filters->getObject("payloads"))
			if (payloads->has(answer.value.toString()))
				answer.payload = payloads->getValue<std::string>(answer.value.toString());
	return answer;
}

} // namespace PostHog
