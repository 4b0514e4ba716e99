//
// ClientKeysTest.cpp
//
// posthog-send --list-options and the README's client settings table against the one table of
// client keys (PostHog/ClientKeys.h), and unknown keys refused by the real posthog-send (exit 2)
// from an XML file, a .properties file and -D.
//

#include "PostHog/ClientKeys.h"
#include "CaptureServer.h"
#include "PluginDocs.h"
#include "PluginList.h"
#include "Poco/FileStream.h"
#include "Poco/TemporaryFile.h"
#include "ProcessRunner.h"
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using PostHogTest::CaptureServer;
using PostHogTest::PluginDocs;
using PostHogTest::ProcessRunner;

namespace
{

const char* kKey = "phc_clientkeystest00000000000000000000000000";

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

} // namespace

class ClientKeysTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ClientKeysTest);
	CPPUNIT_TEST(testListOptionsShowsEveryKey);
	CPPUNIT_TEST(testReadmeTableMatchesTheKeys);
	CPPUNIT_TEST(testUnknownKeysExitTwo);
	CPPUNIT_TEST(testRequiredOptionListedAsRequired);
	CPPUNIT_TEST_SUITE_END();

public:
	void testListOptionsShowsEveryKey()
	{
		auto r = ProcessRunner::send({"--list-options"});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		std::size_t keys = 0;
		for (const auto& section : PostHog::ClientKeys::sections())
		{
			for (const auto& o : section.options)
			{
				++keys;
				std::string name =
				    section.prefix + "." + o.name + (o.type == PostHog::OptionSpec::Prefix ? ".<name>" : "");
				CPPUNIT_ASSERT_MESSAGE(name + " missing from\n" + r.out, contains(r.out, "  " + name + "  "));
				CPPUNIT_ASSERT_MESSAGE(name, contains(r.out, "      " + o.description + "\n"));
			}
		}
		CPPUNIT_ASSERT(keys >= 30);
		CPPUNIT_ASSERT(contains(r.out, "  posthog.batch.size  int (1..100000), default \"100\"\n"));
		CPPUNIT_ASSERT(contains(r.out, "  posthog.queue.overflow  enum (drop,block), default \"drop\"\n"));
	}

	void testReadmeTableMatchesTheKeys()
	{
		std::vector<std::string> rows;
		for (const auto& section : PostHog::ClientKeys::sections())
		{
			for (const auto& o : section.options)
				rows.push_back(
				    PluginDocs::optionRow(PostHog::ClientKeys::spec(section.prefix + "." + o.name)));
		}
		std::string missing = PluginDocs::missingRows("Client settings", rows);
		CPPUNIT_ASSERT_MESSAGE("README.md's client settings table lacks:\n" + missing, missing.empty());
	}

	void testUnknownKeysExitTwo()
	{
		CaptureServer server;
		std::string xml = Poco::TemporaryFile::tempName() + ".xml";
		Poco::TemporaryFile::registerForDeletion(xml);
		{
			Poco::FileOutputStream out(xml);
			out << "<config><posthog><pipeline><stage>validation, "
			       "pii</stage></pipeline></posthog></config>\n";
		}
		std::string properties = Poco::TemporaryFile::tempName() + ".properties";
		Poco::TemporaryFile::registerForDeletion(properties);
		{
			Poco::FileOutputStream out(properties);
			out << "posthog.batch.sise = 10\n";
		}
		const std::string sise = "posthog-send: posthog.batch.sise is not a configuration key; did you mean "
		                         "posthog.batch.size?";
		std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		    {{"--config", xml},
		     "posthog-send: posthog.pipeline.stage is not a pipeline key and posthog.pipeline.stages lists "
		     "no "
		     "stage 'stage'; did you mean posthog.pipeline.stages?"},
		    {{"--config", properties}, sise},
		    {{"-D", "posthog.batch.sise=10"}, sise},
		};
		for (const auto& c : cases)
		{
			std::vector<std::string> args = {"--api-key", kKey, "--host", server.url()};
			args.insert(args.end(), c.first.begin(), c.first.end());
			auto r = ProcessRunner::send(args, "{\"distinct_id\": \"u\", \"event\": \"e\"}\n");
			CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 2, r.exitCode);
			CPPUNIT_ASSERT_EQUAL(c.second + "\n", r.err);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}

	void testRequiredOptionListedAsRequired()
	{
		std::ostringstream out;
		PostHogSend::PluginList::printOption(
		    out, PostHog::OptionSpec::makeRequired("endpoint", PostHog::OptionSpec::String, "where to post"),
		    "", "    ");
		CPPUNIT_ASSERT_EQUAL(std::string("    endpoint  string, required\n        where to post\n"),
		                     out.str());
		std::ostringstream plain;
		PostHogSend::PluginList::printOption(plain, {"tag", PostHog::OptionSpec::String, "", "the tag"}, "",
		                                     "    ");
		CPPUNIT_ASSERT_EQUAL(std::string("    tag  string, default \"\"\n        the tag\n"), plain.str());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientKeysTest);
