//
// SpoolDamageTest.cpp
//
// Segments damaged at random offsets (a byte flipped, the file truncated) still replay every
// record the damage did not touch, in order; copies of an fsync=interval spool taken at random
// moments while it is written (a power cut) each replay a prefix of what was written.
//

#include "FaultSupport.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/Logger.h"
#include "Poco/Random.h"
#include "StorageFaultSupport.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include "delivery/Spool.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::string record(int i)
{
	return "{\"uuid\":\"r" + std::to_string(i) + "\",\"pad\":\"" +
	       std::string(static_cast<std::size_t>(40 + i % 50), 'p') + "\"}";
}

struct Opened
{
	explicit Opened(const std::string& path, Spool::FsyncPolicy fsync = Spool::FsyncPolicy::Batch)
	{
		Spool::Options o;
		o.path = path;
		o.maxBytes = 64 << 20;
		o.segmentBytes = 1 << 20;
		o.fsync = fsync;
		o.fsyncInterval = Poco::Timespan(5 * 1000);
		spool.reset(new Spool(o, reporter, counters));
	}

	std::vector<std::string> readAll()
	{
		std::vector<std::string> out;
		Batch b;
		while (spool->readBatch(b, 1000, 10 * 1024 * 1024))
		{
			for (std::size_t i = 0; i < b.count(); ++i)
				out.push_back(b.eventAt(i));
			spool->ack(b);
			b = Batch();
		}
		return out;
	}

	Errors errors;
	ClientCounters counters;
	Reporter reporter{Poco::Logger::get("SpoolDamageTest"), errors.callback(), "phc_key"};
	std::unique_ptr<Spool> spool;
};

std::string readBytes(const std::string& path)
{
	std::ifstream in(path, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeBytes(const std::string& path, const std::string& data)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

void copySegments(const std::string& from, const std::string& to)
{
	Poco::File(to).createDirectories();
	for (Poco::DirectoryIterator it(from), end; it != end; ++it)
		if (it.name().compare(0, 4, "seg-") == 0)
			writeBytes(Poco::Path(to, it.name()).toString(), readBytes(it.path().toString()));
}

} // namespace

class SpoolDamageTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpoolDamageTest);
	CPPUNIT_TEST(testBitFlipsCostOneRecord);
	CPPUNIT_TEST(testTruncationKeepsEveryWholeRecord);
	CPPUNIT_TEST(testUnreadableSegmentMovedAside);
	CPPUNIT_TEST(testPowerCutWithIntervalFsyncReplaysAPrefix);
	CPPUNIT_TEST_SUITE_END();

public:
	void testBitFlipsCostOneRecord()
	{
		const int n = 200;
		TempDir dir(TempDir::PathOnly);
		std::string segment = writeSegment(dir.file("clean"), n);
		std::string clean = readBytes(segment);
		Poco::Random random;
		random.seed(20261207);
		for (int round = 0; round < 25; ++round)
		{
			std::size_t at = 8 + random.next(static_cast<Poco::UInt32>(clean.size() - 8));
			std::string damaged = clean;
			damaged[at] = static_cast<char>(damaged[at] ^ (1 << random.next(8)));
			std::string copy = dir.file("flip" + std::to_string(round));
			Poco::File(copy).createDirectories();
			writeBytes(Poco::Path(copy, Poco::Path(segment).getFileName()).toString(), damaged);
			Opened opened(copy);
			auto records = opened.readAll();
			std::string context = "flip at offset " + std::to_string(at) + ": " + opened.errors.text();
			CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::size_t(n - 1), records.size());
			CPPUNIT_ASSERT_MESSAGE(context, opened.errors.mentions("at offset"));
			std::size_t k = 0;
			for (int i = 0; i < n && k < records.size(); ++i)
				if (records[k] == record(i))
					++k;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(context, records.size(), k); // in order, nothing invented
		}
	}

	void testTruncationKeepsEveryWholeRecord()
	{
		const int n = 200;
		TempDir dir(TempDir::PathOnly);
		std::string segment = writeSegment(dir.file("clean"), n);
		std::string clean = readBytes(segment);
		Poco::Random random;
		random.seed(7);
		for (int round = 0; round < 15; ++round)
		{
			std::size_t cut = 8 + random.next(static_cast<Poco::UInt32>(clean.size() - 8));
			std::size_t whole = 0, end = 8;
			while (whole < static_cast<std::size_t>(n) &&
			       end + 8 + record(static_cast<int>(whole)).size() <= cut)
				end += 8 + record(static_cast<int>(whole++)).size();
			std::string copy = dir.file("cut" + std::to_string(round));
			Poco::File(copy).createDirectories();
			writeBytes(Poco::Path(copy, Poco::Path(segment).getFileName()).toString(), clean.substr(0, cut));
			Opened opened(copy);
			auto records = opened.readAll();
			CPPUNIT_ASSERT_EQUAL_MESSAGE("cut at " + std::to_string(cut), whole, records.size());
			for (std::size_t i = 0; i < records.size(); ++i)
				CPPUNIT_ASSERT_EQUAL(record(static_cast<int>(i)), records[i]);
		}
	}

	void testUnreadableSegmentMovedAside()
	{
		TempDir dir(TempDir::PathOnly);
		Poco::File(dir.path()).createDirectories();
		std::string junk = Poco::Path(dir.path(), "seg-0000000000000001.log").toString();
		writeBytes(junk, "PHSPOOLX not a segment at all");
		Opened opened(dir.path());
		CPPUNIT_ASSERT(!Poco::File(junk).exists());
		CPPUNIT_ASSERT(Poco::File(junk + ".corrupt").exists());
		CPPUNIT_ASSERT(opened.errors.mentions(".corrupt"));
	}

	void testPowerCutWithIntervalFsyncReplaysAPrefix()
	{
		TempDir dir(TempDir::PathOnly);
		const int n = 3000;
		std::atomic<bool> done{false};
		{
			Opened writer(dir.file("live"), Spool::FsyncPolicy::Interval);
			std::thread append(
			    [&]
			    {
				    for (int i = 0; i < n; ++i)
				    {
					    std::string r = record(i);
					    Spool::Position after;
					    writer.spool->append(r.data(), r.size(), after);
					    if (i % 7 == 0)
						    writer.spool->commit();
				    }
				    writer.spool->commit();
				    done = true;
			    });
			Poco::Random random;
			random.seed(42);
			for (int copy = 0; copy < 12 && !done; ++copy)
			{
				std::this_thread::sleep_for(std::chrono::microseconds(random.next(4000)));
				copySegments(dir.file("live"), dir.file("cut" + std::to_string(copy)));
			}
			append.join();
		}
		for (int copy = 0; copy < 12; ++copy)
		{
			if (!Poco::File(dir.file("cut" + std::to_string(copy))).exists())
				continue;
			Opened opened(dir.file("cut" + std::to_string(copy)));
			auto records = opened.readAll();
			for (std::size_t i = 0; i < records.size(); ++i)
				CPPUNIT_ASSERT_EQUAL_MESSAGE("copy " + std::to_string(copy), record(static_cast<int>(i)),
				                             records[i]);
		}
	}

private:
	std::string writeSegment(const std::string& path, int n)
	{
		{
			Opened opened(path);
			for (int i = 0; i < n; ++i)
			{
				std::string r = record(i);
				Spool::Position after;
				CPPUNIT_ASSERT(opened.spool->append(r.data(), r.size(), after));
			}
			opened.spool->commit();
		}
		for (Poco::DirectoryIterator it(path), end; it != end; ++it)
			if (it.name().size() > 4 && it.name().compare(it.name().size() - 4, 4, ".log") == 0)
				return it.path().toString();
		CPPUNIT_FAIL("no segment was written");
		return std::string();
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpoolDamageTest);
