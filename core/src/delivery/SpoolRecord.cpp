//
// SpoolRecord.cpp
//

#include "delivery/SpoolRecord.h"
#include "Poco/Checksum.h"
#include <cstring>

namespace PostHog
{

constexpr char SpoolRecord::kMagic[];

void SpoolRecord::putU32(std::string& out, std::uint32_t v)
{
	char b[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
	             static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
	out.append(b, 4);
}

std::uint32_t SpoolRecord::getU32(const char* p)
{
	const auto* u = reinterpret_cast<const unsigned char*>(p);
	return static_cast<std::uint32_t>(u[0]) | (static_cast<std::uint32_t>(u[1]) << 8) |
	       (static_cast<std::uint32_t>(u[2]) << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

std::uint32_t SpoolRecord::crc32(const char* data, std::size_t length)
{
	Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
	crc.update(data, static_cast<unsigned>(length));
	return crc.checksum();
}

void SpoolRecord::encode(std::string& out, const char* data, std::size_t length)
{
	putU32(out, static_cast<std::uint32_t>(length));
	putU32(out, crc32(data, length));
	out.append(data, length);
}

bool SpoolRecord::hasMagic(const char* data, std::size_t size)
{
	return size >= kMagicBytes && std::memcmp(data, kMagic, kMagicBytes) == 0;
}

SpoolRecord::Check SpoolRecord::check(const char* at, std::size_t available, std::uint32_t& length)
{
	length = 0;
	if (available < kHeaderBytes)
		return Check::TornHeader;
	length = getU32(at);
	if (length == 0 || length > kMaxRecord)
		return Check::BadLength;
	if (available - kHeaderBytes < length)
		return Check::Torn;
	if (crc32(at + kHeaderBytes, length) != getU32(at + 4))
		return Check::BadChecksum;
	return Check::Ok;
}

std::string SpoolRecord::describe(Check check, std::uint32_t length, std::size_t available)
{
	switch (check)
	{
	case Check::Ok:
		return "a valid record";
	case Check::TornHeader:
		return "a torn record header";
	case Check::BadLength:
		return "a corrupt record length (" + std::to_string(length) + ")";
	case Check::Torn:
		return "a torn record (" + std::to_string(length) + " bytes announced, " +
		       std::to_string(available < kHeaderBytes ? 0 : available - kHeaderBytes) + " present)";
	case Check::BadChecksum:
		break;
	}
	return "a record whose CRC32 does not match";
}

std::size_t SpoolRecord::resync(const char* data, std::size_t size, std::size_t from)
{
	for (std::size_t off = from; off + kHeaderBytes < size; ++off)
	{
		// A record's bytes start with '{': look only where that is so before checksumming.
		if (data[off + kHeaderBytes] != '{')
			continue;
		std::uint32_t length;
		if (check(data + off, size - off, length) == Check::Ok &&
		    data[off + kHeaderBytes + length - 1] == '}')
			return off;
	}
	return size;
}

} // namespace PostHog
