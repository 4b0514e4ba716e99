//
// SpoolRecordTest.cpp
//
// The spool record codec, the acknowledgement journal and the in-flight ranges.
//

#include "delivery/SpoolRecord.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "delivery/AckJournal.h"
#include "delivery/InflightRanges.h"
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>

using namespace PostHog;

namespace
{

std::string segmentOf(const std::vector<std::string>& records)
{
	std::string out(SpoolRecord::kMagic, SpoolRecord::kMagicBytes);
	for (const auto& r : records)
		SpoolRecord::encode(out, r.data(), r.size());
	return out;
}

} // namespace

class SpoolRecordTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpoolRecordTest);
	CPPUNIT_TEST(testEncodeThenCheck);
	CPPUNIT_TEST(testDamageIsNamed);
	CPPUNIT_TEST(testResyncFindsTheNextRecord);
	CPPUNIT_TEST(testAckJournalRoundTripMergesAndIgnoresTornEntries);
	CPPUNIT_TEST(testInflightRanges);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEncodeThenCheck()
	{
		std::string seg = segmentOf({"{\"a\":1}", "{\"b\":22}"});
		CPPUNIT_ASSERT(SpoolRecord::hasMagic(seg.data(), seg.size()));
		CPPUNIT_ASSERT(!SpoolRecord::hasMagic("PHSPOOL", 7));
		std::size_t off = SpoolRecord::kMagicBytes;
		std::uint32_t length;
		CPPUNIT_ASSERT(SpoolRecord::check(&seg[off], seg.size() - off, length) == SpoolRecord::Check::Ok);
		CPPUNIT_ASSERT_EQUAL(std::uint32_t(7), length);
		CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":1}"), seg.substr(off + SpoolRecord::kHeaderBytes, length));
		off += SpoolRecord::size(length);
		CPPUNIT_ASSERT(SpoolRecord::check(&seg[off], seg.size() - off, length) == SpoolRecord::Check::Ok);
		CPPUNIT_ASSERT_EQUAL(seg.size(), off + SpoolRecord::size(length));
		// Little endian length, then the CRC32 of the bytes.
		CPPUNIT_ASSERT_EQUAL(7, static_cast<int>(seg[SpoolRecord::kMagicBytes]));
		CPPUNIT_ASSERT_EQUAL(SpoolRecord::crc32("{\"a\":1}", 7), SpoolRecord::getU32(&seg[12]));
	}

	void testDamageIsNamed()
	{
		std::string seg = segmentOf({"{\"a\":1}"});
		const char* rec = seg.data() + SpoolRecord::kMagicBytes;
		std::size_t n = seg.size() - SpoolRecord::kMagicBytes;
		std::uint32_t length;
		CPPUNIT_ASSERT(SpoolRecord::check(rec, 5, length) == SpoolRecord::Check::TornHeader);
		CPPUNIT_ASSERT(SpoolRecord::check(rec, n - 1, length) == SpoolRecord::Check::Torn);
		CPPUNIT_ASSERT(SpoolRecord::describe(SpoolRecord::Check::Torn, length, n - 1)
		                   .find("7 bytes announced, 6 present") != std::string::npos);
		std::string flipped = seg;
		flipped[SpoolRecord::kMagicBytes + 10] ^= 0x20;
		CPPUNIT_ASSERT(SpoolRecord::check(flipped.data() + 8, n, length) == SpoolRecord::Check::BadChecksum);
		std::string zero = seg;
		zero.replace(8, 4, std::string(4, '\0'));
		CPPUNIT_ASSERT(SpoolRecord::check(zero.data() + 8, n, length) == SpoolRecord::Check::BadLength);
	}

	void testResyncFindsTheNextRecord()
	{
		std::vector<std::string> records = {"{\"r\":0}", "{\"r\":1,\"pad\":\"xxxxxxxx\"}", "{\"r\":2}"};
		std::string seg = segmentOf(records);
		std::size_t second = SpoolRecord::kMagicBytes + SpoolRecord::size(records[0].size());
		std::size_t third = second + SpoolRecord::size(records[1].size());
		// Damage anywhere in record 1: the next valid record found is record 2.
		for (std::size_t at = second; at < third; ++at)
		{
			std::string damaged = seg;
			damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
			CPPUNIT_ASSERT_EQUAL(third, SpoolRecord::resync(damaged.data(), damaged.size(), second + 1));
		}
		CPPUNIT_ASSERT_EQUAL(second,
		                     SpoolRecord::resync(seg.data(), seg.size(), SpoolRecord::kMagicBytes + 1));
		CPPUNIT_ASSERT_EQUAL(seg.size(), SpoolRecord::resync(seg.data(), seg.size(), third + 1));
	}

	void testAckJournalRoundTripMergesAndIgnoresTornEntries()
	{
		Poco::TemporaryFile file;
		{
			AckJournal journal(file.path());
			CPPUNIT_ASSERT(journal.append(0, 3));
			CPPUNIT_ASSERT(journal.append(3, 5));
			CPPUNIT_ASSERT(journal.append(8, 10));
			CPPUNIT_ASSERT(journal.append(9, 50)); // beyond the segment's 20 records: ignored
		}
		{
			std::ofstream out(file.path(), std::ios::binary | std::ios::app);
			out.write("\x0a\x00\x00\x00\x0c", 5); // a torn entry
		}
		auto ranges = AckJournal::load(file.path(), 20);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), ranges.size());
		CPPUNIT_ASSERT(ranges[0] == AckJournal::Range(0, 5));
		CPPUNIT_ASSERT(ranges[1] == AckJournal::Range(8, 10));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), AckJournal::count(ranges));
		CPPUNIT_ASSERT(AckJournal::contains(ranges, 4));
		CPPUNIT_ASSERT(!AckJournal::contains(ranges, 5));
		CPPUNIT_ASSERT(AckJournal::contains(ranges, 9));
		CPPUNIT_ASSERT(AckJournal::load(file.path() + ".missing", 20).empty());
		AckJournal(file.path()).remove();
		CPPUNIT_ASSERT(!Poco::File(file.path()).exists());
	}

	void testInflightRanges()
	{
		InflightRanges r;
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(42), r.lowest(42));
		r.add(10, 20);
		r.add(30, 40);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), r.lowest(42));
		CPPUNIT_ASSERT(r.overlaps(15, 16));
		CPPUNIT_ASSERT(!r.overlaps(20, 30));
		CPPUNIT_ASSERT(r.overlaps(0, 11));
		r.remove(15, 20); // the second half of a split batch resolves first
		CPPUNIT_ASSERT(!r.overlaps(15, 20));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), r.lowest(42));
		r.remove(10, 15);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(30), r.lowest(42));
		r.remove(30, 40);
		CPPUNIT_ASSERT(r.empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpoolRecordTest);
