//
// DecisionCache.h
//
// A bounded memo of one small decision per string (or pair of strings) for the pii stage.
//

#ifndef PostHog_DecisionCache_INCLUDED
#define PostHog_DecisionCache_INCLUDED

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace PostHog
{

class DecisionCache
/// Remembers a one-byte decision about a key, or about a key and a text, so that the pii stage
/// judges the property names and values that repeat from event to event once instead of on every
/// event. It is two-way set-associative: the hash of what is looked up picks a pair of slots, a
/// new entry takes the first slot and moves what it held to the second (so two strings whose
/// hashes meet both stay), and a lookup compares the whole stored strings, so a collision costs a
/// recomputation, never a wrong answer. Each slot keeps the full hash, so a lookup of something
/// else is refused before any byte is compared, and its bytes sit in one flat array (no
/// allocation per entry). Memory is the slot count times maxLength (longer strings are not
/// stored). The decisions cached must depend on nothing but the strings.
///
/// Not thread-safe: one per stage instance (a Middleware instance is never called by two threads
/// at once).
{
public:
	DecisionCache(std::size_t slots, std::size_t maxLength);
	/// slots is rounded up to a power of two; maxLength bounds the stored key plus text.

	static std::size_t hash(std::string_view key, std::size_t seed = 0) noexcept
	/// The hash find() and store() take for a key alone, or for a key and a text as
	/// hash(text, hash(key)). It reads the length and the first and last eight bytes only (four,
	/// or the first, middle and last byte, of shorter strings), with fixed-size loads: the keys
	/// and values of events are short, and a collision costs a recomputation, not an error.
	{
		const char* p = key.data();
		std::size_t n = key.size();
		std::uint64_t head = 0, tail = 0;
		if (n >= 8)
		{
			std::memcpy(&head, p, 8);
			std::memcpy(&tail, p + n - 8, 8);
		}
		else if (n >= 4)
		{
			std::uint32_t a, b;
			std::memcpy(&a, p, 4);
			std::memcpy(&b, p + n - 4, 4);
			head = a;
			tail = b;
		}
		else if (n > 0)
		{
			head = static_cast<unsigned char>(p[0]) |
			       (std::uint64_t(static_cast<unsigned char>(p[n / 2])) << 8) |
			       (std::uint64_t(static_cast<unsigned char>(p[n - 1])) << 16);
		}
		std::uint64_t h = (seed ^ n) * kMultiplier;
		h = (h ^ head) * kMultiplier;
		h = (h ^ tail) * kMultiplier;
		// the low bits pick the slot: fold the better-mixed high half into them
		return static_cast<std::size_t>(h ^ (h >> 32));
	}

	bool find(std::size_t hash, std::string_view key, std::string_view text,
	          unsigned char& decision) const noexcept
	/// True, with decision set, when one slot of hash's pair holds exactly key and text.
	{
		std::size_t first = hash & _mask;
		return findAt(first, hash, key, text, decision) || findAt(first + _second, hash, key, text, decision);
	}

	void store(std::size_t hash, std::string_view key, std::string_view text, unsigned char decision);
	/// Remembers decision for key and text (nothing when they are longer than maxLength).

	bool cacheable(std::string_view key, std::string_view text) const noexcept
	{
		return key.size() + text.size() <= _maxLength;
	}

private:
	static constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL; // 2^64 / golden ratio

	bool findAt(std::size_t index, std::size_t hash, std::string_view key, std::string_view text,
	            unsigned char& decision) const noexcept
	{
		const Slot& s = _slots[index];
		if (s.hash != hash || !s.used || s.keyLength != key.size() || s.textLength != text.size())
			return false;
		const char* b = _bytes.data() + index * _maxLength;
		if (!same(b, key.data(), key.size()) || !same(b + key.size(), text.data(), text.size()))
			return false;
		decision = s.decision;
		return true;
	}

	static bool same(const char* a, const char* b, std::size_t n) noexcept
	/// memcmp(a, b, n) == 0 for the short strings of events, without a library call: 8 bytes at
	/// a time, the last 8 (or 4) overlapping what was compared already.
	{
		if (n >= 8)
		{
			std::uint64_t x, y;
			for (std::size_t i = 0; i + 8 < n; i += 8)
			{
				std::memcpy(&x, a + i, 8);
				std::memcpy(&y, b + i, 8);
				if (x != y)
					return false;
			}
			std::memcpy(&x, a + n - 8, 8);
			std::memcpy(&y, b + n - 8, 8);
			return x == y;
		}
		if (n >= 4)
		{
			std::uint32_t x, y, u, v;
			std::memcpy(&x, a, 4);
			std::memcpy(&y, b, 4);
			std::memcpy(&u, a + n - 4, 4);
			std::memcpy(&v, b + n - 4, 4);
			return x == y && u == v;
		}
		for (std::size_t i = 0; i < n; ++i)
		{
			if (a[i] != b[i])
				return false;
		}
		return true;
	}

	struct Slot
	{
		std::size_t hash = 0;        // the full hash of what the slot holds
		std::uint32_t keyLength = 0; // the slot's bytes are the key, then the text
		std::uint32_t textLength = 0;
		bool used = false;
		unsigned char decision = 0;
	};

	std::vector<Slot> _slots;
	std::vector<char> _bytes; // maxLength bytes per slot
	std::size_t _mask;        // picks the first slot of a pair (an even index)
	std::size_t _second;      // 1: the pair's second slot follows; 0 with a single slot
	std::size_t _maxLength;
};

} // namespace PostHog

#endif // PostHog_DecisionCache_INCLUDED
