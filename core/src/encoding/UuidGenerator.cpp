//
// UuidGenerator.cpp
//

#include "encoding/UuidGenerator.h"
#include "Poco/RandomStream.h"
#include "Poco/Timestamp.h"
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <pthread.h>

namespace PostHog
{

namespace
{

std::atomic<unsigned> forkGeneration{0};

void onFork()
{
	forkGeneration.fetch_add(1, std::memory_order_relaxed);
}

struct Xoshiro
{
	std::uint64_t s[4] = {0, 0, 0, 0};
	unsigned generation = ~0u;

	static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

	void seed()
	{
		Poco::RandomInputStream random;
		do
		{
			random.read(reinterpret_cast<char*>(s), sizeof s);
		} while ((s[0] | s[1] | s[2] | s[3]) == 0);
		generation = forkGeneration.load(std::memory_order_relaxed);
	}

	std::uint64_t next()
	{
		if (generation != forkGeneration.load(std::memory_order_relaxed))
			seed();
		std::uint64_t result = rotl(s[1] * 5, 7) * 9;
		std::uint64_t t = s[1] << 17;
		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= t;
		s[3] = rotl(s[3], 45);
		return result;
	}
};

// initial-exec: an access is one %fs-relative load instead of calls to __tls_get_addr on every
// capture(). 40 bytes of static TLS, which a dlopen()ed copy of the library also finds in glibc's
// reserve.
thread_local Xoshiro generator __attribute__((tls_model("initial-exec")));

int hexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

} // namespace

Poco::UUID UuidGenerator::next()
{
	return next(Poco::Timestamp());
}

Poco::UUID UuidGenerator::next(const Poco::Timestamp& now)
{
	static std::once_flag atforkOnce;
	std::call_once(atforkOnce, [] { pthread_atfork(nullptr, nullptr, onFork); });

	std::uint64_t ms = static_cast<std::uint64_t>(now.epochMicroseconds() / 1000);
	Xoshiro& g = generator; // one thread-local lookup
	std::uint64_t r1 = g.next();
	std::uint64_t r2 = g.next();
	unsigned char b[16];
	b[0] = static_cast<unsigned char>(ms >> 40);
	b[1] = static_cast<unsigned char>(ms >> 32);
	b[2] = static_cast<unsigned char>(ms >> 24);
	b[3] = static_cast<unsigned char>(ms >> 16);
	b[4] = static_cast<unsigned char>(ms >> 8);
	b[5] = static_cast<unsigned char>(ms);
	b[6] = static_cast<unsigned char>(0x70 | ((r1 >> 8) & 0x0F));
	b[7] = static_cast<unsigned char>(r1);
	b[8] = static_cast<unsigned char>(0x80 | ((r2 >> 56) & 0x3F));
	for (int i = 9; i < 16; ++i)
		b[i] = static_cast<unsigned char>(r2 >> (8 * (15 - i)));
	Poco::UUID uuid;
	uuid.copyFrom(reinterpret_cast<const char*>(b));
	return uuid;
}

namespace
{

struct HexPairs
/// "00".."ff": one 2-byte copy per uuid byte.
{
	char text[512];
	HexPairs()
	{
		static const char hex[] = "0123456789abcdef";
		for (int i = 0; i < 256; ++i)
		{
			text[2 * i] = hex[i >> 4];
			text[2 * i + 1] = hex[i & 15];
		}
	}
};
const HexPairs hexPairs;

} // namespace

std::string UuidGenerator::toString(const Poco::UUID& uuid)
{
	// Formatted on the stack, a byte pair at a time, and copied once, rather than written into a
	// std::string through operator[] a digit at a time (docs/performance.md).
	unsigned char b[16];
	uuid.copyTo(reinterpret_cast<char*>(b));
	char text[36];
	char* o = text;
	for (int i = 0; i < 16; ++i)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		std::memcpy(o, hexPairs.text + 2 * b[i], 2);
		o += 2;
	}
	return std::string(text, sizeof text);
}

bool UuidGenerator::parse(const std::string& text, Poco::UUID& uuid)
{
	if (text.size() != 36)
		return false;
	unsigned char b[16];
	std::size_t i = 0;
	for (int byte = 0; byte < 16; ++byte)
	{
		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (text[i] != '-')
				return false;
			++i;
		}
		int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[byte] = static_cast<unsigned char>(hi << 4 | lo);
		i += 2;
	}
	uuid.copyFrom(reinterpret_cast<const char*>(b));
	return true;
}

} // namespace PostHog
