//
// UuidGenerator.cpp
//

#include "encoding/UuidGenerator.h"
#include "Poco/RandomStream.h"
#include "Poco/Timestamp.h"
#include <atomic>
#include <cstdint>
#include <cstring>
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

// initial-exec: an access is one %fs-relative load instead of a call to __tls_get_addr. 40 bytes
// of static TLS, which a dlopen()ed copy of the library also finds in glibc's reserve.
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
	Poco::UUID uuid;
	next(now, uuid);
	return uuid;
}

void UuidGenerator::next(const Poco::Timestamp& now, Poco::UUID& uuid)
{
	// A function-local static, not std::call_once: its guard is one load on every later call,
	// where call_once reaches libstdc++'s thread-local state through __tls_get_addr.
	static const bool atforkRegistered = (pthread_atfork(nullptr, nullptr, onFork), true);
	static_cast<void>(atforkRegistered);
	std::uint64_t ms = static_cast<std::uint64_t>(now.epochMicroseconds() / 1000);
	Xoshiro& g = generator; // one thread-local lookup
	std::uint64_t r1 = g.next();
	std::uint64_t r2 = g.next();
	// 48 bits of milliseconds, version 7, 12 random bits; variant 10, 62 random bits.
	std::uint64_t high = __builtin_bswap64((ms << 16) | 0x7000u | (r1 & 0x0FFFu));
	std::uint64_t low = __builtin_bswap64((r2 & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull);
	char b[16];
	std::memcpy(b, &high, 8);
	std::memcpy(b + 8, &low, 8);
	uuid.copyFrom(b);
}

namespace
{

// The 8 hex digits of a 32-bit value at out, eight nibbles at once: each nibble is spread into a
// byte of its own, then turned into '0'..'9' or 'a'..'f' by adding '0', and 39 more where it is
// over 9 (n + 6 carries into bit 4 exactly for n >= 10).
[[maybe_unused]] inline void hex32(std::uint32_t value, char* out)
{
	std::uint64_t x = value;
	x = ((x & 0xFFFF0000ull) << 16) | (x & 0x0000FFFFull);
	x = ((x & 0x0000FF000000FF00ull) << 8) | (x & 0x000000FF000000FFull);
	x = ((x & 0x00F000F000F000F0ull) << 4) | (x & 0x000F000F000F000Full);
	std::uint64_t over9 = ((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
	x += 0x3030303030303030ull + over9 * 39;
	x = __builtin_bswap64(x); // the most significant digit first
	std::memcpy(out, &x, 8);
}

inline void hexDigits(const unsigned char* bytes, char* hex)
/// The 32 hex digits of 16 bytes.
{
#ifdef __SSE2__
	// All 32 digits at once: the high and low nibbles interleaved into 32 bytes, then '0' added,
	// and 39 more to the nibbles over 9.
	const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
	const __m128i nibble = _mm_set1_epi8(0x0F);
	const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
	const __m128i low = _mm_and_si128(v, nibble);
	__m128i first = _mm_unpacklo_epi8(high, low);
	__m128i second = _mm_unpackhi_epi8(high, low);
	const __m128i nine = _mm_set1_epi8(9);
	const __m128i zero = _mm_set1_epi8('0');
	const __m128i letters = _mm_set1_epi8('a' - '0' - 10);
	first = _mm_add_epi8(_mm_add_epi8(first, zero), _mm_and_si128(_mm_cmpgt_epi8(first, nine), letters));
	second = _mm_add_epi8(_mm_add_epi8(second, zero), _mm_and_si128(_mm_cmpgt_epi8(second, nine), letters));
	_mm_storeu_si128(reinterpret_cast<__m128i*>(hex), first);
	_mm_storeu_si128(reinterpret_cast<__m128i*>(hex + 16), second);
#else
	for (int i = 0; i < 4; ++i)
	{
		std::uint32_t word;
		std::memcpy(&word, bytes + 4 * i, 4);
		hex32(__builtin_bswap32(word), hex + 8 * i); // the bytes in order: big-endian
	}
#endif
}

inline void formatUuid(const Poco::UUID& uuid, char* text)
{
	unsigned char b[16];
	uuid.copyTo(reinterpret_cast<char*>(b));
	char hex[32];
	hexDigits(b, hex);
	std::memcpy(text, hex, 8);
	text[8] = '-';
	std::memcpy(text + 9, hex + 8, 4);
	text[13] = '-';
	std::memcpy(text + 14, hex + 12, 4);
	text[18] = '-';
	std::memcpy(text + 19, hex + 16, 4);
	text[23] = '-';
	std::memcpy(text + 24, hex + 20, 12);
}

} // namespace

void UuidGenerator::format(const Poco::UUID& uuid, char* text)
{
	formatUuid(uuid, text);
}

std::string UuidGenerator::toString(const Poco::UUID& uuid)
{
	// Formatted on the stack and copied once, into one allocation of the exact size.
	char text[36];
	formatUuid(uuid, text);
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
