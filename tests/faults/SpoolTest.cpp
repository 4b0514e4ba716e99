//
// SpoolTest.cpp
//
// The Spool on real files: records round-trip and replay, torn and corrupt tails, acknowledged
// segments deleted, the acknowledgement journal, permissions, the directory lock, maxBytes
// policies, and the posthog.spool.* configuration keys.
//

#include "delivery/Spool.h"
#include "FaultSupport.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/Logger.h"
#include "Poco/Runnable.h"
#include "Poco/Thread.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Exceptions.h"
#include "client/ClientCounters.h"
#include "client/Reporter.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

struct Fixture
{
	Errors errors;
	ClientCounters counters;
	Reporter reporter{Poco::Logger::get("SpoolTest"), errors.callback(), "phc_key"};
};

std::string record(int i)
{
	return "{\"uuid\":\"r" + std::to_string(i) + "\",\"pad\":\"" + std::string(100, 'p') + "\"}";
}

Batch appendBatch(Spool& spool, int from, int to)
/// Appends records from..to-1 as one batch the way BatchingSink does.
{
	Batch b;
	for (int i = from; i < to; ++i)
	{
		std::string r = record(i);
		Spool::Position after;
		CPPUNIT_ASSERT(spool.append(r.data(), r.size(), after));
		if (!b.empty())
			b.events.push_back(',');
		b.offsets.push_back(static_cast<std::uint32_t>(b.events.size()));
		b.events += r;
		if (b.count() == 1)
			b.spoolFirst = after.rn - 1;
		b.spooled = true;
		b.spoolEnd = after.rn;
		b.spoolSegment = after.segment;
		b.spoolOffset = after.offset;
	}
	return b;
}

std::vector<std::string> segments(const std::string& dir, const std::string& ext = ".log")
{
	std::vector<std::string> out;
	for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
	{
		if (it.name().size() > ext.size() &&
		    it.name().compare(it.name().size() - ext.size(), ext.size(), ext) == 0)
			out.push_back(it.path().toString());
	}
	std::sort(out.begin(), out.end());
	return out;
}

std::vector<std::string> readAll(Spool& spool)
{
	std::vector<std::string> out;
	Batch b;
	while (spool.readBatch(b, 1000, 10 * 1024 * 1024))
	{
		for (std::size_t i = 0; i < b.count(); ++i)
			out.push_back(b.eventAt(i));
		b = Batch();
	}
	return out;
}

Spool::Options opts(const std::string& path)
{
	Spool::Options o;
	o.path = path;
	o.maxBytes = 1 << 20;
	o.segmentBytes = 4096;
	return o;
}

} // namespace

class SpoolTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpoolTest);
	CPPUNIT_TEST(testReplayAfterReopen);
	CPPUNIT_TEST(testTornTailReportedAndSkipped);
	CPPUNIT_TEST(testCorruptChecksumReportedAndSkipped);
	CPPUNIT_TEST(testForeignFileIgnored);
	CPPUNIT_TEST(testAckedSegmentsDeleted);
	CPPUNIT_TEST(testAckJournalSurvivesRestart);
	CPPUNIT_TEST(testOwnerOnlyPermissions);
	CPPUNIT_TEST(testSecondOpenerGetsOneSentence);
	CPPUNIT_TEST(testMaxBytesDropNewest);
	CPPUNIT_TEST(testMaxBytesDropOldest);
	CPPUNIT_TEST(testMaxBytesBlockWaitsForAcknowledgements);
	CPPUNIT_TEST(testHandOffFullGoesToDisk);
	CPPUNIT_TEST(testConfigurationKeys);
	CPPUNIT_TEST_SUITE_END();

public:
	void testReplayAfterReopen()
	{
		TempDir dir(TempDir::PathOnly);
		{
			Fixture f;
			Spool spool(opts(dir.path()), f.reporter, f.counters);
			appendBatch(spool, 0, 50);
			spool.commit();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), spool.spooled());
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), spool.pending());
		}
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), spool.replayed());
		auto records = readAll(spool);
		CPPUNIT_ASSERT_EQUAL(std::size_t(50), records.size());
		for (int i = 0; i < 50; ++i)
			CPPUNIT_ASSERT_EQUAL(record(i), records[i]);
		CPPUNIT_ASSERT(f.errors.all().empty());
	}

	void testTornTailReportedAndSkipped()
	{
		TempDir dir(TempDir::PathOnly);
		{
			Fixture f;
			Spool spool(opts(dir.path()), f.reporter, f.counters);
			appendBatch(spool, 0, 10);
			spool.commit();
		}
		auto files = segments(dir.path());
		CPPUNIT_ASSERT(!files.empty());
		std::string last = files.back();
		Poco::File::FileSize size = Poco::File(last).getSize();
		{
			// A record header announcing 500 bytes followed by only 3: a write cut by a crash.
			std::ofstream out(last, std::ios::binary | std::ios::app);
			const char torn[] = {static_cast<char>(0xf4), 0x01, 0, 0, 1, 2, 3, 4, 'a', 'b', 'c'};
			out.write(torn, sizeof torn);
		}
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		auto records = readAll(spool);
		std::size_t total = 0;
		for (const auto& r : records)
			total += r.size() ? 1 : 0;
		CPPUNIT_ASSERT_EQUAL(std::size_t(10), total);
		CPPUNIT_ASSERT(f.errors.mentions(last));
		CPPUNIT_ASSERT(f.errors.mentions("torn record"));
		CPPUNIT_ASSERT(f.errors.mentions("at offset " + std::to_string(size)));
	}

	void testCorruptChecksumReportedAndSkipped()
	{
		TempDir dir(TempDir::PathOnly);
		{
			Fixture f;
			Spool::Options o = opts(dir.path());
			o.segmentBytes = 1 << 20;
			Spool spool(o, f.reporter, f.counters);
			appendBatch(spool, 0, 10);
			spool.commit();
		}
		auto files = segments(dir.path());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), files.size());
		// Flip one byte inside the payload of record 4.
		std::size_t recordSize = 8 + record(0).size();
		std::size_t offset4 = Spool::kHeader + 4 * recordSize;
		{
			std::fstream io(files[0], std::ios::binary | std::ios::in | std::ios::out);
			io.seekp(static_cast<std::streamoff>(offset4 + 8 + 20));
			io.put('#');
		}
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		auto records = readAll(spool);
		// The damaged record costs itself only: reading resumes at the next valid one.
		CPPUNIT_ASSERT_EQUAL(std::size_t(9), records.size());
		CPPUNIT_ASSERT_EQUAL(record(3), records[3]);
		CPPUNIT_ASSERT_EQUAL(record(5), records[4]);
		CPPUNIT_ASSERT_EQUAL(record(9), records[8]);
		CPPUNIT_ASSERT(f.errors.mentions("CRC32"));
		CPPUNIT_ASSERT(f.errors.mentions("at offset " + std::to_string(offset4)));
	}

	void testForeignFileIgnored()
	{
		TempDir dir(TempDir::PathOnly);
		Poco::File(dir.path()).createDirectories();
		std::string junk = Poco::Path(dir.path(), "seg-0000000000000001.log").toString();
		{
			std::ofstream out(junk);
			out << "this is not a spool segment\n";
		}
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), spool.replayed());
		CPPUNIT_ASSERT(f.errors.mentions("is not a spool segment"));
		appendBatch(spool, 0, 3);
		spool.commit();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), spool.spooled());
	}

	void testAckedSegmentsDeleted()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		std::vector<Batch> batches;
		for (int b = 0; b < 10; ++b)
		{
			Batch batch = appendBatch(spool, b * 10, b * 10 + 10);
			CPPUNIT_ASSERT(spool.release(batch, true)); // claimed from memory
			batches.push_back(std::move(batch));
		}
		CPPUNIT_ASSERT(segments(dir.path()).size() >= 3); // 100 records of ~130 bytes in 4 KiB segments
		for (const auto& b : batches)
			spool.ack(b);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), spool.pending());
		CPPUNIT_ASSERT(spool.waitResolved(spool.releasedEnd(), Poco::Timespan(0)));
		CPPUNIT_ASSERT(segments(dir.path()).size() <= 1); // only the active one may stay
		spool.close();
		CPPUNIT_ASSERT(segments(dir.path()).empty());
		CPPUNIT_ASSERT(segments(dir.path(), ".ack").empty());
	}

	void testAckJournalSurvivesRestart()
	{
		TempDir dir(TempDir::PathOnly);
		{
			Fixture f;
			Spool::Options o = opts(dir.path());
			o.segmentBytes = 1 << 20;
			Spool spool(o, f.reporter, f.counters);
			Batch a = appendBatch(spool, 0, 10);
			CPPUNIT_ASSERT(spool.release(a, true));
			Batch b = appendBatch(spool, 10, 20);
			CPPUNIT_ASSERT(spool.release(b, true));
			Batch c = appendBatch(spool, 20, 30);
			CPPUNIT_ASSERT(spool.release(c, true));
			spool.ack(a);
			spool.ack(c);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), spool.pending());
			// No close(): like a kill -9, the journal alone tells the next process.
			spool.detachAfterFork();
		}
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), spool.replayed());
		auto records = readAll(spool);
		CPPUNIT_ASSERT_EQUAL(std::size_t(10), records.size());
		CPPUNIT_ASSERT_EQUAL(record(10), records[0]);
		CPPUNIT_ASSERT_EQUAL(record(19), records[9]);
	}

	void testOwnerOnlyPermissions()
	{
		TempDir dir(TempDir::PathOnly);
		std::string nested = dir.file("a/b/spool");
		Fixture f;
		Spool spool(opts(nested), f.reporter, f.counters);
		appendBatch(spool, 0, 3);
		spool.commit();
		struct stat st;
		for (const std::string& d : {dir.path(), dir.file("a"), dir.file("a/b"), nested})
		{
			CPPUNIT_ASSERT_EQUAL(0, ::stat(d.c_str(), &st));
			CPPUNIT_ASSERT_EQUAL(0700, static_cast<int>(st.st_mode & 0777));
		}
		auto files = segments(nested);
		files.push_back(Poco::Path(nested, "lock").toString());
		for (const auto& file : files)
		{
			CPPUNIT_ASSERT_EQUAL(0, ::stat(file.c_str(), &st));
			CPPUNIT_ASSERT_EQUAL(0600, static_cast<int>(st.st_mode & 0777));
		}
	}

	void testSecondOpenerGetsOneSentence()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool first(opts(dir.path()), f.reporter, f.counters);
		try
		{
			Spool second(opts(dir.path()), f.reporter, f.counters);
			CPPUNIT_FAIL("a second spool on a locked directory was opened");
		}
		catch (ConfigurationException& e)
		{
			std::string m = e.message();
			CPPUNIT_ASSERT(m.find(dir.path()) != std::string::npos);
			CPPUNIT_ASSERT(m.find("in use by another live process (pid " + std::to_string(::getpid()) +
			                      ")") != std::string::npos);
			CPPUNIT_ASSERT(m.find('\n') == std::string::npos);
		}
		first.close();
		Spool third(opts(dir.path()), f.reporter, f.counters); // released: opens
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), third.replayed());
	}

	void testMaxBytesDropNewest()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool::Options o = opts(dir.path());
		o.maxBytes = 64 * 1024;
		o.segmentBytes = 8 * 1024;
		Spool spool(o, f.reporter, f.counters);
		std::string r = record(0);
		int accepted = 0, dropped = 0;
		for (int i = 0; i < 1000; ++i)
		{
			Spool::Position after;
			if (spool.append(r.data(), r.size(), after))
				++accepted;
			else
				++dropped;
		}
		spool.commit();
		CPPUNIT_ASSERT(spool.bytes() <= o.maxBytes);
		CPPUNIT_ASSERT(dropped > 0);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(accepted), spool.spooled());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(dropped), f.counters.dropped["spool_full"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(dropped), f.errors.lostEvents());
		CPPUNIT_ASSERT(f.errors.mentions("spool at " + dir.path() + " is full"));
	}

	void testMaxBytesDropOldest()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool::Options o = opts(dir.path());
		o.maxBytes = 64 * 1024;
		o.segmentBytes = 8 * 1024;
		o.full = Spool::FullPolicy::DropOldest;
		Spool spool(o, f.reporter, f.counters);
		int n = 1000;
		for (int i = 0; i < n; ++i)
		{
			std::string r = record(i);
			Spool::Position after;
			CPPUNIT_ASSERT(spool.append(r.data(), r.size(), after)); // the new one always fits
		}
		spool.commit();
		CPPUNIT_ASSERT(spool.bytes() <= o.maxBytes);
		std::uint64_t dropped = f.counters.dropped["spool_full"];
		CPPUNIT_ASSERT(dropped > 0);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(n) - dropped, spool.pending());
		CPPUNIT_ASSERT_EQUAL(std::size_t(dropped), f.errors.lostEvents());
		// What is left is the newest records, in order, the last one included. They were never
		// released as batches, so close and reopen to read them back as a replay.
		spool.close();
		Fixture g;
		Spool again(o, g.reporter, g.counters);
		auto records = readAll(again);
		CPPUNIT_ASSERT_EQUAL(std::size_t(n - dropped), records.size());
		CPPUNIT_ASSERT_EQUAL(record(n - 1), records.back());
		CPPUNIT_ASSERT_EQUAL(record(static_cast<int>(dropped)), records.front());
	}

	void testMaxBytesBlockWaitsForAcknowledgements()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool::Options o = opts(dir.path());
		o.maxBytes = 64 * 1024;
		o.segmentBytes = 8 * 1024;
		o.full = Spool::FullPolicy::Block;
		Spool spool(o, f.reporter, f.counters);
		// Fill it with released batches (on disk, none in memory).
		int i = 0;
		while (spool.bytes() + 8 + record(i).size() <= o.maxBytes)
		{
			Batch b = appendBatch(spool, i, i + 1);
			spool.release(b, false);
			++i;
		}
		// The next append blocks (the worker waits) until a sender acknowledges a segment's worth.
		std::atomic<bool> appended{false};
		Poco::Thread worker;
		struct Append : Poco::Runnable
		{
			Spool& spool;
			std::atomic<bool>& done;
			Append(Spool& s, std::atomic<bool>& d) : spool(s), done(d) {}
			void run() override
			{
				std::string r = record(99999);
				Spool::Position after;
				done = spool.append(r.data(), r.size(), after);
			}
		} append(spool, appended);
		worker.start(append);
		Poco::Thread::sleep(200);
		CPPUNIT_ASSERT(!appended.load());
		Batch read;
		while (!appended.load() && spool.readBatch(read, 20, 1 << 20))
		{
			spool.ack(read);
			read = Batch();
			Poco::Thread::sleep(20);
		}
		worker.join();
		CPPUNIT_ASSERT(appended.load());
		CPPUNIT_ASSERT(spool.bytes() <= o.maxBytes);
		CPPUNIT_ASSERT(f.counters.dropped.empty());
		// abort() releases a blocked worker: the record is dropped instead.
		while (spool.bytes() + 8 + record(i).size() <= o.maxBytes)
		{
			Batch b = appendBatch(spool, i, i + 1);
			spool.release(b, false);
			++i;
		}
		spool.abort();
		std::string r = record(i);
		Spool::Position after;
		CPPUNIT_ASSERT(!spool.append(r.data(), r.size(), after));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), f.counters.dropped["spool_full"]);
	}

	void testHandOffFullGoesToDisk()
	{
		TempDir dir(TempDir::PathOnly);
		Fixture f;
		Spool spool(opts(dir.path()), f.reporter, f.counters);
		Batch a = appendBatch(spool, 0, 5);
		CPPUNIT_ASSERT(!spool.release(a, false)); // no room in memory: stays on disk
		Batch b = appendBatch(spool, 5, 10);
		CPPUNIT_ASSERT(!spool.release(b, true)); // room, but an older batch waits on disk
		CPPUNIT_ASSERT(spool.hasUnread());
		Batch read;
		CPPUNIT_ASSERT(spool.readBatch(read, 100, 1 << 20));
		CPPUNIT_ASSERT_EQUAL(std::size_t(10), read.count());
		CPPUNIT_ASSERT_EQUAL(record(0), read.eventAt(0));
		CPPUNIT_ASSERT_EQUAL(record(9), read.eventAt(9));
		CPPUNIT_ASSERT(!spool.waitResolved(spool.releasedEnd(), Poco::Timespan(0)));
		spool.ack(read);
		CPPUNIT_ASSERT(spool.waitResolved(spool.releasedEnd(), Poco::Timespan(0)));
		Batch c = appendBatch(spool, 10, 15);
		CPPUNIT_ASSERT(spool.release(c, true)); // nothing older waits: from memory
	}

	void testConfigurationKeys()
	{
		std::istringstream text("posthog.apiKey = k\n"
		                        "posthog.spool.path = /tmp/x\n"
		                        "posthog.spool.maxBytes = 2097152\n"
		                        "posthog.spool.full = drop-oldest\n"
		                        "posthog.spool.fsync = interval\n"
		                        "posthog.spool.fsyncInterval = 250\n");
		Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config =
		    new Poco::Util::PropertyFileConfiguration(text);
		ClientOptions o = ClientOptions::fromConfiguration(*config);
		CPPUNIT_ASSERT_EQUAL(std::string("/tmp/x"), o.spoolPath);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2097152), o.spoolMaxBytes);
		CPPUNIT_ASSERT(o.spoolFull == ClientOptions::SpoolFull::DropOldest);
		CPPUNIT_ASSERT(o.spoolFsync == ClientOptions::SpoolFsync::Interval);
		CPPUNIT_ASSERT_EQUAL(Poco::Timespan::TimeDiff(250), o.spoolFsyncInterval.totalMilliseconds());
		struct Bad
		{
			const char* key;
			const char* value;
			const char* expected;
		};
		for (const Bad& bad : {Bad{"posthog.spool.maxBytes", "12",
		                           "posthog.spool.maxBytes = '12' is not an integer between 1048576"},
		                       Bad{"posthog.spool.full", "wait",
		                           "posthog.spool.full = 'wait' is not one of drop-newest,drop-oldest,block"},
		                       Bad{"posthog.spool.fsync", "always",
		                           "posthog.spool.fsync = 'always' is not one of batch,interval,never"},
		                       Bad{"posthog.spool.fsyncInterval", "-1",
		                           "posthog.spool.fsyncInterval = '-1' is not a number of milliseconds"}})
		{
			config->setString(bad.key, bad.value);
			try
			{
				ClientOptions::fromConfiguration(*config);
				CPPUNIT_FAIL(std::string(bad.key) + " = " + bad.value + " was accepted");
			}
			catch (ConfigurationException& e)
			{
				CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(bad.expected) == 0);
			}
			config->remove(bad.key);
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpoolTest);
