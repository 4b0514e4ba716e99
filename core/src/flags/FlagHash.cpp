//
// FlagHash.cpp
//

#include "flags/FlagHash.h"
#include <cstdint>
#include <memory>
#include <openssl/evp.h>

namespace PostHog
{

namespace
{

const EVP_MD* sha1()
{
	// Fetched once: OpenSSL 3's one-shot SHA1() looks the algorithm up on every call.
	static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
	return md;
}

struct ContextDeleter
{
	void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

} // namespace

double FlagHash::hash(std::string_view prefix, std::string_view bucketingValue, std::string_view salt)
{
	// OpenSSL's SHA-1 rather than Poco::SHA1Engine: a benchmark showed Poco's engine to be the
	// bottleneck of local evaluation (see docs/performance.md). One digest context per thread,
	// reused, so hashing takes no lock and allocates nothing after the first call.
	thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	EVP_DigestInit_ex(context.get(), sha1(), nullptr);
	EVP_DigestUpdate(context.get(), prefix.data(), prefix.size());
	EVP_DigestUpdate(context.get(), bucketingValue.data(), bucketingValue.size());
	EVP_DigestUpdate(context.get(), salt.data(), salt.size());
	EVP_DigestFinal_ex(context.get(), digest, &length);
	std::uint64_t first = 0;
	for (int i = 0; i < 8; ++i)
		first = (first << 8) | digest[i];
	// 15 hex digits are the first 60 bits.
	const std::uint64_t value = first >> 4;
	return static_cast<double>(value) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace PostHog
