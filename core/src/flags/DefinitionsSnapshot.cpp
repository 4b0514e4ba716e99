//
// DefinitionsSnapshot.cpp
//

#include "flags/DefinitionsSnapshot.h"
#include "flags/Explain.h"

namespace PostHog
{

std::shared_ptr<const DefinitionsSnapshot> DefinitionsSnapshot::parse(const std::string& json)
{
	std::shared_ptr<DefinitionsSnapshot> snapshot(new DefinitionsSnapshot);
	snapshot->_definitions = FlagDefinitions::parse(json);
	snapshot->_keys.reserve(snapshot->_definitions->size());
	for (const auto& flag : snapshot->_definitions->flags())
		snapshot->_keys.push_back(flag.key);
	return snapshot;
}

DefinitionsSnapshot::Answer DefinitionsSnapshot::evaluate(const std::string& key, const Context& context,
                                                          const ExplainLine* explain) const
{
	if (!explain || !*explain)
		return _evaluator.evaluate(*_definitions, key, context);
	ExplainFunction sink([explain](const std::string& flag, const std::string& text)
	                     { (*explain)(flag + ": " + text); });
	return _evaluator.evaluate(*_definitions, key, context, &sink);
}

void DefinitionsSnapshot::evaluateAll(const Context& context, std::vector<Answer>& answers,
                                      const ExplainLine* explain) const
{
	if (!explain || !*explain)
		return _evaluator.evaluateAll(*_definitions, context, answers);
	ExplainFunction sink([explain](const std::string& flag, const std::string& text)
	                     { (*explain)(flag + ": " + text); });
	_evaluator.evaluateAll(*_definitions, context, answers, &sink);
}

std::size_t DefinitionsSnapshot::evaluateAll(const Context& context, std::vector<LocalAnswer>& answers,
                                             const ExplainLine* explain) const
{
	if (!explain || !*explain)
		return _evaluator.evaluateAll(*_definitions, context, answers);
	ExplainFunction sink([explain](const std::string& flag, const std::string& text)
	                     { (*explain)(flag + ": " + text); });
	return _evaluator.evaluateAll(*_definitions, context, answers, &sink);
}

void DefinitionsSnapshot::evaluateKeys(const std::vector<std::string>& keys, const Context& context,
                                       std::vector<Answer>& answers, const ExplainLine* explain) const
{
	if (!explain || !*explain)
		return _evaluator.evaluateKeys(*_definitions, keys, context, answers);
	ExplainFunction sink([explain](const std::string& flag, const std::string& text)
	                     { (*explain)(flag + ": " + text); });
	_evaluator.evaluateKeys(*_definitions, keys, context, answers, &sink);
}

} // namespace PostHog
