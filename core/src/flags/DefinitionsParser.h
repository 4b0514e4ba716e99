//
// DefinitionsParser.h
//
// Builds a FlagDefinitions snapshot from the JSON of /flags/definitions.
//

#ifndef PostHog_Flags_DefinitionsParser_INCLUDED
#define PostHog_Flags_DefinitionsParser_INCLUDED

#include "Poco/Dynamic/Var.h"
#include "Poco/JSON/Object.h"
#include "flags/FlagDefinitions.h"
#include <string>
#include <unordered_map>

namespace PostHog
{

class DefinitionsParser
/// Reads the definitions JSON into FlagDefinitions: the flag index and group type mapping
/// first, then the cohorts, then each flag, so that cohort and dependency filters refer to
/// what they name by index. Filter values are converted once into the forms the operators
/// compare (see PropertyFilter); anything unexpected inside a flag makes that filter or flag
/// undecidable locally rather than failing the load.
{
public:
	explicit DefinitionsParser(FlagDefinitions& target);

	void parse(const std::string& json);
	/// Throws DataException when the text is not a JSON object with a "flags" array.

private:
	void readIndex(const Poco::JSON::Array& flags);
	void readGroupTypes(const Poco::JSON::Object& root);
	void readCohorts(const Poco::JSON::Object& root);
	void readFlag(const Poco::JSON::Object& flag, FlagDefinition& out);
	void readFilters(const Poco::JSON::Object& filters, FlagDefinition& out);
	void readConditions(const Poco::JSON::Array& groups, FlagDefinition& out);
	void readPayloads(const Poco::JSON::Object& payloads, FlagDefinition& out);
	void readHoldout(const Poco::Dynamic::Var& holdout, FlagDefinition& out);
	CohortGroup readCohortGroup(const Poco::Dynamic::Var& group, int depth);
	PropertyFilter readFilter(const Poco::Dynamic::Var& filter);

	FlagDefinitions& _target;
	std::unordered_map<std::string, int> _answerSlots;
	/// Property filter "key, operator, value JSON" -> its answer slot.
};

} // namespace PostHog

#endif // PostHog_Flags_DefinitionsParser_INCLUDED
