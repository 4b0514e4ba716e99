//
// PropertyIndex.h
//
// A person's or group's properties decoded once for the many lookups of one evaluation.
//

#ifndef PostHog_Flags_PropertyIndex_INCLUDED
#define PostHog_Flags_PropertyIndex_INCLUDED

#include "PostHog/Properties.h"
#include <string_view>
#include <utility>
#include <vector>

namespace PostHog
{

class PropertyIndex
/// The top-level entries of a Properties, decoded once: evaluating many flags looks the same
/// few keys up again and again, and a lookup here compares keys without decoding the buffer.
/// Views into the Properties, which must outlive the index.
{
public:
	explicit PropertyIndex(const Properties& properties);

	const Value* find(std::string_view key) const noexcept;
	/// The value of that key, or null when the key is absent.

private:
	std::vector<std::pair<std::string_view, Value>> _entries;
};

} // namespace PostHog

#endif // PostHog_Flags_PropertyIndex_INCLUDED
