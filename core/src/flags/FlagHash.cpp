//
// FlagHash.cpp
//

#include "flags/FlagHash.h"
#include <cstdint>
#include <cstring>
#include <openssl/sha.h>
#include <string>

namespace PostHog
{

double FlagHash::hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt)
{
	// OpenSSL's one-shot SHA1() rather than Poco::SHA1Engine: a benchmark showed Poco's engine to
	// be the bottleneck of local evaluation (see docs/performance.md). The input is joined in a
	// stack buffer (or a per-thread string when it is long), so no lock and no allocation.
	char stackBuffer[256];
	thread_local std::string longBuffer;
	const std::size_t size = prefix.size() + bucketingValue.size() + salt.size();
	char* input = stackBuffer;
	if (size > sizeof(stackBuffer))
	{
		longBuffer.resize(size);
		input = &longBuffer[0];
	}
	std::memcpy(input, prefix.data(), prefix.size());
	std::memcpy(input + prefix.size(), bucketingValue.data(), bucketingValue.size());
	std::memcpy(input + prefix.size() + bucketingValue.size(), salt.data(), salt.size());
	unsigned char digest[SHA_DIGEST_LENGTH];
	SHA1(reinterpret_cast<const unsigned char*>(input), size, digest);
	std::uint64_t first = 0;
	for (int i = 0; i < 8; ++i)
		first = (first << 8) | digest[i];
	// 15 hex digits are the first 60 bits.
	const std::uint64_t value = first >> 4;
	return static_cast<double>(value) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace PostHog
