//
// DecisionCache.cpp
//

#include "DecisionCache.h"
#include <cstring>

namespace PostHog
{

DecisionCache::DecisionCache(std::size_t slots, std::size_t maxLength) : _maxLength(maxLength)
{
	std::size_t n = 1;
	while (n < slots)
		n <<= 1;
	_slots.resize(n);
	_mask = n - 1;
}

bool DecisionCache::find(std::size_t hash, std::string_view key, std::string_view text,
                         unsigned char& decision) const noexcept
{
	const Slot& s = _slots[hash & _mask];
	if (!s.used || s.keyLength != key.size() || s.bytes.size() != key.size() + text.size())
		return false;
	const char* b = s.bytes.data();
	if ((!key.empty() && std::memcmp(b, key.data(), key.size()) != 0) ||
	    (!text.empty() && std::memcmp(b + key.size(), text.data(), text.size()) != 0))
		return false;
	decision = s.decision;
	return true;
}

void DecisionCache::store(std::size_t hash, std::string_view key, std::string_view text,
                          unsigned char decision)
{
	if (!cacheable(key, text))
		return;
	Slot& s = _slots[hash & _mask];
	s.bytes.assign(key.data(), key.size());
	s.bytes.append(text.data(), text.size());
	s.keyLength = key.size();
	s.decision = decision;
	s.used = true;
}

} // namespace PostHog
