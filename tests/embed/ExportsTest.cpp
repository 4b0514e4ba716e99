//
// ExportsTest.cpp
//
// libPostHogCore exports its public API and nothing of core/src: no internal class appears in
// `nm -DC --defined-only`, and every public class does.
//

#include "Poco/Environment.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Path.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/Process.h"
#include "Poco/RecursiveDirectoryIterator.h"
#include "Poco/RegularExpression.h"
#include "Poco/StreamCopier.h"
#include <cppunit/extensions/HelperMacros.h>
#include <set>
#include <string>

namespace
{

std::string env(const std::string& name)
{
	if (!Poco::Environment::has(name))
		CPPUNIT_FAIL(name + " is not set: run this test through ctest");
	return Poco::Environment::get(name);
}

std::string exportedSymbols()
{
	std::string library = env("POSTHOG_BINARY_DIR") + "/lib/libPostHogCore.so";
	Poco::Pipe out;
	Poco::ProcessHandle nm =
	    Poco::Process::launch("nm", {"-DC", "--defined-only", library}, nullptr, &out, &out);
	Poco::PipeInputStream stream(out);
	std::string text;
	Poco::StreamCopier::copyToString(stream, text);
	CPPUNIT_ASSERT_EQUAL_MESSAGE("nm " + library + ":\n" + text, 0, nm.wait());
	return text;
}

std::set<std::string> classesDeclaredIn(const std::string& folder)
/// The names of the namespace-level classes and structs declared in the headers under folder.
{
	std::set<std::string> names;
	Poco::RegularExpression declaration("^(?:class|struct)\\s+(?:PostHog_API\\s+)?(\\w+)\\s*(?::[^;]*)?$",
	                                    Poco::RegularExpression::RE_MULTILINE);
	for (Poco::SiblingsFirstRecursiveDirectoryIterator it(folder), end; it != end; ++it)
	{
		if (it->isDirectory() || Poco::Path(it->path()).getExtension() != "h")
			continue;
		Poco::FileInputStream in(it->path());
		std::string text;
		Poco::StreamCopier::copyToString(in, text);
		Poco::RegularExpression::MatchVec match;
		std::string::size_type offset = 0;
		while (declaration.match(text, offset, match) > 0)
		{
			names.insert(text.substr(match[1].offset, match[1].length));
			offset = match[0].offset + match[0].length;
		}
	}
	return names;
}

bool exports(const std::string& symbols, const std::string& className)
{
	return symbols.find("PostHog::" + className + "::") != std::string::npos ||
	       symbols.find("PostHog::" + className + ")") != std::string::npos ||
	       symbols.find("for PostHog::" + className + "\n") != std::string::npos;
}

} // namespace

class ExportsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ExportsTest);
	CPPUNIT_TEST(testNoInternalClassIsExported);
	CPPUNIT_TEST(testPublicClassesAreExported);
	CPPUNIT_TEST_SUITE_END();

public:
	void testNoInternalClassIsExported()
	{
		std::string symbols = exportedSymbols();
		std::set<std::string> internal = classesDeclaredIn(env("POSTHOG_SOURCE_DIR") + "/core/src");
		CPPUNIT_ASSERT(internal.count("Spool") && internal.count("BatchingSink") &&
		               internal.count("PluginLoader"));
		std::string leaked;
		for (const auto& name : internal)
		{
			if (exports(symbols, name))
				leaked += " " + name;
		}
		CPPUNIT_ASSERT_MESSAGE("libPostHogCore exports internal classes:" + leaked, leaked.empty());
	}

	void testPublicClassesAreExported()
	{
		std::string symbols = exportedSymbols();
		for (const char* name : {"Client", "ClientOptions", "Pipeline", "Properties", "Value", "Message",
		                         "Middleware", "MiddlewareRegistry", "PluginLibrary", "ClientSubsystem"})
			CPPUNIT_ASSERT_MESSAGE(std::string("not exported: ") + name, exports(symbols, name));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExportsTest);
