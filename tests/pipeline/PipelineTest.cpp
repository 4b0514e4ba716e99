//
// PipelineTest.cpp
//
// The middleware pipeline with real plugin libraries (tests/pipeline/plugins, loaded through
// Poco::ClassLoader from the build tree's plugin directory), real configuration files, and a
// real Client delivering to a loopback CaptureServer.
//

#include "PostHog/Pipeline.h"
#include "CaptureServer.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "Poco/SharedLibrary.h"
#include "Poco/StreamCopier.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "Poco/Util/IniFileConfiguration.h"
#include "Poco/Util/JSONConfiguration.h"
#include "Poco/Util/LayeredConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PostHog/Array.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "TempDir.h"
#include "TestOptions.h"
#include <cppunit/extensions/HelperMacros.h>
#include <dlfcn.h>
#include <fstream>
#include <initializer_list>
#include <sstream>

using namespace PostHog;
using Poco::AutoPtr;
using Poco::Util::AbstractConfiguration;
using Poco::Util::MapConfiguration;
using PostHogTest::CaptureServer;
using PostHogTest::TempDir;
using PostHogTest::testOptions;

namespace
{

// The config helpers build a MapConfiguration from "key = value" pairs (keys get the
// posthog.pipeline. prefix).
AutoPtr<MapConfiguration> pipelineConfig(std::initializer_list<std::pair<std::string, std::string>> entries)
{
	AutoPtr<MapConfiguration> config = new MapConfiguration;
	for (const auto& e : entries)
		config->setString("posthog.pipeline." + e.first, e.second);
	return config;
}

struct Built
{
	Poco::Logger& logger = Poco::Logger::get("PipelineTest");
	MiddlewareContext context{logger};
	std::unique_ptr<Pipeline> pipeline;
};

std::unique_ptr<Built> build(const AbstractConfiguration& config,
                             const MiddlewareRegistry& registry = MiddlewareRegistry())
{
	std::unique_ptr<Built> built(new Built);
	built->pipeline = Pipeline::build(config, registry, built->context);
	return built;
}

std::vector<std::string> listOf(const Message& message, const std::string& property = "trail")
{
	std::vector<std::string> out;
	for (const auto& element : message.properties().get(property).elements())
		out.push_back(std::string(element.getString()));
	return out;
}

std::vector<std::string> listOf(const Poco::JSON::Object::Ptr& event, const std::string& property = "trail")
{
	std::vector<std::string> out;
	auto array = event->getObject("properties")->getArray(property);
	if (array)
	{
		for (std::size_t i = 0; i < array->size(); ++i)
			out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
	}
	return out;
}

std::vector<std::string> words(std::initializer_list<const char*> items)
{
	return std::vector<std::string>(items.begin(), items.end());
}

// Builds the pipeline and expects it to throw E; returns the message.
template<typename E>
std::string failureOf(const AbstractConfiguration& config,
                      const MiddlewareRegistry& registry = MiddlewareRegistry())
{
	try
	{
		build(config, registry);
	}
	catch (E& e)
	{
		return e.message();
	}
	CPPUNIT_FAIL("the pipeline was built, but an exception was expected");
	return std::string();
}

void assertContains(const std::string& text, const std::string& part)
{
	if (text.find(part) == std::string::npos)
		CPPUNIT_FAIL("'" + part + "' is missing from: " + text);
}

std::string pluginDir()
{
	return Pipeline::defaultPluginDirectories().front();
}

std::string pluginFile(const std::string& base)
{
	return Poco::Path(Poco::Path(pluginDir() + "/"), "lib" + base + Poco::SharedLibrary::suffix()).toString();
}

std::string mappedFiles()
{
	std::ifstream maps("/proc/self/maps");
	std::stringstream s;
	s << maps.rdbuf();
	return s.str();
}

std::string writeFile(const std::string& dir, const std::string& name, const std::string& text)
{
	std::string path = Poco::Path(Poco::Path(dir + "/"), name).toString();
	Poco::FileOutputStream out(path);
	out << text;
	out.close();
	return path;
}

class LocalTag : public Middleware
/// A stage compiled into the test program, configured from posthog.pipeline.<name>.* like a
/// loaded one.
{
public:
	std::string name() const override { return "local-tag"; }
	const OptionTable& options() const override
	{
		static const OptionTable table = {{"tag", OptionSpec::String, "local", "the word appended"}};
		return table;
	}
	void configure(const AbstractConfiguration& config) override { _tag = config.getString("tag"); }
	Result process(Message& message) override
	{
		Array list;
		for (const auto& element : message.properties().get("trail").elements())
			list.add(element);
		list.add(_tag);
		message.properties().set("trail", list);
		return Result::pass();
	}

private:
	std::string _tag;
};

// One chain, written in every format the issue names: the stage "first" tags "one" and the
// list option also = x, y (a JSON array in JSON), "gate" drops the event "secret", "last" tags
// "two" twice. JSON gives the stages key as an array too.
const char* const kXml = R"(<config>
  <posthog>
    <pipeline>
      <stages>first, gate, last</stages>
      <first><library>PostHogTestStages</library><class>TagMiddleware</class><tag>one</tag><also>x, y</also></first>
      <gate><library>PostHogTestStages</library><class>DropMiddleware</class><event>secret</event><reason>no secrets</reason></gate>
      <last><library>PostHogTestStages</library><class>TagMiddleware</class><tag>two</tag><repeat>2</repeat></last>
    </pipeline>
  </posthog>
</config>
)";

const char* const kProperties = R"(# the same chain as the XML file
posthog.pipeline.stages = first, gate, last
posthog.pipeline.first.library = PostHogTestStages
posthog.pipeline.first.class = TagMiddleware
posthog.pipeline.first.tag = one
posthog.pipeline.first.also = x, y
posthog.pipeline.gate.library = PostHogTestStages
posthog.pipeline.gate.class = DropMiddleware
posthog.pipeline.gate.event = secret
posthog.pipeline.gate.reason = no secrets
posthog.pipeline.last.library = PostHogTestStages
posthog.pipeline.last.class = TagMiddleware
posthog.pipeline.last.tag = two
posthog.pipeline.last.repeat = 2
)";

const char* const kIni = R"(; the same chain as the XML file
[posthog.pipeline]
stages = first, gate, last
first.library = PostHogTestStages
first.class = TagMiddleware
first.tag = one
first.also = x,y

[posthog.pipeline.gate]
library = PostHogTestStages
class = DropMiddleware
event = secret
reason = no secrets

[posthog.pipeline.last]
library = PostHogTestStages
class = TagMiddleware
tag = two
repeat = 2
)";

const char* const kJson = R"({"posthog": {"pipeline": {
  "stages": ["first", "gate", "last"],
  "first": {"library": "PostHogTestStages", "class": "TagMiddleware", "tag": "one", "also": ["x", "y"]},
  "gate": {"library": "PostHogTestStages", "class": "DropMiddleware", "event": "secret", "reason": "no secrets"},
  "last": {"library": "PostHogTestStages", "class": "TagMiddleware", "tag": "two", "repeat": 2}
}}}
)";

struct ChainResult
{
	std::vector<std::string> stages;
	bool helloPassed = false;
	std::vector<std::string> helloTrail;
	bool secretPassed = true;
	std::string secretDroppedBy;
	std::string secretReason;
};

ChainResult runChain(const AbstractConfiguration& config)
{
	auto built = build(config);
	ChainResult r;
	r.stages = built->pipeline->stageNames();
	Message hello(Message::Type::Capture, "hello", "user-1");
	r.helloPassed = built->pipeline->process(hello).passed;
	r.helloTrail = listOf(hello);
	Message secret(Message::Type::Capture, "secret", "user-1");
	auto outcome = built->pipeline->process(secret);
	r.secretPassed = outcome.passed;
	r.secretDroppedBy = outcome.droppedBy;
	r.secretReason = outcome.reason;
	return r;
}

ClientOptions clientOptions(const CaptureServer& server, AutoPtr<AbstractConfiguration> config)
{
	ClientOptions o = testOptions(server.url(), "phc_pipeline_test_key");
	o.configuration = config;
	return o;
}

} // namespace

class PipelineTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PipelineTest);
	CPPUNIT_TEST(testOrderIsTheStagesKey);
	CPPUNIT_TEST(testSameClassTwiceWithDifferentOptions);
	CPPUNIT_TEST(testEveryFileFormatGivesTheSameChain);
	CPPUNIT_TEST(testOverrideLayerChangesAStageOption);
	CPPUNIT_TEST(testIniKeysIgnoreCase);
	CPPUNIT_TEST(testMissingLibraryListsEveryPathTried);
	CPPUNIT_TEST(testMissingClassListsExportedClasses);
	CPPUNIT_TEST(testUnknownOptionIsNamed);
	CPPUNIT_TEST(testIllTypedOptionIsNamed);
	CPPUNIT_TEST(testBadOnErrorIsNamed);
	CPPUNIT_TEST(testRelativePathsRefused);
	CPPUNIT_TEST(testStageListedTwiceRefused);
	CPPUNIT_TEST(testStageWithoutLibraryRefused);
	CPPUNIT_TEST(testAbsoluteLibraryPathLoadedFromThere);
	CPPUNIT_TEST(testVersionMismatchRefused);
	CPPUNIT_TEST(testNonLibraryRefused);
	CPPUNIT_TEST(testLibraryWithoutManifestRefused);
	CPPUNIT_TEST(testInCodeMiddlewarePlacedByName);
	CPPUNIT_TEST(testBeforeSendFunctionSemantics);
	CPPUNIT_TEST(testStageStatistics);
	CPPUNIT_TEST(testThrowingStageFailClosed);
	CPPUNIT_TEST(testThrowingStageFailOpen);
	CPPUNIT_TEST(testFailOpenStageLeavesMessageUnchanged);
	CPPUNIT_TEST(testUnloadAtShutdown);
	CPPUNIT_TEST_SUITE_END();

public:
	void testOrderIsTheStagesKey()
	{
		for (const auto& order : {words({"a", "b", "c"}), words({"c", "a", "b"}), words({"b", "c", "a"})})
		{
			auto config = pipelineConfig({{"stages", order[0] + ", " + order[1] + "," + order[2]}});
			for (const auto& name : order)
			{
				config->setString("posthog.pipeline." + name + ".library", "PostHogTestStages");
				config->setString("posthog.pipeline." + name + ".class", "TagMiddleware");
				config->setString("posthog.pipeline." + name + ".tag", name);
			}
			auto built = build(*config);
			CPPUNIT_ASSERT(built->pipeline->stageNames() == order);
			Message m(Message::Type::Capture, "hello", "user-1");
			CPPUNIT_ASSERT(built->pipeline->process(m).passed);
			CPPUNIT_ASSERT(listOf(m) == order);
		}
	}

	void testSameClassTwiceWithDifferentOptions()
	{
		auto config = pipelineConfig({{"stages", "twice, once"},
		                              {"twice.library", "PostHogTestStages"},
		                              {"twice.class", "TagMiddleware"},
		                              {"twice.tag", "x"},
		                              {"twice.repeat", "2"},
		                              {"once.library", "PostHogTestStages"},
		                              {"once.class", "TagMiddleware"},
		                              {"once.tag", "y"},
		                              {"once.property", "other"}});
		auto built = build(*config);
		Message m(Message::Type::Capture, "hello", "user-1");
		CPPUNIT_ASSERT(built->pipeline->process(m).passed);
		CPPUNIT_ASSERT(listOf(m) == words({"x", "x"}));
		CPPUNIT_ASSERT(listOf(m, "other") == words({"y"}));
		auto stats = built->pipeline->statistics();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), stats.size());
		CPPUNIT_ASSERT_EQUAL(std::string("tag"), stats[0].kind);
		CPPUNIT_ASSERT_EQUAL(std::string("tag"), stats[1].kind);
	}

	void testEveryFileFormatGivesTheSameChain()
	{
		TempDir dir;
		AutoPtr<AbstractConfiguration> xml =
		    new Poco::Util::XMLConfiguration(writeFile(dir.path(), "pipeline.xml", kXml));
		AutoPtr<AbstractConfiguration> properties = new Poco::Util::PropertyFileConfiguration(
		    writeFile(dir.path(), "pipeline.properties", kProperties));
		AutoPtr<AbstractConfiguration> ini =
		    new Poco::Util::IniFileConfiguration(writeFile(dir.path(), "pipeline.ini", kIni));
		AutoPtr<AbstractConfiguration> json =
		    new Poco::Util::JSONConfiguration(writeFile(dir.path(), "pipeline.json", kJson));

		ChainResult expected = runChain(*xml);
		CPPUNIT_ASSERT(expected.stages == words({"first", "gate", "last"}));
		CPPUNIT_ASSERT(expected.helloPassed);
		CPPUNIT_ASSERT(expected.helloTrail == words({"one", "x", "y", "two", "two"}));
		CPPUNIT_ASSERT(!expected.secretPassed);
		CPPUNIT_ASSERT_EQUAL(std::string("gate"), expected.secretDroppedBy);
		CPPUNIT_ASSERT_EQUAL(std::string("no secrets"), expected.secretReason);
		for (const auto& config : {properties, ini, json})
		{
			ChainResult r = runChain(*config);
			CPPUNIT_ASSERT(r.stages == expected.stages);
			CPPUNIT_ASSERT(r.helloPassed);
			CPPUNIT_ASSERT(r.helloTrail == expected.helloTrail);
			CPPUNIT_ASSERT_EQUAL(expected.secretPassed, r.secretPassed);
			CPPUNIT_ASSERT_EQUAL(expected.secretDroppedBy, r.secretDroppedBy);
			CPPUNIT_ASSERT_EQUAL(expected.secretReason, r.secretReason);
		}
	}

	void testOverrideLayerChangesAStageOption()
	{
		// What posthog-send -D and Application --define do: a MapConfiguration layered above
		// the file.
		TempDir dir;
		AutoPtr<AbstractConfiguration> xml =
		    new Poco::Util::XMLConfiguration(writeFile(dir.path(), "pipeline.xml", kXml));
		AutoPtr<AbstractConfiguration> properties = new Poco::Util::PropertyFileConfiguration(
		    writeFile(dir.path(), "pipeline.properties", kProperties));
		std::vector<ChainResult> results;
		for (const auto& file : {xml, properties})
		{
			AutoPtr<MapConfiguration> defines = new MapConfiguration;
			defines->setString("posthog.pipeline.last.tag", "three");
			defines->setString("posthog.pipeline.gate.event", "hello");
			AutoPtr<Poco::Util::LayeredConfiguration> layered = new Poco::Util::LayeredConfiguration;
			layered->add(AutoPtr<AbstractConfiguration>(defines.get(), true), -100);
			layered->add(file, 0);
			results.push_back(runChain(*layered));
		}
		for (const auto& r : results)
		{
			CPPUNIT_ASSERT(r.stages == words({"first", "gate", "last"}));
			// hello is now the dropped event (after "first" tagged it) and secret passes.
			CPPUNIT_ASSERT(!r.helloPassed);
			CPPUNIT_ASSERT(r.helloTrail == words({"one", "x", "y"}));
			CPPUNIT_ASSERT(r.secretPassed);
		}
		AutoPtr<MapConfiguration> defines = new MapConfiguration;
		defines->setString("posthog.pipeline.last.tag", "three");
		AutoPtr<Poco::Util::LayeredConfiguration> layered = new Poco::Util::LayeredConfiguration;
		layered->add(AutoPtr<AbstractConfiguration>(defines.get(), true), -100);
		layered->add(properties, 0);
		CPPUNIT_ASSERT(runChain(*layered).helloTrail == words({"one", "x", "y", "three", "three"}));
	}

	void testIniKeysIgnoreCase()
	{
		// IniFileConfiguration finds keys under any spelling, so any spelling works there...
		TempDir dir;
		AutoPtr<AbstractConfiguration> ini = new Poco::Util::IniFileConfiguration(
		    writeFile(dir.path(), "any-case.ini",
		              "[posthog.pipeline]\nstages = t, boom\n"
		              "[posthog.pipeline.t]\nLIBRARY = PostHogTestStages\nClass = TagMiddleware\nTag = "
		              "loud\nREPEAT = 2\n"
		              "[posthog.pipeline.boom]\nlibrary = PostHogTestStages\nclass = "
		              "ThrowingMiddleware\nONERROR = pass\n"));
		auto built = build(*ini);
		Message m(Message::Type::Capture, "hello", "user-1");
		CPPUNIT_ASSERT(built->pipeline->process(m).passed); // boom threw; ONERROR = pass let it through
		CPPUNIT_ASSERT(listOf(m) == words({"loud", "loud"}));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), built->pipeline->statistics()[1].errors);

		// ... and only there: a case-sensitive source says which option was meant.
		auto config = pipelineConfig({{"stages", "t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"t.Repeat", "2"}});
		CPPUNIT_ASSERT_EQUAL(
		    std::string("stage 't': unknown option 'Repeat' = '2' (did you mean 'repeat'? known "
		                "options: tag, property, repeat, also)"),
		    failureOf<ConfigurationException>(*config));
	}

	void testMissingLibraryListsEveryPathTried()
	{
		TempDir dir;
		auto config = pipelineConfig({{"stages", "ghost"},
		                              {"ghost.library", "PostHogNoSuchPlugin"},
		                              {"ghost.class", "GhostMiddleware"},
		                              {"pluginPath", dir.path()}});
		std::string message = failureOf<PluginException>(*config);
		assertContains(message, "stage 'ghost'");
		assertContains(message, "'PostHogNoSuchPlugin' not found");
		std::vector<std::string> dirs{dir.path()};
		for (const auto& d : Pipeline::defaultPluginDirectories())
			dirs.push_back(d);
		CPPUNIT_ASSERT(dirs.size() >= 3);
		for (const auto& d : dirs)
			assertContains(message, Poco::Path(Poco::Path(d + "/"),
			                                   "libPostHogNoSuchPlugin" + Poco::SharedLibrary::suffix())
			                            .toString());
		CPPUNIT_ASSERT_EQUAL(std::string::npos, message.find('\n'));
	}

	void testMissingClassListsExportedClasses()
	{
		auto config = pipelineConfig(
		    {{"stages", "nope"}, {"nope.library", "PostHogTestStages"}, {"nope.class", "NoSuchMiddleware"}});
		std::string message = failureOf<PluginException>(*config);
		assertContains(message, "stage 'nope'");
		assertContains(message, pluginFile("PostHogTestStages"));
		assertContains(message, "exports no class 'NoSuchMiddleware'");
		for (const char* cls :
		     {"TagMiddleware", "ThrowingMiddleware", "FailOpenThrowingMiddleware", "DropMiddleware"})
			assertContains(message, cls);

		// A library of several classes with no .class key says which to choose from.
		auto unnamed = pipelineConfig({{"stages", "which"}, {"which.library", "PostHogTestStages"}});
		message = failureOf<PluginException>(*unnamed);
		assertContains(message, "exports several classes (DropMiddleware, FailOpenThrowingMiddleware, "
		                        "TagMiddleware, ThrowingMiddleware)");
		assertContains(message, "set posthog.pipeline.which.class");
	}

	void testUnknownOptionIsNamed()
	{
		auto config = pipelineConfig({{"stages", "t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"t.colour", "red"}});
		std::string message = failureOf<ConfigurationException>(*config);
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "stage 't': unknown option 'colour' = 'red' (known options: tag, property, repeat, also)"),
		    message);

		auto noOptions = pipelineConfig({{"stages", "boom"},
		                                 {"boom.library", "PostHogTestStages"},
		                                 {"boom.class", "ThrowingMiddleware"},
		                                 {"boom.level", "3"}});
		message = failureOf<ConfigurationException>(*noOptions);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("stage 'boom': unknown option 'level' = '3' (this stage takes no options)"), message);
	}

	void testIllTypedOptionIsNamed()
	{
		auto config = pipelineConfig({{"stages", "t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"t.repeat", "many"}});
		CPPUNIT_ASSERT_EQUAL(
		    std::string("stage 't': option 'repeat' = 'many' is not an integer between 1 and 5"),
		    failureOf<ConfigurationException>(*config));
		config->setString("posthog.pipeline.t.repeat", "9");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("stage 't': option 'repeat' = '9' is not an integer between 1 and 5"),
		    failureOf<ConfigurationException>(*config));
	}

	void testBadOnErrorIsNamed()
	{
		auto config = pipelineConfig({{"stages", "t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"t.onError", "ignore"}});
		CPPUNIT_ASSERT_EQUAL(std::string("stage 't': option 'onError' = 'ignore' is not one of drop, pass"),
		                     failureOf<ConfigurationException>(*config));
	}

	void testRelativePathsRefused()
	{
		auto config = pipelineConfig({{"stages", "t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"pluginPath", "/opt/x:plugins/here"}});
		std::string message = failureOf<ConfigurationException>(*config);
		assertContains(message, "posthog.pipeline.pluginPath");
		assertContains(message, "'plugins/here' is not absolute");

		auto relativeLibrary =
		    pipelineConfig({{"stages", "t"},
		                    {"t.library", "lib/posthog-cpp/plugins/libPostHogTestStages.so"},
		                    {"t.class", "TagMiddleware"}});
		message = failureOf<PluginException>(*relativeLibrary);
		assertContains(message, "stage 't'");
		assertContains(message, "must be a base name");
	}

	void testStageListedTwiceRefused()
	{
		auto config = pipelineConfig({{"stages", "t, u, t"},
		                              {"t.library", "PostHogTestStages"},
		                              {"t.class", "TagMiddleware"},
		                              {"u.library", "PostHogTestStages"},
		                              {"u.class", "TagMiddleware"}});
		std::string message = failureOf<ConfigurationException>(*config);
		assertContains(message, "posthog.pipeline.stages lists stage 't' twice");
	}

	void testStageWithoutLibraryRefused()
	{
		auto config = pipelineConfig({{"stages", "mystery"}});
		std::string message = failureOf<ConfigurationException>(*config);
		assertContains(message, "stage 'mystery' has no posthog.pipeline.mystery.library");
		auto classOnly = pipelineConfig({{"stages", "m"}, {"m.class", "TagMiddleware"}});
		message = failureOf<ConfigurationException>(*classOnly);
		assertContains(message, "posthog.pipeline.m.class is set but posthog.pipeline.m.library is not");
	}

	void testAbsoluteLibraryPathLoadedFromThere()
	{
		TempDir dir;
		std::string copy = Poco::Path(Poco::Path(dir.path() + "/"), "libCopiedStages.so").toString();
		Poco::File(pluginFile("PostHogTestStages")).copyTo(copy);
		CPPUNIT_ASSERT(mappedFiles().find(copy) == std::string::npos);
		{
			// With and without the suffix; the directory is not on any search path.
			auto config = pipelineConfig({{"stages", "a, b"},
			                              {"a.library", copy},
			                              {"a.class", "TagMiddleware"},
			                              {"a.tag", "copied"},
			                              {"b.library", copy.substr(0, copy.size() - 3)},
			                              {"b.class", "TagMiddleware"}});
			auto built = build(*config);
			CPPUNIT_ASSERT(mappedFiles().find(copy) != std::string::npos);
			Message m(Message::Type::Capture, "hello", "user-1");
			CPPUNIT_ASSERT(built->pipeline->process(m).passed);
			CPPUNIT_ASSERT(listOf(m) == words({"copied", "tag"}));
		}
		CPPUNIT_ASSERT(mappedFiles().find(copy) == std::string::npos);
	}

	void testVersionMismatchRefused()
	{
		auto config = pipelineConfig({{"stages", "old"}, {"old.library", "PostHogTestOldAbi"}});
		std::string message = failureOf<PluginException>(*config);
		assertContains(message, "stage 'old'");
		assertContains(message, pluginFile("PostHogTestOldAbi"));
		assertContains(message, "built against middleware interface version 1");
		assertContains(message, "implements version " + std::to_string(POSTHOG_MIDDLEWARE_ABI_VERSION));
		CPPUNIT_ASSERT_EQUAL(std::string::npos, message.find('\n'));
	}

	void testNonLibraryRefused()
	{
		TempDir dir;
		std::string path =
		    writeFile(dir.path(), "libNotALibrary.so", "this is a text file, not a shared library\n");
		auto config = pipelineConfig({{"stages", "junk"}, {"junk.library", path}});
		std::string message = failureOf<PluginException>(*config);
		assertContains(message,
		               "stage 'junk': plugin library '" + path + "' is not a loadable shared library");
		CPPUNIT_ASSERT_EQUAL(std::string::npos, message.find('\n'));
	}

	void testLibraryWithoutManifestRefused()
	{
		// A real shared library that is not a plugin: libPostHogCore itself.
		Dl_info info;
		CPPUNIT_ASSERT(dladdr(reinterpret_cast<void*>(&Pipeline::defaultPluginDirectories), &info) &&
		               info.dli_fname);
		std::string core = Poco::Path(info.dli_fname).absolute().toString();
		auto config = pipelineConfig({{"stages", "core"}, {"core.library", core}});
		std::string message = failureOf<PluginException>(*config);
		assertContains(message,
		               "stage 'core': plugin library '" + core + "' is not a posthog-cpp middleware plugin");
	}

	void testInCodeMiddlewarePlacedByName()
	{
		MiddlewareRegistry registry;
		registry.add("scrub", new LocalTag);
		registry.addFunction("tail",
		                     [](Message& m)
		                     {
			                     m.properties().set("tail_ran", true);
			                     return true;
		                     });
		registry.add("last-registered", new LocalTag);
		auto config = pipelineConfig({{"stages", "first, scrub, last"},
		                              {"first.library", "PostHogTestStages"},
		                              {"first.class", "TagMiddleware"},
		                              {"first.tag", "first"},
		                              {"scrub.tag", "in-code"},
		                              {"last.library", "PostHogTestStages"},
		                              {"last.class", "TagMiddleware"},
		                              {"last.tag", "last"}});
		auto built = build(*config, registry);
		CPPUNIT_ASSERT(built->pipeline->stageNames() ==
		               words({"first", "scrub", "last", "tail", "last-registered"}));
		Message m(Message::Type::Capture, "hello", "user-1");
		CPPUNIT_ASSERT(built->pipeline->process(m).passed);
		CPPUNIT_ASSERT(listOf(m) == words({"first", "in-code", "last", "local"}));
		CPPUNIT_ASSERT(m.properties().get("tail_ran").getBool());

		// Options of in-code stages are checked against their table too.
		config->setString("posthog.pipeline.scrub.colour", "red");
		assertContains(failureOf<ConfigurationException>(*config, registry),
		               "stage 'scrub': unknown option 'colour'");
	}

	void testBeforeSendFunctionSemantics()
	{
		// sdk-specs' before_send: modify, drop (false), throw -> drop with a warning.
		MiddlewareRegistry registry;
		registry.addFunction("before_send",
		                     [](Message& m)
		                     {
			                     if (m.event() == "drop me")
				                     return false;
			                     if (m.event() == "throw")
				                     throw std::runtime_error("hook failed");
			                     m.properties().set("checked", true);
			                     return true;
		                     });
		auto built = build(*pipelineConfig({}), registry);
		std::vector<std::string> errors;
		built->pipeline->setErrorHandler([&](const std::string& stage, const std::string& message)
		                                 { errors.push_back(stage + ": " + message); });

		Message kept(Message::Type::Capture, "kept", "u");
		CPPUNIT_ASSERT(built->pipeline->process(kept).passed);
		CPPUNIT_ASSERT(kept.properties().get("checked").getBool());

		Message dropped(Message::Type::Capture, "drop me", "u");
		auto outcome = built->pipeline->process(dropped);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("before_send"), outcome.droppedBy);
		CPPUNIT_ASSERT(errors.empty());

		Message thrown(Message::Type::Capture, "throw", "u");
		outcome = built->pipeline->process(thrown);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), errors.size());
		assertContains(errors[0], "before_send: stage 'before_send' threw on event 'throw': hook failed");
		auto stats = built->pipeline->statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), stats[0].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats[0].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), stats[0].dropped);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats[0].errors);
	}

	void testStageStatistics()
	{
		auto config = pipelineConfig({{"stages", "tag, gate, open"},
		                              {"tag.library", "PostHogTestStages"},
		                              {"tag.class", "TagMiddleware"},
		                              {"gate.library", "PostHogTestStages"},
		                              {"gate.class", "DropMiddleware"},
		                              {"gate.event", "secret"},
		                              {"gate.reason", "no secrets"},
		                              {"open.library", "PostHogTestStages"},
		                              {"open.class", "FailOpenThrowingMiddleware"}});
		auto built = build(*config);
		int passed = 0;
		for (int i = 0; i < 20; ++i)
		{
			Message m(Message::Type::Capture, i % 4 == 0 ? "secret" : "hello", "user-1");
			passed += built->pipeline->process(m).passed ? 1 : 0;
		}
		CPPUNIT_ASSERT_EQUAL(15, passed);
		auto stats = built->pipeline->statistics();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), stats.size());
		CPPUNIT_ASSERT_EQUAL(std::string("tag"), stats[0].name);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(20), stats[0].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(20), stats[0].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats[0].dropped);
		CPPUNIT_ASSERT_EQUAL(std::string("drop"), stats[1].kind);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(20), stats[1].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), stats[1].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), stats[1].dropped);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), stats[1].dropReasons.size());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), stats[1].dropReasons["no secrets"]);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), stats[2].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), stats[2].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), stats[2].errors);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats[2].dropped);
		for (const auto& s : stats)
			CPPUNIT_ASSERT(s.seconds > 0);
	}

	void testThrowingStageFailClosed()
	{
		CaptureServer server;
		std::vector<ClientError> errors;
		Poco::FastMutex mutex;
		auto config = pipelineConfig({{"stages", "guard"},
		                              {"guard.library", "PostHogTestStages"},
		                              {"guard.class", "ThrowingMiddleware"}});
		ClientOptions options = clientOptions(server, config);
		options.onError = [&](const ClientError& e)
		{
			Poco::FastMutex::ScopedLock lock(mutex);
			errors.push_back(e);
		};
		Client client(options);
		for (int round = 1; round <= 2; ++round)
		{
			for (int i = 0; i < 3; ++i)
				CPPUNIT_ASSERT(!client.capture("user-1", "secret", {{"card", "4111"}}).empty());
			// The worker survived the first round: the second is processed and flushed too.
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
			auto stats = client.statistics();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * round), stats.stages[0].errors);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * round), stats.stages[0].dropped);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * round), stats.droppedByReason["stage:guard"]);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.eventCount());
		Poco::FastMutex::ScopedLock lock(mutex);
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), errors.size());
		for (const auto& e : errors)
		{
			CPPUNIT_ASSERT_EQUAL(ClientError::StageError, e.kind);
			assertContains(e.message,
			               "stage 'guard' threw on event 'secret': Illegal state: test stage always throws");
			assertContains(e.message, "dropped (onError = drop)");
		}
	}

	void testThrowingStageFailOpen()
	{
		// The plugin's default (fail open), and a fail-closed class switched to pass by onError.
		for (const char* variant : {"FailOpenThrowingMiddleware", "ThrowingMiddleware"})
		{
			CaptureServer server;
			std::vector<ClientError> errors;
			Poco::FastMutex mutex;
			auto config = pipelineConfig({{"stages", "boom, after"},
			                              {"boom.library", "PostHogTestStages"},
			                              {"boom.class", variant},
			                              {"after.library", "PostHogTestStages"},
			                              {"after.class", "TagMiddleware"},
			                              {"after.tag", "after"}});
			if (std::string(variant) == "ThrowingMiddleware")
				config->setString("posthog.pipeline.boom.onError", "pass");
			ClientOptions options = clientOptions(server, config);
			options.onError = [&](const ClientError& e)
			{
				Poco::FastMutex::ScopedLock lock(mutex);
				errors.push_back(e);
			};
			Client client(options);
			for (int i = 0; i < 4; ++i)
				CPPUNIT_ASSERT(!client.capture("user-1", "hello").empty());
			CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
			auto events = server.events();
			CPPUNIT_ASSERT_EQUAL(std::size_t(4), events.size());
			for (const auto& e : events)
			{
				CPPUNIT_ASSERT(listOf(e) == words({"after"}));
				CPPUNIT_ASSERT(!e->getObject("properties")->has("half_done"));
			}
			auto stats = client.statistics();
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), stats.stages[0].errors);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), stats.stages[0].passed);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), stats.stages[0].dropped);
			CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), stats.delivered);
			Poco::FastMutex::ScopedLock lock(mutex);
			CPPUNIT_ASSERT_EQUAL(std::size_t(4), errors.size());
			CPPUNIT_ASSERT_EQUAL(ClientError::StageError, errors[0].kind);
			assertContains(errors[0].message, "(onError = pass)");
		}
	}

	void testFailOpenStageLeavesMessageUnchanged()
	{
		// The half-made edit of a stage that threw never goes on, with or without an observer
		// (posthog-send --explain must show what really happens).
		struct Recorder : Pipeline::Observer
		{
			std::vector<std::string> seen;
			void stageDone(const std::string& stage, const Message&, const Message& after,
			               const Middleware::Result&, const std::string& error) override
			{
				seen.push_back(stage + (after.properties().has("half_done") ? " half" : " clean") +
				               (error.empty() ? "" : " threw"));
			}
		};
		auto config = pipelineConfig({{"stages", "open, tag"},
		                              {"open.library", "PostHogTestStages"},
		                              {"open.class", "FailOpenThrowingMiddleware"},
		                              {"tag.library", "PostHogTestStages"},
		                              {"tag.class", "TagMiddleware"}});
		auto built = build(*config);
		for (int i = 0; i < 3; ++i)
		{
			Message m(Message::Type::Capture, "hello", "user-1", {{"plan", "pro"}});
			CPPUNIT_ASSERT(built->pipeline->process(m).passed);
			CPPUNIT_ASSERT(!m.properties().has("half_done"));
			CPPUNIT_ASSERT_EQUAL(std::string("pro"), std::string(m.properties().get("plan").getString()));
			CPPUNIT_ASSERT(listOf(m) == words({"tag"}));
			CPPUNIT_ASSERT_EQUAL(std::string("hello"), m.event());
		}
		Recorder recorder;
		Message m(Message::Type::Capture, "hello", "user-1");
		CPPUNIT_ASSERT(built->pipeline->process(m, &recorder).passed);
		CPPUNIT_ASSERT(!m.properties().has("half_done"));
		CPPUNIT_ASSERT(recorder.seen == words({"open clean threw", "tag clean"}));
	}

	void testUnloadAtShutdown()
	{
		CaptureServer server;
		auto config = pipelineConfig({{"stages", "tag, gate, open"},
		                              {"tag.library", "PostHogTestStages"},
		                              {"tag.class", "TagMiddleware"},
		                              {"gate.library", "PostHogTestStages"},
		                              {"gate.class", "DropMiddleware"},
		                              {"gate.event", "secret"},
		                              {"open.library", "PostHogTestStages"},
		                              {"open.class", "FailOpenThrowingMiddleware"}});
		for (int round = 0; round < 4; ++round)
		{
			// Two clients and a bare pipeline on the same library, destroyed in varying order.
			std::unique_ptr<Client> a(new Client(clientOptions(server, config)));
			std::unique_ptr<Client> b(new Client(clientOptions(server, config)));
			auto bare = build(*config);
			a->capture("user-a", "hello");
			b->capture("user-b", "hello");
			b->capture("user-b", "secret");
			if (round % 2)
				a.reset();
			else
				b.reset();
			bare.reset();
			a.reset();
			b.reset();
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(8), server.eventCount());
		CPPUNIT_ASSERT(server.errors().empty());
		CPPUNIT_ASSERT(mappedFiles().find(pluginFile("PostHogTestStages")) == std::string::npos);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PipelineTest);
