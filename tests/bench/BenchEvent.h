//
// BenchEvent.h
//
// The benchmark event of the bench-peers suite (its drivers/common.mjs: rng, makeEvent), bit for bit.
//

#ifndef PostHogBench_BenchEvent_INCLUDED
#define PostHogBench_BenchEvent_INCLUDED

#include "PostHog/Properties.h"
#include <cstdint>
#include <string>

namespace PostHogBench
{

class Mulberry32
/// The peers' PRNG: mulberry32 seeded with --seed, yielding doubles in [0, 1) exactly as
/// common.mjs's rng() does (the same 32-bit state steps, divided by 2^32).
{
public:
	explicit Mulberry32(std::uint32_t seed) : _a(seed) {}

	double next() noexcept
	{
		_a += 0x6D2B79F5u;
		std::uint32_t t = _a;
		t = (t ^ (t >> 15)) * (t | 1u);
		t ^= t + (t ^ (t >> 7)) * (t | 61u);
		return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
	}

private:
	std::uint32_t _a;
};

struct BenchEvent
/// One "movie played" event: distinct id user_<k> and eight properties (two strings, an int,
/// two floats, a bool, a nested object, an array), built with PostHog::Properties.
{
	std::string distinctId;
	PostHog::Properties properties;

	static const char* const kEventName; /// "movie played"

	static void make(Mulberry32& r, unsigned users, BenchEvent& out);
	/// makeEvent(r, users) of common.mjs: four draws of r per event, in the same order, so the
	/// properties' JSON is byte for byte what posthog-node sends (keys in the same order).
};

} // namespace PostHogBench

#endif // PostHogBench_BenchEvent_INCLUDED
