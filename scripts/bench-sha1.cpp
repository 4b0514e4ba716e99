// bench-sha1.cpp: CPU time of one flag-bucketing SHA-1 ("<key>.<distinct id>") through
// Poco::SHA1Engine, OpenSSL's one-shot SHA1(), OpenSSL's SHA1_Init/Update/Final, and one block
// padded by the caller and hashed with SHA1_Transform (what core/src/flags/FlagHash.cpp does for
// inputs of up to 55 bytes); the best of 5 rounds of 2,000,000 hashes. See docs/performance.md (Feature
// flags).
//
//     g++ -O2 -std=c++17 scripts/bench-sha1.cpp -o /tmp/bench-sha1 -lPocoFoundation -lcrypto &&
//     /tmp/bench-sha1
//
#define OPENSSL_SUPPRESS_DEPRECATED
#include "Poco/SHA1Engine.h"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string>
static double cpu()
{
	timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}
int main()
{
	const int n = 2000000;
	std::string prefix = "beta-feature-42.", salt = "";
	std::string ids[16];
	for (int i = 0; i < 16; ++i)
		ids[i] = "user-" + std::to_string(100000 + i);
	unsigned sink = 0;
	double best[4] = {1e9, 1e9, 1e9, 1e9};
	for (int round = 0; round < 5; ++round)
	{
		Poco::SHA1Engine engine;
		double t = cpu();
		for (int i = 0; i < n; ++i)
		{
			const std::string& v = ids[i & 15];
			engine.update(prefix.data(), prefix.size());
			engine.update(v.data(), v.size());
			sink += engine.digest()[0];
		}
		best[0] = std::min(best[0], (cpu() - t) / n * 1e9);
		t = cpu();
		for (int i = 0; i < n; ++i)
		{
			const std::string& v = ids[i & 15];
			std::string in = prefix + v + salt;
			unsigned char d[20];
			SHA1((const unsigned char*)in.data(), in.size(), d);
			sink += d[0];
		}
		best[1] = std::min(best[1], (cpu() - t) / n * 1e9);
		t = cpu();
		for (int i = 0; i < n; ++i)
		{
			const std::string& v = ids[i & 15];
			SHA_CTX c;
			unsigned char d[20];
			SHA1_Init(&c);
			SHA1_Update(&c, prefix.data(), prefix.size());
			SHA1_Update(&c, v.data(), v.size());
			SHA1_Update(&c, salt.data(), salt.size());
			SHA1_Final(d, &c);
			sink += d[0];
		}
		best[2] = std::min(best[2], (cpu() - t) / n * 1e9);
		t = cpu();
		for (int i = 0; i < n; ++i)
		{
			const std::string& v = ids[i & 15];
			const std::size_t length = prefix.size() + v.size() + salt.size();
			unsigned char block[SHA_CBLOCK] = {};
			std::memcpy(block, prefix.data(), prefix.size());
			std::memcpy(block + prefix.size(), v.data(), v.size());
			std::memcpy(block + prefix.size() + v.size(), salt.data(), salt.size());
			block[length] = 0x80;
			const std::uint64_t bits = static_cast<std::uint64_t>(length) * 8;
			for (int b = 0; b < 8; ++b)
				block[SHA_CBLOCK - 1 - b] = static_cast<unsigned char>(bits >> (8 * b));
			SHA_CTX c;
			SHA1_Init(&c);
			SHA1_Transform(&c, block);
			sink += c.h0 >> 24;
		}
		best[3] = std::min(best[3], (cpu() - t) / n * 1e9);
	}
	std::printf("Poco::SHA1Engine %.1f ns, OpenSSL SHA1() one-shot %.1f ns, OpenSSL SHA1_Init/Update/Final "
	            "%.1f ns, one padded block through SHA1_Transform %.1f ns (sink %u)\n",
	            best[0], best[1], best[2], best[3], sink);
}
