//
// BadInputTest.cpp
//
// Configuration that does not parse, values that overflow, plugins that are not libraries:
// each is one sentence naming what and where, and a client built from good configuration in
// the same process still delivers everything.
//

#include "FaultSupport.h"
#include "NdjsonReader.h"
#include "Poco/AutoPtr.h"
#include "Poco/Util/IniFileConfiguration.h"
#include "Poco/Util/JSONConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Pipeline.h"
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <sstream>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

bool oneSentence(const std::string& m)
{
	return !m.empty() && m.find('\n') == std::string::npos && m.size() < 600;
}

} // namespace

class BadInputTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(BadInputTest);
	CPPUNIT_TEST(testEveryNumericKeyRejectsGarbageAndOverflow);
	CPPUNIT_TEST(testConfigurationTextThatDoesNotParse);
	CPPUNIT_TEST(testNonLibraryPluginLosesNothingElse);
	CPPUNIT_TEST(testUnwritableSpoolPathIsOneSentence);
	CPPUNIT_TEST(testBadNdjsonLinesLoseNothingElse);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEveryNumericKeyRejectsGarbageAndOverflow()
	{
		const char* keys[] = {
		    "posthog.batch.size",      "posthog.batch.interval",   "posthog.batch.maxBytes",
		    "posthog.queue.capacity",  "posthog.http.gzipLevel",   "posthog.http.timeout",
		    "posthog.http.maxRetries", "posthog.http.connections", "posthog.http.retryDelay",
		    "posthog.shutdownTimeout", "posthog.spool.maxBytes",   "posthog.spool.fsyncInterval"};
		const char* values[] = {"abc",
		                        "99999999999999999999999",
		                        "-99999999999999999999999",
		                        "NaN",
		                        "Infinity",
		                        "1e400",
		                        "",
		                        "12 34",
		                        "0x10",
		                        "\xff\xfe"};
		for (const char* key : keys)
		{
			for (const char* value : values)
			{
				Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
				config->setString("posthog.apiKey", "phc_k");
				config->setString(key, value);
				try
				{
					ClientOptions::fromConfiguration(*config);
					CPPUNIT_FAIL(std::string(key) + " = '" + value + "' was accepted");
				}
				catch (ConfigurationException& e)
				{
					std::string expected = std::string(key) + " = '" + value + "' is not ";
					CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(expected) == 0);
					CPPUNIT_ASSERT_MESSAGE(e.message(), oneSentence(e.message()));
				}
			}
		}
	}

	void testConfigurationTextThatDoesNotParse()
	{
		// Poco's loaders refuse these; nothing half-loaded reaches ClientOptions.
		struct Case
		{
			const char* format;
			const char* text;
		};
		for (const Case& c : {Case{"xml", "<config><posthog><apiKey>k</apiKey></posthog"},
		                      Case{"xml", "<config><posthog><apiKey>k</wrong></posthog></config>"},
		                      Case{"json", "{\"posthog\": {\"apiKey\": \"k\",}"},
		                      Case{"json", "{\"posthog\": [1, 2"}, Case{"json", "\xff\xfe not json"}})
		{
			std::istringstream in(c.text);
			bool refused = false;
			try
			{
				Poco::AutoPtr<Poco::Util::AbstractConfiguration> config;
				if (std::string(c.format) == "xml")
					config = new Poco::Util::XMLConfiguration(in);
				else
					config = new Poco::Util::JSONConfiguration(in);
				ClientOptions::fromConfiguration(*config);
			}
			catch (Poco::Exception& e)
			{
				refused = true;
				CPPUNIT_ASSERT_MESSAGE(e.displayText(), oneSentence(e.displayText()));
			}
			CPPUNIT_ASSERT_MESSAGE(c.text, refused);
		}
		// A pipeline whose stage list names nothing loadable: one sentence naming the stage.
		std::istringstream props("posthog.apiKey = k\n"
		                         "posthog.pipeline.stages = nosuchstage\n");
		Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config =
		    new Poco::Util::PropertyFileConfiguration(props);
		try
		{
			Client client(*config);
			CPPUNIT_FAIL("a pipeline with an unknown stage was built");
		}
		catch (Poco::Exception& e)
		{
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), e.message().find("nosuchstage") != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(e.displayText(), oneSentence(e.message()));
		}
	}

	void testNonLibraryPluginLosesNothingElse()
	{
		TempDir dir(TempDir::PathOnly);
		Poco::File(dir.path()).createDirectories();
		std::string fake = dir.file("libFake.so");
		{
			std::ofstream out(fake);
			out << "#!/bin/sh\necho this is not a shared library\n";
		}
		CaptureServer server;
		Errors errors;
		ClientOptions good = faultOptions(server.url());
		good.onError = errors.callback();
		Client client(good);
		auto first = captureMany(client, 30, "before");

		Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
		config->setString("posthog.apiKey", "phc_k");
		config->setString("posthog.host", server.url());
		config->setString("posthog.pipeline.stages", "fake");
		config->setString("posthog.pipeline.fake.library", fake);
		try
		{
			Client broken(*config);
			CPPUNIT_FAIL("a text file was loaded as a plugin");
		}
		catch (PluginException& e)
		{
			CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find(fake) != std::string::npos);
			CPPUNIT_ASSERT_MESSAGE(e.message(), oneSentence(e.message()));
		}
		auto second = captureMany(client, 30, "after");
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(std::size_t(60), uuidsAt(server).size());
		CPPUNIT_ASSERT(errors.all().empty());
	}

	void testUnwritableSpoolPathIsOneSentence()
	{
		TempDir dir(TempDir::PathOnly);
		Poco::File(dir.path()).createDirectories();
		std::string file = dir.file("plain-file");
		{
			std::ofstream out(file);
			out << "x";
		}
		ClientOptions o = faultOptions("http://127.0.0.1:9");
		for (const std::string& path : {file, file + "/below-a-file"})
		{
			o.spoolPath = path;
			try
			{
				Client client(o);
				CPPUNIT_FAIL("spool path '" + path + "' was accepted");
			}
			catch (ConfigurationException& e)
			{
				CPPUNIT_ASSERT_MESSAGE(e.message(),
				                       e.message().find("posthog.spool.path = '" + path + "'") == 0);
				CPPUNIT_ASSERT_MESSAGE(e.message(), oneSentence(e.message()));
			}
		}
	}

	void testBadNdjsonLinesLoseNothingElse()
	{
		// Cross-check of NdjsonReader (its own suite covers each case): bad lines interleaved
		// with good ones cost exactly themselves, each with one sentence naming its line.
		std::string deep = "{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":";
		for (int i = 0; i < 100; ++i)
			deep += "{\"a\":";
		deep += "1";
		for (int i = 0; i < 101; ++i)
			deep += "}";
		const std::vector<std::string> bad = {
		    "not json at all", "[1,2,3]", "\"a string\"", deep,
		    "{\"distinct_id\":\"u\",\"event\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}",
		    "{\"distinct_id\":\"u\",\"event\":\"\xff\xfe\"}",
		    "{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"n\":NaN}}",
		    "{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"n\":Infinity}}",
		    "{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"n\":1e400}}",
		    "{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"n\":123456789012345678901234567890}}",
		    "{\"distinct_id\":\"u\",\"event\":\"e\"",
		    // NdjsonFuzz found this one: a key with an escaped newline made a two-line error.
		    "{\"type\":\"pageview\",\"dise\\\\\\nd\":\"u\",\"url\":\"https://x.example/a\"}"};
		std::string input;
		for (std::size_t i = 0; i < bad.size(); ++i)
		{
			input += "{\"distinct_id\":\"u\",\"event\":\"good-" + std::to_string(i) + "\"}\n";
			input += bad[i] + "\n";
		}
		CaptureServer server;
		Errors errors;
		ClientOptions o = faultOptions(server.url());
		o.onError = errors.callback();
		Client client(o);
		NdjsonReader reader;
		std::istringstream in(input);
		std::string line;
		std::size_t n = 0, refused = 0, sent = 0;
		for (;;)
		{
			NdjsonReader::LineStatus status = reader.readLine(in, line);
			if (status == NdjsonReader::End)
				break;
			++n;
			if (status == NdjsonReader::TooLong)
			{
				++refused;
				CPPUNIT_ASSERT(oneSentence(reader.tooLongMessage(n)));
				continue;
			}
			try
			{
				sent += NdjsonReader::send(client, reader.parse(line, n)) ? 1 : 0;
			}
			catch (InvalidMessageException& e)
			{
				++refused;
				CPPUNIT_ASSERT_MESSAGE(e.message(), e.message().find("line " + std::to_string(n) + ":") == 0);
				CPPUNIT_ASSERT_MESSAGE(e.message(), oneSentence(e.message()));
			}
		}
		CPPUNIT_ASSERT_EQUAL(bad.size(), refused);
		CPPUNIT_ASSERT_EQUAL(bad.size(), sent);
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		CPPUNIT_ASSERT_EQUAL(bad.size(), uuidsAt(server).size());
		CPPUNIT_ASSERT(errors.all().empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(BadInputTest);
