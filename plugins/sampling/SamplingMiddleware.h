//
// SamplingMiddleware.h
//
// The built-in sampling stage (library PostHogSampling).
//

#ifndef PostHog_SamplingMiddleware_INCLUDED
#define PostHog_SamplingMiddleware_INCLUDED

#include "PostHog/Middleware.h"
#include <cstdint>
#include <string>
#include <unordered_map>

namespace PostHog
{

class SamplingMiddleware : public Middleware
/// Keeps a share of distinct ids, deterministically, the way OpenTelemetry's
/// probabilistic_sampler keeps traces: a seeded hash of the distinct id gives a 32-bit
/// bucket, and a message is kept when bucket < rate * 2^32. So:
///
///   - an id gets the same decision in every process, run and machine (same seed);
///   - all of an id's events are kept or dropped together (funnels stay whole);
///   - an id kept at rate 0.1 is also kept at 0.25 (the threshold only grows with the rate);
///   - another seed draws an independent sample.
///
/// eventRates gives some events their own rate (instead of rate). Identity events
/// ($identify, $create_alias, $merge_dangerously, $groupidentify, $set, and any message
/// that is not a capture) are never sampled out: dropping them would split persons.
/// writeRate adds the rate as $sample_rate to kept, sampled events, so an analysis can
/// weight them by 1 / $sample_rate.
///
/// The hash is MurmurHash3 x86_32 (Austin Appleby's public-domain definition) of the
/// distinct id's UTF-8 bytes with the seed as its seed. It is written here because Poco has
/// no seeded hash with a fixed, documented definition: Poco::hash() is unseeded and
/// unspecified, and its digest engines (MD5, SHA-1) go through DigestEngine for far more
/// than the 32 bits this needs, at many times the cost.
///
/// Cost: one lookup in the eventRates table (when it is not empty) and one hash of the id;
/// nothing at all for rate 1 without eventRates.
{
public:
	SamplingMiddleware();
	~SamplingMiddleware() override;

	std::string name() const override;
	const OptionTable& options() const override;
	void configure(const Poco::Util::AbstractConfiguration& config) override;
	/// Throws Poco::InvalidArgumentException (the pipeline names the stage) for a bad
	/// eventRates entry.
	Result process(Message& message) override;

	static std::uint32_t murmur3(const char* data, std::size_t size, std::uint32_t seed) noexcept;
	/// MurmurHash3_x86_32.

	static bool isIdentityEvent(const Message& message) noexcept;
	/// True for the events sampling never drops.

private:
	struct Rate
	{
		double rate = 1;
		std::uint64_t threshold = 0; /// kept when hash < threshold
		std::string reason;          /// the drop reason, made once
	};

	static Rate makeRate(double rate, const std::string& reason);
	bool keep(const Message& message, const Rate& rate) const noexcept;

	Rate _rate;
	std::unordered_map<std::string, Rate> _eventRates;
	std::uint32_t _seed = 0;
	bool _writeRate = false;
};

} // namespace PostHog

#endif // PostHog_SamplingMiddleware_INCLUDED
