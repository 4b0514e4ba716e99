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
	_bytes.resize(n * maxLength);
	_mask = n - 1;
}

void DecisionCache::store(std::size_t hash, std::string_view key, std::string_view text,
                          unsigned char decision)
{
	if (!cacheable(key, text))
		return;
	Slot& s = _slots[hash & _mask];
	char* b = _bytes.data() + (hash & _mask) * _maxLength;
	if (!key.empty())
		std::memcpy(b, key.data(), key.size());
	if (!text.empty())
		std::memcpy(b + key.size(), text.data(), text.size());
	s.hash = hash;
	s.keyLength = static_cast<std::uint32_t>(key.size());
	s.textLength = static_cast<std::uint32_t>(text.size());
	s.decision = decision;
	s.used = true;
}

} // namespace PostHog
