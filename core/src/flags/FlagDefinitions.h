//
// FlagDefinitions.h
//
// An immutable, parsed snapshot of a project's feature flag definitions.
//

#ifndef PostHog_Flags_FlagDefinitions_INCLUDED
#define PostHog_Flags_FlagDefinitions_INCLUDED

#include "flags/FlagModel.h"
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace PostHog
{

class FlagDefinitions
/// The body of GET /flags/definitions (flags, group_type_mapping, cohorts) parsed once into the
/// form LocalEvaluator reads: flags in definition order, filters with their values pre-parsed
/// and regexes compiled. A snapshot never changes after parse(), so any number of threads read
/// it without a lock; a new poll builds a new snapshot and swaps the shared pointer.
{
public:
	static std::shared_ptr<const FlagDefinitions> parse(const std::string& json);
	/// Parses a definitions body. Throws PostHog::DataException, with one sentence naming what
	/// is wrong and where, when the text is not JSON or has no "flags" array. A flag or filter
	/// with unexpected contents does not fail the load: it is kept and evaluates as inconclusive.

	const FlagDefinition* find(const std::string& key) const noexcept;
	/// The flag with that key, or null.

	int indexOf(const std::string& key) const noexcept;
	/// The flag's index in flags(), or -1.

	const std::vector<FlagDefinition>& flags() const noexcept { return _flags; }
	std::size_t size() const noexcept { return _flags.size(); }

	const std::vector<Cohort>& cohorts() const noexcept { return _cohorts; }

	const std::string* groupTypeName(int index) const noexcept;
	/// The group type of an aggregation_group_type_index, or null when the mapping lacks it.

	int propertyMatchingVersion() const noexcept { return _propertyMatchingVersion; }
	/// 2 makes exact and is_not compare booleans as text; anything else is the legacy reading.

	std::size_t answerSlots() const noexcept { return _answerSlots; }
	/// How many distinct property filters the definitions have (see PropertyFilter::answerSlot).

	bool hasDependencies() const noexcept { return _hasDependencies; }
	/// Whether any flag filter depends on another flag.

	bool minimalFlagCalledEvents() const noexcept { return _minimalFlagCalledEvents; }
	/// The server's minimal $feature_flag_called gate (minimal_flag_called_events: true).

private:
	friend class DefinitionsParser;

	std::vector<FlagDefinition> _flags;
	std::unordered_map<std::string, int> _index;
	std::vector<Cohort> _cohorts;
	std::unordered_map<int, std::string> _groupTypes;
	int _propertyMatchingVersion = 0;
	std::size_t _answerSlots = 0;
	bool _hasDependencies = false;
	bool _minimalFlagCalledEvents = false;
};

} // namespace PostHog

#endif // PostHog_Flags_FlagDefinitions_INCLUDED
