//
// PropertyIndex.cpp
//

#include "flags/PropertyIndex.h"
#include <cstring>

namespace PostHog
{

PropertyIndex::PropertyIndex(const Properties& properties)
{
	_entries.reserve(properties.size());
	for (const Entry& entry : properties)
		_entries.emplace_back(entry.key, entry.value);
}

const Value* PropertyIndex::find(std::string_view key) const noexcept
{
	for (const auto& entry : _entries)
	{
		if (entry.first.size() == key.size() && std::memcmp(entry.first.data(), key.data(), key.size()) == 0)
			return &entry.second;
	}
	return nullptr;
}

} // namespace PostHog
