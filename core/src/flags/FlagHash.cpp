//
// FlagHash.cpp
//

// OpenSSL 3 marks the low-level SHA1_* functions deprecated in favour of EVP, but EVP takes a
// library read lock and goes through the provider on every digest; the low-level functions hash
// with the same assembly and no lock. They remain in every OpenSSL 3 release.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "flags/FlagHash.h"
#include <cstdint>
#include <cstring>
#include <openssl/sha.h>

namespace PostHog
{

namespace
{

/// The first 64 bits of SHA-1(prefix + bucketing value + salt) when the input fits one block
/// (at most 55 bytes): the block is padded here as SHA-1 pads it (0x80, zeros, the length in
/// bits, big-endian) and OpenSSL's block function hashes it on a stack state. This skips the
/// buffering, padding and cleansing of SHA1_Update/SHA1_Final, most of the cost of hashing an
/// input this short (see scripts/bench-sha1.cpp).
bool hashOneBlock(std::string_view prefix, std::string_view value, std::string_view salt,
                  std::uint64_t& first)
{
	const std::size_t length = prefix.size() + value.size() + salt.size();
	if (length > 55)
		return false;
	unsigned char block[SHA_CBLOCK] = {};
	std::memcpy(block, prefix.data(), prefix.size());
	std::memcpy(block + prefix.size(), value.data(), value.size());
	std::memcpy(block + prefix.size() + value.size(), salt.data(), salt.size());
	block[length] = 0x80;
	const std::uint64_t bits = static_cast<std::uint64_t>(length) * 8;
	for (int i = 0; i < 8; ++i)
		block[SHA_CBLOCK - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
	SHA_CTX context;
	SHA1_Init(&context);
	SHA1_Transform(&context, block);
	first = (static_cast<std::uint64_t>(context.h0) << 32) | context.h1;
	return true;
}

std::uint64_t hashAny(std::string_view prefix, std::string_view value, std::string_view salt)
{
	SHA_CTX context;
	unsigned char digest[SHA_DIGEST_LENGTH];
	SHA1_Init(&context);
	SHA1_Update(&context, prefix.data(), prefix.size());
	SHA1_Update(&context, value.data(), value.size());
	SHA1_Update(&context, salt.data(), salt.size());
	SHA1_Final(digest, &context);
	std::uint64_t first = 0;
	for (int i = 0; i < 8; ++i)
		first = (first << 8) | digest[i];
	return first;
}

} // namespace

double FlagHash::hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt)
{
	// OpenSSL's SHA-1 rather than Poco::SHA1Engine: a benchmark showed Poco's engine to be the
	// bottleneck of local evaluation (see docs/performance.md). The state lives on the stack, so
	// hashing takes no lock and allocates nothing.
	std::uint64_t first = 0;
	if (!hashOneBlock(prefix, bucketingValue, salt, first))
		first = hashAny(prefix, bucketingValue, salt);
	// 15 hex digits are the first 60 bits.
	const std::uint64_t value = first >> 4;
	return static_cast<double>(value) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace PostHog
