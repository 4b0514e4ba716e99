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
	_second = n > 1 ? 1 : 0;
	_mask = (n - 1) & ~std::size_t(1);
}

void DecisionCache::store(std::size_t hash, std::string_view key, std::string_view text,
                          unsigned char decision)
{
	if (!cacheable(key, text))
		return;
	std::size_t index = hash & _mask;
	Slot& first = _slots[index];
	if (first.used && first.hash != hash)
	{
		// What the first slot held moves to the second, unless that one is free (the new entry goes
		// there) or there is no second slot (the new entry replaces it).
		std::size_t other = index + _second;
		if (!_slots[other].used || other == index)
			index = other;
		else
		{
			_slots[other] = first;
			std::memcpy(_bytes.data() + other * _maxLength, _bytes.data() + index * _maxLength,
			            first.keyLength + first.textLength);
		}
	}
	Slot& s = _slots[index];
	char* b = _bytes.data() + index * _maxLength;
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
