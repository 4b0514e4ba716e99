//
// FlagHash.cpp
//

#include "flags/FlagHash.h"
#include "Poco/SHA1Engine.h"
#include <cstdint>

namespace PostHog
{

double FlagHash::hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt)
{
	// One engine per thread: evaluations run on any number of threads without a lock.
	thread_local Poco::SHA1Engine engine;
	engine.update(prefix.data(), static_cast<unsigned>(prefix.size()));
	engine.update(bucketingValue.data(), static_cast<unsigned>(bucketingValue.size()));
	engine.update(salt.data(), static_cast<unsigned>(salt.size()));
	const Poco::DigestEngine::Digest& digest = engine.digest();
	std::uint64_t first = 0;
	for (int i = 0; i < 8; ++i)
		first = (first << 8) | digest[i];
	// 15 hex digits are the first 60 bits.
	const std::uint64_t value = first >> 4;
	return static_cast<double>(value) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace PostHog
