//
// SpoolPartsTest.cpp
//
// SpoolWriter, SpoolDirectory and RequestDeadline on their own.
//

#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Thread.h"
#include "PostHog/Exceptions.h"
#include "delivery/RequestDeadline.h"
#include "delivery/SpoolDirectory.h"
#include "delivery/SpoolRecord.h"
#include "delivery/SpoolWriter.h"
#include <cerrno>
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace PostHog;

namespace
{

std::string contents(const std::string& path)
{
	std::ifstream in(path, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

class SpoolPartsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpoolPartsTest);
	CPPUNIT_TEST(testWriterWritesMagicThenRecords);
	CPPUNIT_TEST(testWriterReportsAFullDevice);
	CPPUNIT_TEST(testWriterNoticesARemovedFile);
	CPPUNIT_TEST(testDirectoryIsPrivateLockedAndListed);
	CPPUNIT_TEST(testDirectoryRecreatedAfterRemoval);
	CPPUNIT_TEST(testDeadlineShutsTheSocketDown);
	CPPUNIT_TEST_SUITE_END();

public:
	void testWriterWritesMagicThenRecords()
	{
		Poco::TemporaryFile file;
		SpoolWriter writer(ClientOptions::SpoolFsync::Batch, Poco::Timespan(0));
		int error = 0;
		CPPUNIT_ASSERT(writer.open(file.path(), error));
		writer.add("{\"a\":1}", 7);
		CPPUNIT_ASSERT(writer.flush(0, error));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), writer.buffered());
		CPPUNIT_ASSERT(writer.syncDue() >= 0);
		CPPUNIT_ASSERT_EQUAL(-1, writer.syncDue()); // nothing new since
		std::string data = contents(file.path());
		CPPUNIT_ASSERT_EQUAL(SpoolRecord::kMagicBytes + SpoolRecord::size(7), data.size());
		CPPUNIT_ASSERT(SpoolRecord::hasMagic(data.data(), data.size()));
		writer.close(true);
		CPPUNIT_ASSERT(!writer.isOpen());
	}

	void testWriterReportsAFullDevice()
	{
		SpoolWriter writer(ClientOptions::SpoolFsync::Never, Poco::Timespan(0));
		int error = 0;
		if (!writer.open("/dev/full", error))
		{
			std::cerr << "\n[skipped] /dev/full cannot be opened: " << std::strerror(error) << "\n";
			return;
		}
		writer.add("{\"a\":1}", 7);
		CPPUNIT_ASSERT(!writer.flush(0, error));
		CPPUNIT_ASSERT_EQUAL(ENOSPC, error);
		CPPUNIT_ASSERT(writer.buffered() > 0); // kept: the caller decides what happens to it
		writer.discard(true);
		CPPUNIT_ASSERT_EQUAL(SpoolRecord::kMagicBytes, writer.buffered());
	}

	void testWriterNoticesARemovedFile()
	{
		std::string path = Poco::TemporaryFile::tempName();
		SpoolWriter writer(ClientOptions::SpoolFsync::Never, Poco::Timespan(0));
		int error = 0;
		CPPUNIT_ASSERT(writer.open(path, error));
		CPPUNIT_ASSERT(writer.flush(0, error));
		::unlink(path.c_str());
		writer.add("{\"a\":1}", 7);
		CPPUNIT_ASSERT(!writer.flush(SpoolRecord::kMagicBytes, error));
		CPPUNIT_ASSERT_EQUAL(ENOENT, error);
	}

	void testDirectoryIsPrivateLockedAndListed()
	{
		std::string path = Poco::Path(Poco::TemporaryFile::tempName(), "a/b").toString();
		Poco::TemporaryFile::registerForDeletion(Poco::Path(path).parent().parent().toString());
		SpoolDirectory dir(path, Poco::Logger::get("SpoolPartsTest"));
		struct stat st;
		CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
		CPPUNIT_ASSERT_EQUAL(0700u, static_cast<unsigned>(st.st_mode & 0777));
		for (std::uint64_t id : {3u, 1u, 2u})
			std::ofstream(dir.segmentFile(id, ".log")).put('x');
		std::ofstream(Poco::Path(path, "seg-x.log").toString()).put('x');
		auto ids = dir.segmentIds();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), ids.size());
		CPPUNIT_ASSERT(ids[0] == 1 && ids[1] == 2 && ids[2] == 3);
		CPPUNIT_ASSERT_EQUAL(Poco::Path(path, "seg-0000000000000002.ack").toString(),
		                     dir.segmentFile(2, ".ack"));
		// flock locks are per open file description: a second opener in this process is refused too.
		CPPUNIT_ASSERT_THROW(SpoolDirectory(path, Poco::Logger::get("SpoolPartsTest")),
		                     ConfigurationException);
		dir.unlock();
		SpoolDirectory again(path, Poco::Logger::get("SpoolPartsTest"));
	}

	void testDirectoryRecreatedAfterRemoval()
	{
		std::string path = Poco::TemporaryFile::tempName();
		Poco::TemporaryFile::registerForDeletion(path);
		SpoolDirectory dir(path, Poco::Logger::get("SpoolPartsTest"));
		Poco::File(path).remove(true);
		dir.recreate(Poco::Logger::get("SpoolPartsTest"));
		CPPUNIT_ASSERT(Poco::File(path).isDirectory());
		CPPUNIT_ASSERT(Poco::File(Poco::Path(path, "lock").toString()).exists());
	}

	void testDeadlineShutsTheSocketDown()
	{
		int fds[2];
		CPPUNIT_ASSERT_EQUAL(0, ::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
		auto deadline = std::make_shared<RequestDeadline>();
		auto task = deadline->arm(Poco::Timespan(50 * 1000));
		deadline->attach(fds[0]);
		char c;
		ssize_t n = ::read(fds[0], &c, 1); // blocks until the deadline shuts the socket down
		CPPUNIT_ASSERT_EQUAL(ssize_t(0), n);
		task->cancel();
		CPPUNIT_ASSERT(deadline->disarm());
		// A request that ends in time reports no expiry.
		task = deadline->arm(Poco::Timespan(10, 0));
		task->cancel();
		CPPUNIT_ASSERT(!deadline->disarm());
		::close(fds[0]);
		::close(fds[1]);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpoolPartsTest);
