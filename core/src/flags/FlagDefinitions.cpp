//
// FlagDefinitions.cpp
//

#include "flags/FlagDefinitions.h"
#include "flags/DefinitionsParser.h"
#include "flags/MatchResult.h"

namespace PostHog
{

std::shared_ptr<const FlagDefinitions> FlagDefinitions::parse(const std::string& json)
{
	auto definitions = std::make_shared<FlagDefinitions>();
	DefinitionsParser(*definitions).parse(json);
	return definitions;
}

const FlagDefinition* FlagDefinitions::find(const std::string& key) const noexcept
{
	const int index = indexOf(key);
	return index < 0 ? nullptr : &_flags[static_cast<std::size_t>(index)];
}

int FlagDefinitions::indexOf(const std::string& key) const noexcept
{
	const auto it = _index.find(key);
	return it == _index.end() ? -1 : it->second;
}

const std::string* FlagDefinitions::groupTypeName(int index) const noexcept
{
	const auto it = _groupTypes.find(index);
	return it == _groupTypes.end() ? nullptr : &it->second;
}

const std::string* FlagDefinition::payloadFor(const std::string& valueKey) const noexcept
{
	for (const auto& payload : payloads)
	{
		if (payload.first == valueKey)
			return &payload.second;
	}
	return nullptr;
}

const char* unresolvedName(Unresolved reason) noexcept
{
	switch (reason)
	{
	case Unresolved::ExperienceContinuity:
		return "experience_continuity";
	case Unresolved::UnsupportedDefinition:
		return "unsupported_definition";
	case Unresolved::UnresolvedDependency:
		return "unresolved_dependency";
	case Unresolved::MissingContext:
		return "missing_context";
	default:
		return "";
	}
}

} // namespace PostHog
