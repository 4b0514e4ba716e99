//
// SamplingMiddleware.cpp
//

#include "SamplingMiddleware.h"
#include "Poco/ClassLibrary.h"
#include "Poco/Exception.h"
#include "Poco/NumberFormatter.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ConfigMap.h"
#include <cmath>

namespace PostHog
{

namespace
{

constexpr double kRange = 4294967296.0; // 2^32 buckets

inline std::uint32_t rotl32(std::uint32_t x, int r) noexcept
{
	return (x << r) | (x >> (32 - r));
}

std::string formatRate(double rate)
{
	return Poco::NumberFormatter::format(rate);
}

} // namespace

SamplingMiddleware::SamplingMiddleware() = default;

SamplingMiddleware::~SamplingMiddleware() = default;

std::string SamplingMiddleware::name() const
{
	return "sampling";
}

const OptionTable& SamplingMiddleware::options() const
{
	static const OptionTable table = {
	    {"rate", OptionSpec::Double, "1", "share of distinct ids whose events are kept, 0..1", 0, 1},
	    {"eventRates", OptionSpec::List, "",
	     "rates of single events instead of rate, as <event>:<rate> entries (\"movie played:0.1, "
	     "$pageview:0.5\")"},
	    {"seed", OptionSpec::Int, "0", "hash seed: processes with the same seed make the same decisions", 0,
	     4294967295.0},
	    {"writeRate", OptionSpec::Bool, "false",
	     "add the rate applied as $sample_rate to every kept, sampled event"},
	};
	return table;
}

SamplingMiddleware::Rate SamplingMiddleware::makeRate(double rate, const std::string& reason)
{
	Rate r;
	r.rate = rate;
	r.threshold = static_cast<std::uint64_t>(std::floor(rate * kRange));
	r.reason = reason;
	return r;
}

void SamplingMiddleware::configure(const Poco::Util::AbstractConfiguration& config)
{
	double rate = config.getDouble("rate");
	_rate = makeRate(rate, "sampled out at rate " + formatRate(rate));
	_seed = static_cast<std::uint32_t>(config.getUInt64("seed"));
	_writeRate = config.getBool("writeRate");

	_eventRates.clear();
	std::string list = config.getString("eventRates");
	for (const auto& pair : ConfigMap(config, options()).getPairs("eventRates", "<event>:<rate>"))
	{
		const std::string& event = pair.first;
		const std::string& value = pair.second;
		auto fail = [&](const std::string& why)
		{
			throw Poco::InvalidArgumentException("option 'eventRates' = '" + list + "': entry '" + event +
			                                     ":" + value + "' " + why);
		};
		double eventRate = 0;
		if (event.empty())
			fail("names no event");
		if (!Poco::NumberParser::tryParseFloat(value, eventRate) || !(eventRate >= 0 && eventRate <= 1))
			fail("has rate '" + value + "', not a number between 0 and 1");
		if (_eventRates.count(event))
			fail("names event '" + event + "' a second time");
		_eventRates.emplace(event, makeRate(eventRate, "sampled out at rate " + formatRate(eventRate) +
		                                                   " (eventRates '" + event + "')"));
	}
}

std::uint32_t SamplingMiddleware::murmur3(const char* data, std::size_t size, std::uint32_t seed) noexcept
{
	const std::uint32_t c1 = 0xcc9e2d51;
	const std::uint32_t c2 = 0x1b873593;
	const unsigned char* bytes = reinterpret_cast<const unsigned char*>(data);
	std::uint32_t h = seed;
	std::size_t blocks = size / 4;
	for (std::size_t i = 0; i < blocks; ++i)
	{
		const unsigned char* b = bytes + 4 * i;
		std::uint32_t k = static_cast<std::uint32_t>(b[0]) | (static_cast<std::uint32_t>(b[1]) << 8) |
		                  (static_cast<std::uint32_t>(b[2]) << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
		h = rotl32(h, 13);
		h = h * 5 + 0xe6546b64;
	}
	const unsigned char* tail = bytes + 4 * blocks;
	std::uint32_t k = 0;
	switch (size & 3)
	{
	case 3:
		k ^= static_cast<std::uint32_t>(tail[2]) << 16;
		// fall through
	case 2:
		k ^= static_cast<std::uint32_t>(tail[1]) << 8;
		// fall through
	case 1:
		k ^= tail[0];
		k *= c1;
		k = rotl32(k, 15);
		k *= c2;
		h ^= k;
	}
	h ^= static_cast<std::uint32_t>(size);
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

bool SamplingMiddleware::isIdentityEvent(const Message& message) noexcept
{
	if (message.type() != Message::Type::Capture)
		return true;
	const std::string& e = message.event();
	return !e.empty() && e[0] == '$' &&
	       (e == "$identify" || e == "$create_alias" || e == "$merge_dangerously" || e == "$groupidentify" ||
	        e == "$set");
}

bool SamplingMiddleware::keep(const Message& message, const Rate& rate) const noexcept
{
	if (rate.threshold > 0xFFFFFFFFull)
		return true;
	const std::string& id = message.distinctId();
	return murmur3(id.data(), id.size(), _seed) < rate.threshold;
}

Middleware::Result SamplingMiddleware::process(Message& message)
{
	if (isIdentityEvent(message))
		return Result::pass();
	const Rate* rate = &_rate;
	if (!_eventRates.empty())
	{
		auto it = _eventRates.find(message.event());
		if (it != _eventRates.end())
			rate = &it->second;
	}
	if (!keep(message, *rate))
		return Result::drop(rate->reason);
	if (_writeRate)
		message.properties().set("$sample_rate", rate->rate);
	return Result::pass();
}

} // namespace PostHog

using PostHog::SamplingMiddleware; // the manifest names the class as written here

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(SamplingMiddleware)
POCO_END_MANIFEST
