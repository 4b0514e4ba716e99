//
// DefinitionsSnapshot.h
//
// One loaded set of flag definitions, as the client evaluates against it.
//

#ifndef PostHog_DefinitionsSnapshot_INCLUDED
#define PostHog_DefinitionsSnapshot_INCLUDED

#include "Poco/Timestamp.h"
#include "flags/EvaluationContext.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalEvaluator.h"
#include "flags/LocalResult.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class DefinitionsSnapshot
/// The client's view of a parsed /flags/definitions body: the engine's FlagDefinitions plus the
/// flag keys in definition order. Immutable once built, shared by every evaluating thread,
/// replaced as a whole when the poller loads new definitions. It is the one place where the
/// client meets the local evaluation engine.
{
public:
	using Context = EvaluationContext;
	using Answer = LocalResult;
	using ExplainLine = std::function<void(const std::string&)>;

	static std::shared_ptr<const DefinitionsSnapshot> parse(const std::string& json);
	/// Throws DataException (a Poco::Exception) whose message says what is wrong and where.

	std::size_t size() const noexcept { return _keys.size(); }
	const std::vector<std::string>& keys() const noexcept { return _keys; }
	/// Flag keys in definition order.

	Answer evaluate(const std::string& key, const Context& context,
	                const ExplainLine* explain = nullptr) const;
	/// Thread-safe, no lock. explain, when given, receives "<flag>: <reason>" lines.

	void evaluateAll(const Context& context, std::vector<Answer>& answers,
	                 const ExplainLine* explain = nullptr) const;
	/// Every flag in one evaluation run, answers[i] for keys()[i]; the vector is reused.

	std::size_t evaluateAll(const Context& context, std::vector<LocalAnswer>& answers,
	                        const ExplainLine* explain = nullptr) const;
	/// Every flag in one evaluation run, in the compact form (answers[i] for keys()[i]) whose
	/// views point into definitions(); returns how many were decided.

	void evaluateKeys(const std::vector<std::string>& keys, const Context& context,
	                  std::vector<Answer>& answers, const ExplainLine* explain = nullptr) const;
	/// The given flags in one evaluation run, answers[i] for keys[i] (Missing when undefined).

	const FlagDefinitions& definitions() const noexcept { return *_definitions; }
	const std::shared_ptr<const FlagDefinitions>& sharedDefinitions() const noexcept { return _definitions; }
	/// For a result that keeps views into the definitions beyond this snapshot's grace period.

private:
	DefinitionsSnapshot() = default;

	std::shared_ptr<const FlagDefinitions> _definitions;
	std::vector<std::string> _keys;
	LocalEvaluator _evaluator;
};

} // namespace PostHog

#endif // PostHog_DefinitionsSnapshot_INCLUDED
