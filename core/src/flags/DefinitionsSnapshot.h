//
// DefinitionsSnapshot.h
//
// One loaded set of flag definitions, as the client evaluates against it.
//

#ifndef PostHog_DefinitionsSnapshot_INCLUDED
#define PostHog_DefinitionsSnapshot_INCLUDED

#include "Poco/Timestamp.h"
#include "PostHog/FlagValue.h"
#include "PostHog/Properties.h"
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class DefinitionsSnapshot
/// The client's view of a parsed /flags/definitions body: immutable once built, shared by every
/// evaluating thread, replaced as a whole when the poller loads new definitions. It is the one
/// place where the client meets the local evaluation engine.
{
public:
	struct Context
	{
		std::string distinctId;
		std::string deviceId;
		std::map<std::string, std::string> groups;
		Properties personProperties;                       /// distinct_id included
		std::map<std::string, Properties> groupProperties; /// $group_key included
	};

	struct Answer
	{
		enum Outcome
		{
			Decided,
			Inconclusive,
			Missing
		};
		Outcome outcome = Missing;
		FlagValue value;
		std::string payload; /// raw JSON text of the value's payload, or empty
		std::string reason;
		long id = 0;
		long version = 0;
	};

	using Explain = std::function<void(const std::string&)>;

	static std::shared_ptr<const DefinitionsSnapshot> parse(const std::string& json);
	/// Throws a Poco::Exception whose message says what is wrong and where.

	~DefinitionsSnapshot();

	std::size_t size() const noexcept { return _keys.size(); }
	const std::vector<std::string>& keys() const noexcept { return _keys; }
	/// Flag keys in definition order.

	Answer evaluate(const std::string& key, const Context& context, const Explain* explain = nullptr) const;
	/// Thread-safe, no lock.

	Poco::Timestamp loadedAt() const noexcept { return _loadedAt; }

	struct Engine;

private:
	DefinitionsSnapshot();

	std::vector<std::string> _keys;
	std::unique_ptr<Engine> _engine;
	Poco::Timestamp _loadedAt;
};

} // namespace PostHog

#endif // PostHog_DefinitionsSnapshot_INCLUDED
