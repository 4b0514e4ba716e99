//
// SpoolRecord.h
//
// The on-disk layout of spool segments and their records.
//

#ifndef PostHog_SpoolRecord_INCLUDED
#define PostHog_SpoolRecord_INCLUDED

#include <cstddef>
#include <cstdint>
#include <string>

namespace PostHog
{

class SpoolRecord
/// The codec of a spool segment: an 8-byte magic "PHSPOOL1", then records, each
/// `u32 length | u32 CRC32 of the bytes | bytes` (little endian), the bytes being one event's JSON
/// object. Writing (Spool::append), scanning at open and reading back (Spool::readBatch) all go
/// through check(), so they agree on where every record starts. After damage, resync() finds the
/// next offset where a whole valid record starts (a plausible length, a JSON object and a matching
/// checksum), so a torn or corrupt record costs that record, not the rest of the segment.
/// Stateless; all functions are static.
{
public:
	static constexpr char kMagic[] = "PHSPOOL1";
	static constexpr std::size_t kMagicBytes = 8;  /// at offset 0 of every segment
	static constexpr std::size_t kHeaderBytes = 8; /// before each record's bytes
	static constexpr std::uint32_t kMaxRecord = 2 * 1024 * 1024;

	enum class Check
	{
		Ok,
		TornHeader, /// fewer than kHeaderBytes left
		BadLength,  /// 0 or over kMaxRecord
		Torn,       /// the length runs past the end of the data
		BadChecksum /// the CRC32 does not match
	};

	static void encode(std::string& out, const char* data, std::size_t length);
	/// Appends one record.

	static std::size_t size(std::size_t length) { return kHeaderBytes + length; }

	static Check check(const char* at, std::size_t available, std::uint32_t& length);
	/// Checks the record at `at` with `available` bytes after it; length is set whenever it
	/// could be read.

	static std::string describe(Check check, std::uint32_t length, std::size_t available);
	/// "a torn record (40 bytes announced, 12 present)" etc., for warnings.

	static std::size_t resync(const char* data, std::size_t size, std::size_t from);
	/// The first offset >= from where a valid record starts; size when there is none.

	static bool hasMagic(const char* data, std::size_t size);
	/// True when data starts with kMagic.

	static void putU32(std::string& out, std::uint32_t value);
	static std::uint32_t getU32(const char* at);
	static std::uint32_t crc32(const char* data, std::size_t length);
};

} // namespace PostHog

#endif // PostHog_SpoolRecord_INCLUDED
