//
// PluginSecurityTest.cpp
//
// Plugin libraries load only from the configured and default directories or an absolute path,
// and never from a file or directory anyone could replace them in.
//

#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/Pipeline.h"
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace PostHog;

namespace
{

const std::string kLibraryName = "libPostHogSecurityProbe.so";

class PluginDirectory
/// A fresh directory with a copy of the probe plugin, both with the given modes.
{
public:
	PluginDirectory(mode_t directoryMode, mode_t fileMode)
	    : _dir(Poco::TemporaryFile::tempName() + "-plugins")
	{
		Poco::File(_dir).createDirectories();
		Poco::File(POSTHOG_SECURITY_PROBE).copyTo(library());
		::chmod(library().c_str(), fileMode);
		::chmod(_dir.c_str(), directoryMode);
	}

	~PluginDirectory()
	{
		try
		{
			::chmod(_dir.c_str(), 0700);
			Poco::File(_dir).remove(true);
		}
		catch (...)
		{
		}
	}

	const std::string& path() const { return _dir; }
	std::string library() const { return _dir + "/" + kLibraryName; }

private:
	std::string _dir;
};

std::size_t build(const std::map<std::string, std::string>& keys)
/// Builds a pipeline with one stage "probe" from keys; returns its size.
{
	Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
	config->setString("posthog.pipeline.stages", "probe");
	for (const auto& kv : keys)
		config->setString(kv.first, kv.second);
	MiddlewareRegistry registry;
	MiddlewareContext context(Poco::Logger::get("PluginSecurityTest"));
	return Pipeline::build(*config, registry, context)->size();
}

std::string refusal(const std::map<std::string, std::string>& keys)
{
	try
	{
		build(keys);
	}
	catch (Poco::Exception& e)
	{
		return e.displayText();
	}
	return std::string();
}

bool has(const std::string& text, const std::string& fragment)
{
	return text.find(fragment) != std::string::npos;
}

} // namespace

class PluginSecurityTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PluginSecurityTest);
	CPPUNIT_TEST(testSafeCopyLoads);
	CPPUNIT_TEST(testWorldWritableLibraryRefused);
	CPPUNIT_TEST(testWorldWritableDirectoryRefused);
	CPPUNIT_TEST(testSymlinkIntoUnsafeDirectoryRefused);
	CPPUNIT_TEST(testUnsafeAncestorDirectoryRefused);
	CPPUNIT_TEST(testStickyDirectoryPasses);
	CPPUNIT_TEST(testAllowInsecurePlugins);
	CPPUNIT_TEST(testRelativePathsRefused);
	CPPUNIT_TEST(testBaseNamesOnlyFromPluginDirectories);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSafeCopyLoads()
	{
		PluginDirectory dir(0755, 0644);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), build({{"posthog.pipeline.probe.library", dir.library()}}));
	}

	void testWorldWritableLibraryRefused()
	{
		PluginDirectory dir(0755, 0666);
		std::string e = refusal({{"posthog.pipeline.probe.library", dir.library()}});
		CPPUNIT_ASSERT_MESSAGE(
		    e, has(e, "stage 'probe': plugin library '" + dir.library() + "' is world-writable"));
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "posthog.pipeline.allowInsecurePlugins"));
	}

	void testWorldWritableDirectoryRefused()
	{
		PluginDirectory dir(0777, 0644);
		std::string e = refusal({{"posthog.pipeline.probe.library", dir.library()}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "world-writable and not sticky"));
		CPPUNIT_ASSERT_MESSAGE(e, has(e, dir.path()));
		// Found by base name in a configured directory: the same check applies.
		e = refusal({{"posthog.pipeline.probe.library", "PostHogSecurityProbe"},
		             {"posthog.pipeline.pluginPath", dir.path()}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "world-writable and not sticky"));
	}

	void testSymlinkIntoUnsafeDirectoryRefused()
	{
		// A safe directory holding a link to a library in a world-writable directory: the file
		// really mapped is the one checked.
		PluginDirectory unsafe(0777, 0644);
		PluginDirectory safe(0755, 0644);
		Poco::File(safe.library()).remove();
		CPPUNIT_ASSERT_EQUAL(0, ::symlink(unsafe.library().c_str(), safe.library().c_str()));
		std::string e = refusal({{"posthog.pipeline.probe.library", safe.library()}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "world-writable and not sticky"));
		CPPUNIT_ASSERT_MESSAGE(e, has(e, unsafe.path()));
	}

	void testUnsafeAncestorDirectoryRefused()
	{
		// A safe directory inside a world-writable one: whoever can write the parent can swap
		// the child directory for one of their own.
		PluginDirectory parent(0755, 0644);
		std::string child = parent.path() + "/inner";
		Poco::File(child).createDirectories();
		::chmod(child.c_str(), 0755);
		Poco::File(parent.library()).copyTo(child + "/" + kLibraryName);
		::chmod(parent.path().c_str(), 0777);
		std::string e = refusal({{"posthog.pipeline.probe.library", child + "/" + kLibraryName}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "world-writable and not sticky"));
		CPPUNIT_ASSERT_MESSAGE(e, has(e, parent.path()));
	}

	void testStickyDirectoryPasses()
	{
		// Like /tmp: world-writable but sticky, so nobody can replace another user's file.
		PluginDirectory dir(01777, 0644);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), build({{"posthog.pipeline.probe.library", dir.library()}}));
	}

	void testAllowInsecurePlugins()
	{
		PluginDirectory dir(0777, 0666);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), build({{"posthog.pipeline.probe.library", dir.library()},
		                                            {"posthog.pipeline.allowInsecurePlugins", "true"}}));
	}

	void testRelativePathsRefused()
	{
		PluginDirectory dir(0755, 0644);
		for (const std::string& relative :
		     {std::string("plugins/") + kLibraryName, std::string("../") + kLibraryName,
		      std::string("./") + kLibraryName})
		{
			std::string e = refusal(
			    {{"posthog.pipeline.probe.library", relative}, {"posthog.pipeline.pluginPath", dir.path()}});
			CPPUNIT_ASSERT_MESSAGE(
			    e, has(e, "must be a base name (searched in the plugin directories) or an absolute path"));
		}
		std::string e = refusal({{"posthog.pipeline.probe.library", "PostHogSecurityProbe"},
		                         {"posthog.pipeline.pluginPath", "plugins"}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "posthog.pipeline.pluginPath: directory 'plugins' is not absolute"));
	}

	void testBaseNamesOnlyFromPluginDirectories()
	{
		PluginDirectory dir(0755, 0644);
		// Not in any default directory: not found, and the error lists where it looked.
		std::string e = refusal({{"posthog.pipeline.probe.library", "PostHogSecurityProbe"}});
		CPPUNIT_ASSERT_MESSAGE(e, has(e, "plugin library 'PostHogSecurityProbe' not found; tried "));
		CPPUNIT_ASSERT_MESSAGE(e, !has(e, dir.path()));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1),
		                     build({{"posthog.pipeline.probe.library", "PostHogSecurityProbe"},
		                            {"posthog.pipeline.pluginPath", dir.path()}}));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginSecurityTest);
