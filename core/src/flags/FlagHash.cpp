//
// FlagHash.cpp
//

// OpenSSL 3 marks the low-level SHA1_* functions deprecated in favour of EVP, but EVP takes a
// library read lock and goes through the provider on every digest; the low-level functions hash
// with the same assembly and no lock. They remain in every OpenSSL 3 release.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "flags/FlagHash.h"
#include <cstdint>
#include <openssl/sha.h>

namespace PostHog
{

double FlagHash::hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt)
{
	// OpenSSL's SHA-1 rather than Poco::SHA1Engine: a benchmark showed Poco's engine to be the
	// bottleneck of local evaluation (see docs/performance.md). The state lives on the stack, so
	// hashing takes no lock and allocates nothing.
	SHA_CTX context;
	unsigned char digest[SHA_DIGEST_LENGTH];
	SHA1_Init(&context);
	SHA1_Update(&context, prefix.data(), prefix.size());
	SHA1_Update(&context, bucketingValue.data(), bucketingValue.size());
	SHA1_Update(&context, salt.data(), salt.size());
	SHA1_Final(digest, &context);
	std::uint64_t first = 0;
	for (int i = 0; i < 8; ++i)
		first = (first << 8) | digest[i];
	// 15 hex digits are the first 60 bits.
	const std::uint64_t value = first >> 4;
	return static_cast<double>(value) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace PostHog
