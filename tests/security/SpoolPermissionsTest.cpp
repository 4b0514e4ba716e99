//
// SpoolPermissionsTest.cpp
//
// Spool files and directories are readable by their owner only, whatever the umask, and their
// names never carry the API key.
//

#include "LogCapture.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/TemporaryFile.h"
#include "PostHog/Client.h"
#include "SecurityTestSupport.h"
#include <cppunit/extensions/HelperMacros.h>
#include <cstdio>
#include <sys/stat.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

mode_t modeOf(const std::string& path)
{
	struct stat st;
	CPPUNIT_ASSERT_MESSAGE(path, ::stat(path.c_str(), &st) == 0);
	return st.st_mode & 07777;
}

std::string octal(mode_t mode)
{
	char buf[16];
	std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode));
	return buf;
}

class Umask
/// Sets the process umask while alive.
{
public:
	explicit Umask(mode_t mask) : _previous(::umask(mask)) {}
	~Umask() { ::umask(_previous); }

private:
	mode_t _previous;
};

} // namespace

class SpoolPermissionsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SpoolPermissionsTest);
	CPPUNIT_TEST(testSpoolIsOwnerOnly);
	CPPUNIT_TEST(testExistingOpenDirectoryIsReported);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSpoolIsOwnerOnly()
	{
		std::string base = Poco::TemporaryFile::tempName() + "-spool";
		std::string spool = base + "/nested/spool";
		{
			Umask open(0); // the most permissive umask: the modes must come from the code
			ErrorRecorder recorder;
			ClientOptions o = securityOptions("http://127.0.0.1:9", recorder); // nobody listens
			o.spoolPath = spool;
			o.shutdownTimeout = Poco::Timespan(300 * 1000);
			Client client(o);
			for (int i = 0; i < 20; ++i)
				client.capture("user-1", "spool permission test", {{"i", i}});
			client.flush(Poco::Timespan(300 * 1000));
			CPPUNIT_ASSERT(client.statistics().spooled > 0);
		}
		std::size_t files = 0;
		for (const std::string& dir : {base, base + "/nested", spool})
			CPPUNIT_ASSERT_EQUAL_MESSAGE(dir, std::string("0700"), octal(modeOf(dir)));
		for (Poco::DirectoryIterator it(spool), end; it != end; ++it)
		{
			++files;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(it->path(), std::string("0600"), octal(modeOf(it->path())));
			CPPUNIT_ASSERT_MESSAGE(it->path(), it.name().find("securitytest_key") == std::string::npos);
		}
		CPPUNIT_ASSERT(files >= 2); // the lock and at least one segment with the unsent events
		Poco::File(base).remove(true);
	}

	void testExistingOpenDirectoryIsReported()
	{
		std::string spool = Poco::TemporaryFile::tempName() + "-spool-open";
		Poco::File(spool).createDirectories();
		::chmod(spool.c_str(), 0755);
		LogCapture logs;
		{
			ErrorRecorder recorder;
			ClientOptions o = securityOptions("http://127.0.0.1:9", recorder);
			o.spoolPath = spool;
			o.shutdownTimeout = Poco::Timespan(100 * 1000);
			Client client(o);
		}
		CPPUNIT_ASSERT_MESSAGE(logs.text(),
		                       logs.contains("is readable by other users", Poco::Message::PRIO_WARNING));
		Poco::File(spool).remove(true);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SpoolPermissionsTest);
