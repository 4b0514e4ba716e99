//
// PostHogSendTest.cpp
//
// The real posthog-send binary (and posthog-capture-inspector) run as processes against the
// loopback capture endpoint: delivery, bad input, exit codes, configuration formats, the
// environment, --dry-run, --explain, --list-plugins, --version and --help.
//

#include "CaptureServer.h"
#include "ExplainObserver.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Thread.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PluginCatalog.h"
#include "ProcessRunner.h"
#include <cppunit/extensions/HelperMacros.h>
#include <map>
#include <set>
#include <sstream>

using PostHogTest::CaptureServer;
using PostHogTest::ProcessRunner;

namespace
{

const std::string kKey = "phc_cli_test_key_a1b2c3d4";
const std::string kMasked = "phc_\xe2\x80\xa6"
                            "c3d4";

std::vector<std::string> target(const CaptureServer& server, std::vector<std::string> more = {})
{
	std::vector<std::string> args{"--api-key", kKey, "--host", server.url()};
	args.insert(args.end(), more.begin(), more.end());
	return args;
}

std::string summaryOf(const std::string& err)
{
	std::istringstream in(err);
	std::string line, summary;
	while (std::getline(in, line))
	{
		if (line.find("posthog-send: read ") == 0 || line.find("posthog-send: dry run: read ") == 0)
			summary = line;
	}
	return summary;
}

std::size_t countLines(const std::string& text)
{
	std::size_t n = 0;
	for (char c : text)
		n += c == '\n';
	return n;
}

bool contains(const std::string& haystack, const std::string& needle)
{
	return haystack.find(needle) != std::string::npos;
}

std::string tempFile(const std::string& extension, const std::string& content)
{
	std::string path = Poco::TemporaryFile::tempName() + extension;
	Poco::TemporaryFile::registerForDeletion(path);
	Poco::FileOutputStream out(path);
	out << content;
	return path;
}

// Events without what differs from run to run by design (nothing: uuids and timestamps are
// fixed in the input) serialised for comparison.
std::vector<std::string> serialised(const std::vector<Poco::JSON::Object::Ptr>& events)
{
	std::vector<std::string> out;
	for (const auto& e : events)
	{
		std::ostringstream s;
		e->stringify(s);
		out.push_back(s.str());
	}
	return out;
}

// 10,000 mixed lines: line i carries i (as property "i", or in the ids of an alias).
std::string mixedLines(std::size_t count)
{
	std::string out;
	for (std::size_t i = 0; i < count; ++i)
	{
		std::string n = std::to_string(i);
		std::string user = "\"user-" + std::to_string(i % 97) + "\"";
		switch (i % 10)
		{
		case 5:
			out += "{\"type\":\"identify\",\"distinct_id\":" + user +
			       ",\"properties\":{\"plan\":\"pro\",\"i\":" + n + "},\"set_once\":{\"first\":" + n + "}}";
			break;
		case 6:
			out += "{\"type\":\"alias\",\"distinct_id\":\"anon-" + n + "\",\"alias\":" + user + "}";
			break;
		case 7:
			out += "{\"type\":\"groupidentify\",\"group_type\":\"company\",\"group_key\":\"c" +
			       std::to_string(i % 13) + "\",\"properties\":{\"seats\":" + n + ",\"i\":" + n + "}}";
			break;
		case 8:
			out += "{\"type\":\"pageview\",\"distinct_id\":" + user + ",\"url\":\"https://example.com/p/" +
			       n + "\",\"properties\":{\"i\":" + n + "}}";
			break;
		case 9:
			out += "{\"distinct_id\":" + user + ",\"event\":\"order completed\",\"properties\":{\"i\":" + n +
			       ",\"items\":[{\"sku\":\"A\",\"qty\":2}],\"total\":12.5},\"groups\":{\"company\":\"c1\"},"
			       "\"timestamp\":\"2025-03-01T12:00:00.123+01:00\"}";
			break;
		default:
			out += "{\"distinct_id\":" + user + ",\"event\":\"movie played\",\"properties\":{\"i\":" + n +
			       ",\"title\":\"Heat\",\"device\":{\"os\":\"linux\",\"screen\":{\"w\":1920}}}}";
			break;
		}
		out += "\n";
	}
	return out;
}

} // namespace

class PostHogSendTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PostHogSendTest);
	CPPUNIT_TEST(testSampleFileThroughConfiguredPipeline);
	CPPUNIT_TEST(testTenThousandMixedLines);
	CPPUNIT_TEST(testMalformedLinesSkippedRestDelivered);
	CPPUNIT_TEST(testEachBadInputKind);
	CPPUNIT_TEST(testStageDropsAreNotFailures);
	CPPUNIT_TEST(testUndeliveredExitsOne);
	CPPUNIT_TEST(testUsageAndConfigurationErrorsExitTwo);
	CPPUNIT_TEST(testConfigurationFormatsDeliverTheSameEvents);
	CPPUNIT_TEST(testShippedConfigurationsDeliverTheSameEvents);
	CPPUNIT_TEST(testShippedConfigurationsListEveryOptionAtItsDefault);
	CPPUNIT_TEST(testDefineOverridesFileAndFlagsOverrideEnvironment);
	CPPUNIT_TEST(testEnvironmentKeyAndHost);
	CPPUNIT_TEST(testDryRun);
	CPPUNIT_TEST(testExplain);
	CPPUNIT_TEST(testExplainNamesEveryLineOnceWhileSending);
	CPPUNIT_TEST(testListPlugins);
	CPPUNIT_TEST(testVersionAndHelp);
	CPPUNIT_TEST(testCaptureInspector);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSampleFileThroughConfiguredPipeline()
	{
		CaptureServer server;
		auto r = ProcessRunner::send(target(server, {"--config", ProcessRunner::source("config/pipeline.xml"),
		                                             ProcessRunner::source("samples/events.ndjson")}));
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "posthog-send: read 324, invalid 0, dropped by the pipeline 0, delivered 324, spooled 0, failed 0"),
		    summaryOf(r.err));
		CPPUNIT_ASSERT_EQUAL(std::size_t(324), server.eventCount());
		CPPUNIT_ASSERT(server.errors().empty());
		// The pipeline ran: enrichment added host_name, pii redacted the e-mail addresses.
		std::size_t identifies = 0;
		for (const auto& e : server.events())
		{
			CPPUNIT_ASSERT(e->getObject("properties")->has("host_name"));
			if (e->getValue<std::string>("event") == "$identify" &&
			    e->getObject("properties")->getObject("$set")->has("email"))
			{
				++identifies;
				CPPUNIT_ASSERT_EQUAL(
				    std::string("[REDACTED:email]"),
				    e->getObject("properties")->getObject("$set")->getValue<std::string>("email"));
			}
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(12), identifies);
	}

	void testTenThousandMixedLines()
	{
		CaptureServer server;
		const std::size_t count = 10000;
		auto r = ProcessRunner::send(target(server, {"-D", "posthog.batch.size=250"}), mixedLines(count));
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "posthog-send: read 10000, invalid 0, dropped by the pipeline 0, delivered 10000, spooled 0, failed 0"),
		    summaryOf(r.err));
		// Standard error is a pipe here: no progress line.
		CPPUNIT_ASSERT(!contains(r.err, "\r"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLines(r.err));

		CPPUNIT_ASSERT(server.errors().empty()); // every event passed the strict shape checks
		auto requests = server.requests();
		CPPUNIT_ASSERT(requests.size() >= count / 250);
		for (const auto& request : requests)
		{
			CPPUNIT_ASSERT(request.gzip);
			CPPUNIT_ASSERT_EQUAL(200, request.status);
			CPPUNIT_ASSERT_EQUAL(kKey, request.apiKey);
			CPPUNIT_ASSERT(request.events.size() <= 250);
		}
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(count, events.size());
		std::set<std::string> uuids;
		std::map<std::string, std::size_t> byName;
		for (std::size_t i = 0; i < events.size(); ++i)
		{
			auto e = events[i];
			auto p = e->getObject("properties");
			uuids.insert(e->getValue<std::string>("uuid"));
			std::string name = e->getValue<std::string>("event");
			++byName[name];
			// FIFO over one connection: event i is line i.
			if (name == "$create_alias")
			{
				CPPUNIT_ASSERT_EQUAL("anon-" + std::to_string(i), e->getValue<std::string>("distinct_id"));
				CPPUNIT_ASSERT_EQUAL("anon-" + std::to_string(i), p->getValue<std::string>("distinct_id"));
				CPPUNIT_ASSERT_EQUAL("user-" + std::to_string(i % 97), p->getValue<std::string>("alias"));
				continue;
			}
			if (name == "$identify")
			{
				CPPUNIT_ASSERT_EQUAL(static_cast<int>(i), p->getObject("$set")->getValue<int>("i"));
				CPPUNIT_ASSERT_EQUAL(static_cast<int>(i), p->getObject("$set_once")->getValue<int>("first"));
				continue;
			}
			CPPUNIT_ASSERT_EQUAL(static_cast<int>(i), name == "$groupidentify"
			                                              ? p->getObject("$group_set")->getValue<int>("i")
			                                              : p->getValue<int>("i"));
			if (name == "$groupidentify")
			{
				CPPUNIT_ASSERT_EQUAL(std::string("company"), p->getValue<std::string>("$group_type"));
				CPPUNIT_ASSERT_EQUAL("$company_c" + std::to_string(i % 13),
				                     e->getValue<std::string>("distinct_id"));
			}
			else if (name == "$pageview")
			{
				CPPUNIT_ASSERT_EQUAL("https://example.com/p/" + std::to_string(i),
				                     p->getValue<std::string>("$current_url"));
			}
			else if (name == "order completed")
			{
				CPPUNIT_ASSERT_EQUAL(std::string("c1"),
				                     p->getObject("$groups")->getValue<std::string>("company"));
				CPPUNIT_ASSERT_EQUAL(std::string("2025-03-01T11:00:00.123Z"),
				                     e->getValue<std::string>("timestamp"));
			}
			else
			{
				CPPUNIT_ASSERT_EQUAL(1920, p->getObject("device")->getObject("screen")->getValue<int>("w"));
			}
		}
		CPPUNIT_ASSERT_EQUAL(count, uuids.size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(5000), byName["movie played"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), byName["$identify"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), byName["$create_alias"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), byName["$groupidentify"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), byName["$pageview"]);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), byName["order completed"]);
	}

	void testMalformedLinesSkippedRestDelivered()
	{
		CaptureServer server;
		std::string input = "\xef\xbb\xbf{\"distinct_id\":\"u1\",\"event\":\"one\"}\r\n"
		                    "{\"distinct_id\":\"u1\",\"event\":\"two\"\n"
		                    "{\"distinct_id\":\"u1\",\"event\":\"three\"}\n"
		                    "{\"distinct_id\":\"u1\",\"event\":\"four\",\"properties\":{\"x\":NaN}}\n"
		                    "{\"distinct_id\":\"u1\",\"event\":\"five\"}\n";
		auto r = ProcessRunner::send(target(server), input);
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 1, r.exitCode);
		CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "line 2: not valid JSON ("));
		CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "line 4: NaN is not a JSON number"));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("posthog-send: read 5, invalid 2, dropped by the pipeline 0, delivered 3, spooled 0, failed 0"),
		    summaryOf(r.err));
		std::vector<std::string> names;
		for (const auto& e : server.events())
			names.push_back(e->getValue<std::string>("event"));
		CPPUNIT_ASSERT(names == std::vector<std::string>({"one", "three", "five"}));
	}

	void testEachBadInputKind()
	{
		CaptureServer server;
		std::vector<std::pair<std::string, std::string>> lines = {
		    {"{\"distinct_id\":\"u\",\"event\":\"first\"}", ""},
		    {"not json", "line 2: expected a JSON object, found no JSON value"},
		    {"[1,2]", "line 3: expected a JSON object, found an array"},
		    {"{\"distinct_id\":\"u\",\"event\":\"\xff\"}", "line 4: not valid UTF-8 (byte 29)"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"x\":Infinity}}",
		     "line 5: Infinity is not a JSON number"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"n\":18446744073709551616}}",
		     "line 6: the integer 18446744073709551616 does not fit in 64 bits"},
		    {"{\"type\":\"track\",\"distinct_id\":\"u\",\"event\":\"e\"}", "line 7: unknown type 'track'"},
		    {"{\"distinct_id\":\"u\"}", "line 8: a capture needs \"event\""},
		    {"{\"distinct_id\":42,\"event\":\"e\"}",
		     "line 9: \"distinct_id\" must be a string, not a number"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"propertes\":{}}",
		     "line 10: unknown field \"propertes\""},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"s\":\"" + std::string(3000, 'x') +
		         "\"}}",
		     "line 11: the line is longer than 2000 bytes (posthog.ndjson.maxLineBytes)"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"properties\":{\"a\":[[[[[[[[1]]]]]]]]}}",
		     "line 12: the JSON nests deeper than 8 levels (posthog.ndjson.maxDepth)"},
		    {"{\"distinct_id\":\"u\",\"event\":\"\"}",
		     "line 13: capture for 'u' rejected: the event name is empty"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"uuid\":\"nope\"}",
		     "line 14: capture 'e' rejected: uuid 'nope' is not a UUID"},
		    {"{\"distinct_id\":\"u\",\"event\":\"e\",\"timestamp\":\"yesterday\"}",
		     "line 15: \"timestamp\" 'yesterday' is not an ISO 8601 date-time"},
		    {"   ", ""}, // blank: skipped, not counted
		    {"{\"distinct_id\":\"anonymous\",\"event\":\"e\"}",
		     "line 17: dropped by stage 'validation': rule 'illegalDistinctId'"},
		    {"{\"type\":\"alias\",\"distinct_id\":\"anon-1\",\"alias\":\"u\"}", ""},
		};
		std::string input;
		for (const auto& l : lines)
			input += l.first + "\n";
		input.pop_back(); // the last line has no newline and still counts
		auto r = ProcessRunner::send(
		    target(server, {"-D", "posthog.ndjson.maxLineBytes=2000", "-D", "posthog.ndjson.maxDepth=8", "-D",
		                    "posthog.pipeline.stages=validation"}),
		    input);
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 1, r.exitCode);
		std::size_t expectedErrors = 0;
		for (const auto& l : lines)
		{
			if (l.second.empty())
				continue;
			++expectedErrors;
			CPPUNIT_ASSERT_MESSAGE("expected: " + l.second + "\ngot:\n" + r.err,
			                       contains(r.err, l.second + ""));
		}
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, expectedErrors + 1,
		                             countLines(r.err)); // one line each + the summary
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "posthog-send: read 17, invalid 15, dropped by the pipeline 0, delivered 2, spooled 0, failed 0"),
		    summaryOf(r.err));
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		CPPUNIT_ASSERT_EQUAL(std::string("first"), events[0]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("$create_alias"), events[1]->getValue<std::string>("event"));
	}

	void testStageDropsAreNotFailures()
	{
		CaptureServer server;
		// Sampling at rate 0 drops every capture and pageview (14 of these 20 lines); identify,
		// alias and group identify are never sampled (they change persons and groups).
		auto r = ProcessRunner::send(target(server, {"-D", "posthog.pipeline.stages=sampling", "-D",
		                                             "posthog.pipeline.sampling.rate=0"}),
		                             mixedLines(20));
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::string("posthog-send: read 20, invalid 0, dropped by the pipeline 14 "
		                                 "(sampling 14), delivered 6, spooled 0, failed 0"),
		                     summaryOf(r.err));
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), server.eventCount());
		for (const auto& e : server.events())
			CPPUNIT_ASSERT(e->getValue<std::string>("event").compare(0, 1, "$") == 0);
	}

	void testUndeliveredExitsOne()
	{
		CaptureServer server;
		server.failNext(10, 400); // final: not retried
		auto r = ProcessRunner::send(target(server), mixedLines(3));
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 1, r.exitCode);
		CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "posthog-send: error: "));
		CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "400"));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("posthog-send: read 3, invalid 0, dropped by the pipeline 0, delivered 0, spooled 0, failed 3"),
		    summaryOf(r.err));
		CPPUNIT_ASSERT(!contains(r.all(), kKey));
	}

	void testUsageAndConfigurationErrorsExitTwo()
	{
		CaptureServer server;
		std::string yaml = tempFile(".yaml", "posthog: {}\n");
		std::string brokenXml = tempFile(".xml", "<config><posthog><batch>");
		std::string input = ProcessRunner::source("samples/events.ndjson");
		std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		    {target(server, {"--bogus"}), "posthog-send: unknown option 'bogus' (see posthog-send --help)"},
		    {target(server, {"--config"}), "posthog-send: option --config needs a value (FILE)"},
		    {target(server, {"-D", "novalue"}), "posthog-send: --define 'novalue' is not key=value"},
		    {{"--host", server.url(), input}, "posthog-send: posthog.apiKey is not set"},
		    {target(server, {"-D", "posthog.batch.size=abc", input}),
		     "posthog-send: posthog.batch.size = 'abc' is not an integer between 1 and 100000"},
		    {{"--api-key", kKey, "--host", "ftp://example.com", input},
		     "posthog-send: posthog.host = 'ftp://example.com' is not an http"},
		    {target(server, {"--host", server.url()}), "posthog-send: option 'host' may be given only once"},
		    {target(server, {"-D", "posthog.pipeline.stages=nosuch", input}),
		     "posthog-send: stage 'nosuch' has no"},
		    {target(server,
		            {"-D", "posthog.pipeline.stages=s", "-D", "posthog.pipeline.s.library=NoSuchLib", input}),
		     "posthog-send: stage 's': plugin library 'NoSuchLib' not found; tried "},
		    {target(server,
		            {"-D", "posthog.pipeline.stages=s", "-D", "posthog.pipeline.s.library=PostHogSampling",
		             "-D", "posthog.pipeline.s.class=NoSuchClass", input}),
		     "exports no class 'NoSuchClass' (it exports: SamplingMiddleware)"},
		    {target(server, {"-D", "posthog.pipeline.stages=sampling", "-D",
		                     "posthog.pipeline.sampling.rate=2", input}),
		     "posthog-send: stage 'sampling': option 'rate' = '2' is not"},
		    {target(server, {"--config", "/nonexistent/posthog.xml", input}),
		     "posthog-send: cannot read configuration file '/nonexistent/posthog.xml': no such file"},
		    {target(server, {"--config", yaml, input}),
		     "' has an unknown type (use .xml, .properties, .ini or .json)"},
		    {target(server, {"--config", brokenXml, input}),
		     "posthog-send: cannot read configuration file '" + brokenXml + "': "},
		    {target(server, {"/nonexistent/events.ndjson"}),
		     "posthog-send: cannot read input file '/nonexistent/events.ndjson': no such file"},
		    {target(server, {"-D", "posthog.ndjson.maxDepth=deep", input}),
		     "posthog-send: posthog.ndjson.maxDepth = 'deep' is not an integer"},
		    {target(server, {"--list-plugins", "-D", "posthog.pipeline.pluginPath=relative/dir"}),
		     "posthog-send: posthog.pipeline.pluginPath: directory 'relative/dir' is not absolute"},
		};
		for (const auto& c : cases)
		{
			auto r = ProcessRunner::send(c.first, mixedLines(2));
			std::string what = "case " + c.second + "\ngot (" + std::to_string(r.exitCode) + "): " + r.err;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(what, 2, r.exitCode);
			CPPUNIT_ASSERT_MESSAGE(what, contains(r.err, c.second));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::size_t(1), countLines(r.err)); // one sentence, one line
			CPPUNIT_ASSERT_MESSAGE(what, r.out.empty());
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
	}

	void testConfigurationFormatsDeliverTheSameEvents()
	{
		std::string xml =
		    tempFile(".xml", "<config><posthog><batch><size>2</size></batch><pipeline>"
		                     "<stages>enrichment, sampling</stages>"
		                     "<enrichment><properties><team>checkout</team></properties>"
		                     "<hostName>false</hostName><os>false</os><runtime>false</runtime></enrichment>"
		                     "<sampling><rate>1</rate></sampling></pipeline></posthog></config>\n");
		std::string properties =
		    tempFile(".properties", "posthog.batch.size = 2\n"
		                            "posthog.pipeline.stages = enrichment, sampling\n"
		                            "posthog.pipeline.enrichment.properties.team = checkout\n"
		                            "posthog.pipeline.enrichment.hostName = false\n"
		                            "posthog.pipeline.enrichment.os = false\n"
		                            "posthog.pipeline.enrichment.runtime = false\n"
		                            "posthog.pipeline.sampling.rate = 1\n");
		std::string ini =
		    tempFile(".ini", "[posthog]\nbatch.size = 2\n"
		                     "[posthog.pipeline]\nstages = enrichment, sampling\n"
		                     "[posthog.pipeline.enrichment]\nproperties.team = checkout\nhostName = false\n"
		                     "os = false\nruntime = false\n"
		                     "[posthog.pipeline.sampling]\nrate = 1\n");
		std::string json = tempFile(
		    ".json", "{\"posthog\": {\"batch\": {\"size\": 2}, \"pipeline\": {"
		             "\"stages\": \"enrichment, sampling\","
		             "\"enrichment\": {\"properties\": {\"team\": \"checkout\"}, \"hostName\": false,"
		             " \"os\": false, \"runtime\": false},"
		             "\"sampling\": {\"rate\": 1}}}}\n");
		std::string input = fixedInput();
		std::vector<std::string> reference;
		for (const auto& file : {xml, properties, ini, json})
		{
			CaptureServer server;
			auto r = ProcessRunner::send(target(server, {"--config", file}), input);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(file + ": " + r.err, 0, r.exitCode);
			CPPUNIT_ASSERT_EQUAL_MESSAGE(file, std::size_t(2),
			                             server.requestCount()); // posthog.batch.size = 2 read
			auto events = serialised(server.events());
			CPPUNIT_ASSERT_EQUAL(std::size_t(3), events.size());
			CPPUNIT_ASSERT_MESSAGE(events[0], contains(events[0], "\"team\":\"checkout\""));
			CPPUNIT_ASSERT_MESSAGE(events[0], !contains(events[0], "host_name"));
			if (reference.empty())
				reference = events;
			else
				CPPUNIT_ASSERT_MESSAGE(file, reference == events);
		}
	}

	void testShippedConfigurationsDeliverTheSameEvents()
	{
		std::vector<std::string> reference;
		for (const char* file : {"config/pipeline.xml", "config/pipeline.properties"})
		{
			CaptureServer server;
			auto r =
			    ProcessRunner::send(target(server, {"--config", ProcessRunner::source(file)}), fixedInput());
			CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
			auto events = serialised(server.events());
			CPPUNIT_ASSERT_EQUAL(std::size_t(3), events.size());
			CPPUNIT_ASSERT_MESSAGE(events[1], contains(events[1], "\"email\":\"[REDACTED:email]\""));
			CPPUNIT_ASSERT_MESSAGE(events[1], contains(events[1], "\"os_name\":"));
			if (reference.empty())
				reference = events;
			else
				CPPUNIT_ASSERT(reference == events);
		}
	}

	void testShippedConfigurationsListEveryOptionAtItsDefault()
	{
		Poco::AutoPtr<Poco::Util::XMLConfiguration> xml =
		    new Poco::Util::XMLConfiguration(ProcessRunner::source("config/pipeline.xml"));
		Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties =
		    new Poco::Util::PropertyFileConfiguration(ProcessRunner::source("config/pipeline.properties"));
		std::map<std::string, std::string> fromXml, fromProperties;
		flatten(*xml, "", fromXml);
		flatten(*properties, "", fromProperties);
		CPPUNIT_ASSERT(fromXml == fromProperties);
		CPPUNIT_ASSERT_EQUAL(std::string("validation, enrichment, sampling, pii"),
		                     fromXml["posthog.pipeline.stages"]);
		CPPUNIT_ASSERT(!fromXml.count("posthog.apiKey"));
		CPPUNIT_ASSERT(!fromXml.count("posthog.host"));

		std::map<std::string, std::string> expected;
		expected["posthog.pipeline.stages"] = "validation, enrichment, sampling, pii";
		expected["posthog.pipeline.pluginPath"] = "";
		std::map<std::string, std::string> stageOf = {{"PostHogValidation", "validation"},
		                                              {"PostHogEnrichment", "enrichment"},
		                                              {"PostHogSampling", "sampling"},
		                                              {"PostHogPii", "pii"}};
		std::size_t found = 0;
		for (const auto& library : PostHog::PluginCatalog::scan(PostHog::PluginCatalog::directories(*xml)))
		{
			auto stage = stageOf.find(library.baseName);
			if (stage == stageOf.end() || !library.shadowedBy.empty())
				continue;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(library.error, std::size_t(1), library.classes.size());
			++found;
			std::string prefix = "posthog.pipeline." + stage->second + ".";
			const auto& c = library.classes.front();
			expected[prefix + "library"] = library.baseName;
			expected[prefix + "class"] = c.className;
			expected[prefix + "onError"] = c.onError == PostHog::Middleware::OnError::Drop ? "drop" : "pass";
			for (const auto& option : c.options)
			{
				if (option.type != PostHog::OptionSpec::Prefix)
					expected[prefix + option.name] = option.defaultValue;
			}
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), found);
		for (const auto& kv : expected)
		{
			CPPUNIT_ASSERT_MESSAGE(kv.first + " is missing from config/pipeline.xml",
			                       fromXml.count(kv.first));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(kv.first, kv.second, fromXml[kv.first]);
		}
		for (const auto& kv : fromXml)
			CPPUNIT_ASSERT_MESSAGE(kv.first + " in config/pipeline.xml is no plugin option",
			                       expected.count(kv.first));
	}

	void testDefineOverridesFileAndFlagsOverrideEnvironment()
	{
		CaptureServer server, other;
		std::string properties =
		    tempFile(".properties", "posthog.apiKey = phc_from_file_key_0000\n"
		                            "posthog.host = " +
		                                other.url() +
		                                "\n"
		                                "posthog.pipeline.stages = enrichment\n"
		                                "posthog.pipeline.enrichment.properties.team = checkout\n"
		                                "posthog.pipeline.enrichment.hostName = false\n");
		// The file's key and host beat the environment; the flags and -D beat the file.
		auto r = ProcessRunner::send(
		    {"--config", properties, "--api-key", kKey, "--host", server.url(), "-D",
		     "posthog.pipeline.enrichment.properties.team=override"},
		    fixedInput(),
		    {{"POSTHOG_API_KEY", "phc_from_env_key_1111"}, {"POSTHOG_HOST", "http://127.0.0.1:9"}});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), other.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(kKey, server.requests().front().apiKey);
		auto p = server.events().front()->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("override"), p->getValue<std::string>("team"));
		CPPUNIT_ASSERT(!p->has("host_name"));

		auto fromFile = ProcessRunner::send(
		    {"--config", properties}, fixedInput(),
		    {{"POSTHOG_API_KEY", "phc_from_env_key_1111"}, {"POSTHOG_HOST", server.url()}});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(fromFile.err, 0, fromFile.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), other.requestCount());
		CPPUNIT_ASSERT_EQUAL(std::string("phc_from_file_key_0000"), other.requests().front().apiKey);
	}

	void testEnvironmentKeyAndHost()
	{
		CaptureServer server;
		auto r = ProcessRunner::send({}, fixedInput(),
		                             {{"POSTHOG_API_KEY", kKey}, {"POSTHOG_HOST", server.url()}});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), server.eventCount());
		CPPUNIT_ASSERT_EQUAL(kKey, server.requests().front().apiKey);
		// The key from the environment with a host flag; an empty variable counts as unset.
		auto flagHost =
		    ProcessRunner::send({"--host", server.url()}, fixedInput(), {{"POSTHOG_API_KEY", kKey}});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(flagHost.err, 0, flagHost.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), server.eventCount());
		auto noKey = ProcessRunner::send({"--host", server.url()}, fixedInput(), {{"POSTHOG_API_KEY", ""}});
		CPPUNIT_ASSERT_EQUAL(2, noKey.exitCode);
		CPPUNIT_ASSERT(contains(noKey.err, "posthog.apiKey is not set"));
	}

	void testDryRun()
	{
		CaptureServer server;
		std::string input = mixedLines(7);
		auto r = ProcessRunner::send(target(server, {"--dry-run", "-D", "posthog.batch.size=3"}), input);
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.requestCount());
		CPPUNIT_ASSERT_EQUAL(
		    std::string(
		        "posthog-send: dry run: read 7, invalid 0, dropped by the pipeline 0, would send 7 in "
		        "3 batches; nothing was sent"),
		    summaryOf(r.err));
		CPPUNIT_ASSERT(!contains(r.all(), kKey));
		// Three pretty-printed bodies, one after the other.
		auto bodies = splitBodies(r.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), bodies.size());
		CPPUNIT_ASSERT(contains(r.out, "{\n  \"api_key\": "));
		std::size_t events = 0;
		for (const auto& body : bodies)
		{
			CPPUNIT_ASSERT_EQUAL(kMasked, body->getValue<std::string>("api_key"));
			CPPUNIT_ASSERT(body->has("sent_at"));
			auto batch = body->getArray("batch");
			CPPUNIT_ASSERT(batch->size() <= 3);
			for (std::size_t i = 0; i < batch->size(); ++i, ++events)
			{
				std::string error;
				CPPUNIT_ASSERT_MESSAGE(
				    error, CaptureServer::checkEvent(batch->getObject(static_cast<unsigned>(i)), error));
			}
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), events);
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"),
		                     bodies[1]->getArray("batch")->getObject(2)->getValue<std::string>("event"));

		// No key needed; an invalid line makes it exit 1.
		auto keyless = ProcessRunner::send({"--dry-run"}, input + "{\"distinct_id\":\"u\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(keyless.err, 1, keyless.exitCode);
		CPPUNIT_ASSERT(contains(keyless.out, "\"api_key\": \"(not set)\""));
		CPPUNIT_ASSERT(contains(keyless.err, "line 8: a capture needs \"event\""));
	}

	void testExplain()
	{
		std::string properties =
		    tempFile(".properties", "posthog.pipeline.stages = enrichment, sampling\n"
		                            "posthog.pipeline.enrichment.properties.team = checkout\n"
		                            "posthog.pipeline.enrichment.hostName = false\n"
		                            "posthog.pipeline.enrichment.os = false\n"
		                            "posthog.pipeline.enrichment.runtime = false\n"
		                            "posthog.pipeline.sampling.eventRates = dropped:0\n");
		std::string input =
		    "{\"distinct_id\":\"u1\",\"event\":\"kept\",\"properties\":{\"team\":\"x\",\"n\":1}}\n"
		    "{\"distinct_id\":\"\",\"event\":\"rejected\"}\n"
		    "{\"distinct_id\":\"u2\",\"event\":\"dropped\"}\n"
		    "{\"type\":\"identify\",\"distinct_id\":\"u3\",\"properties\":{\"plan\":\"pro\"}}\n";
		for (bool dryRun : {true, false})
		{
			CaptureServer server;
			std::vector<std::string> args = target(server, {"--config", properties, "--explain"});
			if (dryRun)
				args.push_back("--dry-run");
			auto r = ProcessRunner::send(args, input);
			std::string what = std::string(dryRun ? "dry run" : "real run") + ":\n" + r.out + r.err;
			CPPUNIT_ASSERT_EQUAL_MESSAGE(what, 1, r.exitCode); // line 2 is invalid
			CPPUNIT_ASSERT_MESSAGE(what, contains(r.out, "line 1: capture 'kept' for 'u1'\n"
			                                             "  enrichment  passed, unchanged\n"
			                                             "  sampling    passed, unchanged\n"));
			CPPUNIT_ASSERT_MESSAGE(what, contains(r.out, "line 3: capture 'dropped' for 'u2'\n"
			                                             "  enrichment  changed: + team = \"checkout\"\n"
			                                             "  sampling    dropped: "));
			CPPUNIT_ASSERT_MESSAGE(what, contains(r.out, "line 4: identify '$identify' for 'u3'\n"
			                                             "  enrichment  changed: + team = \"checkout\"\n"));
			CPPUNIT_ASSERT_MESSAGE(what, !contains(r.out, "line 2:"));
			CPPUNIT_ASSERT_MESSAGE(
			    what, contains(r.err, "line 2: capture 'rejected' rejected: a distinct id is required"));
			CPPUNIT_ASSERT_EQUAL(dryRun ? std::size_t(0) : std::size_t(2), server.eventCount());
		}
		// A change of a nested key and a removal.
		PostHog::Message before(
		    PostHog::Message::Type::Identify, "$identify", "u",
		    {{"$set", PostHog::Properties{{"email", "a@b.c"}, {"plan", "pro"}}}, {"gone", 1}});
		PostHog::Message after(before);
		after.properties().set("$set", PostHog::Properties{{"email", "[REDACTED:email]"}, {"plan", "pro"}});
		after.properties().remove("gone");
		CPPUNIT_ASSERT(
		    PostHogSend::ExplainObserver::diff(before, after) ==
		    std::vector<std::string>({"~ $set.email: \"a@b.c\" -> \"[REDACTED:email]\"", "- gone"}));
	}

	void testExplainNamesEveryLineOnceWhileSending()
	{
		// The worker explains while the reading thread reports rejected lines: every accepted
		// line is named once, in order, with its own event (this printed blocks twice when
		// std::cerr still flushed std::cout from the reading thread).
		CaptureServer server;
		std::string input;
		std::size_t accepted = 0;
		for (std::size_t i = 1; i <= 3000; ++i)
		{
			bool reject = i % 7 == 0;
			accepted += !reject;
			input += std::string("{\"distinct_id\":\"") + (reject ? "" : "u") + "\",\"event\":\"e" +
			         std::to_string(i) + "\"}\n";
		}
		auto r = ProcessRunner::send(target(server, {"--explain", "-D", "posthog.pipeline.stages=sampling"}),
		                             input);
		CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
		CPPUNIT_ASSERT_EQUAL(accepted, server.eventCount());
		std::istringstream out(r.out);
		std::string line;
		std::size_t expected = 1, headers = 0;
		while (std::getline(out, line))
		{
			if (line.compare(0, 5, "line ") != 0)
				continue;
			if (expected % 7 == 0)
				++expected;
			std::string n = std::to_string(expected++);
			CPPUNIT_ASSERT_EQUAL("line " + n + ": capture 'e" + n + "' for 'u'", line);
			++headers;
		}
		CPPUNIT_ASSERT_EQUAL(accepted, headers);
		CPPUNIT_ASSERT_EQUAL(accepted, countLines(r.out) / 3); // header, stage, "=> goes to the sender"
	}

	void testListPlugins()
	{
		auto r = ProcessRunner::send({"--list-plugins"});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		for (const char* expected :
		     {"Plugin directories (searched in this order):\n", "libPostHogValidation.so)\n",
		      "  class ValidationMiddleware: stage kind 'validation', onError = drop by default\n",
		      "    posthog.pipeline.<stage>.library = PostHogEnrichment\n",
		      "class EnrichmentMiddleware: stage kind 'enrichment', onError = pass",
		      "    rate  double (0..1), default \"1\"\n", "class PiiMiddleware: stage kind 'pii'",
		      "    properties.<name>  prefix\n"})
		{
			CPPUNIT_ASSERT_MESSAGE(std::string(expected) + " missing from\n" + r.out,
			                       contains(r.out, expected));
		}
		// Every option of every stage, from the option tables themselves.
		std::size_t options = 0;
		for (const auto& library : PostHog::PluginCatalog::scan(
		         PostHog::PluginCatalog::directories(*Poco::AutoPtr<Poco::Util::PropertyFileConfiguration>(
		             new Poco::Util::PropertyFileConfiguration))))
		{
			for (const auto& c : library.classes)
			{
				for (const auto& o : c.options)
				{
					++options;
					CPPUNIT_ASSERT_MESSAGE(o.name, contains(r.out, "    " + o.name));
					CPPUNIT_ASSERT_MESSAGE(o.name, contains(r.out, "        " + o.description + "\n"));
				}
			}
		}
		CPPUNIT_ASSERT(options >= 30);
		// A directory given in the configuration is listed (first) and searched.
		auto more =
		    ProcessRunner::send({"--list-plugins", "-D", "posthog.pipeline.pluginPath=/nonexistent/plugins"});
		CPPUNIT_ASSERT_EQUAL(0, more.exitCode);
		CPPUNIT_ASSERT(contains(more.out, "(searched in this order):\n  /nonexistent/plugins\n"));
	}

	void testVersionAndHelp()
	{
		auto version = ProcessRunner::send({"--version"});
		CPPUNIT_ASSERT_EQUAL(0, version.exitCode);
		std::string expected =
		    "posthog-send " POSTHOG_VERSION_STRING " (posthog-cpp library " POSTHOG_VERSION_STRING
		    ", middleware interface " + std::to_string(POSTHOG_MIDDLEWARE_ABI_VERSION) + ", Poco 1.";
		CPPUNIT_ASSERT_EQUAL_MESSAGE(version.out, expected, version.out.substr(0, expected.size()));
		CPPUNIT_ASSERT_EQUAL(std::string(")\n"), version.out.substr(version.out.size() - 2));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), countLines(version.out));
		auto help = ProcessRunner::send({"--help"});
		CPPUNIT_ASSERT_EQUAL(0, help.exitCode);
		CPPUNIT_ASSERT(help.err.empty());
		for (const char* expected :
		     {"usage: posthog-send [options] [FILE...]", "--config=FILE", "--api-key=KEY", "--host=URL",
		      "-Dkey=value, --define=key=value", "--dry-run", "--explain", "--list-plugins", "--version",
		      "--help", "POSTHOG_API_KEY", "Exit status"})
			CPPUNIT_ASSERT_MESSAGE(std::string(expected) + " missing from --help",
			                       contains(help.out, expected));
		auto shortHelp = ProcessRunner::send({"-h"});
		CPPUNIT_ASSERT_EQUAL(help.out, shortHelp.out);
	}

	void testCaptureInspector()
	{
		// The inspector prints what it received and stops by itself once idle.
		std::string portFile = Poco::TemporaryFile::tempName();
		Poco::TemporaryFile::registerForDeletion(portFile);
		ProcessRunner::Result inspector;
		Poco::Thread thread;
		struct Run : Poco::Runnable
		{
			std::string portFile;
			ProcessRunner::Result* result;
			void run() override
			{
				*result = ProcessRunner::run(ProcessRunner::binary("posthog-capture-inspector"),
				                             {"--port-file", portFile, "--exit-after-idle", "1500"});
			}
		} run;
		run.portFile = portFile;
		run.result = &inspector;
		thread.start(run);
		std::string port;
		for (int i = 0; i < 100 && port.empty(); ++i)
		{
			Poco::Thread::sleep(50);
			if (Poco::File(portFile).exists())
			{
				Poco::FileInputStream in(portFile);
				std::getline(in, port);
			}
		}
		CPPUNIT_ASSERT(!port.empty());
		auto r =
		    ProcessRunner::send({"--api-key", kKey, "--host", "http://127.0.0.1:" + port, "-D",
		                         "posthog.http.gzip=false", ProcessRunner::source("samples/events.ndjson")});
		CPPUNIT_ASSERT_EQUAL_MESSAGE(r.err, 0, r.exitCode);
		thread.join();
		CPPUNIT_ASSERT_EQUAL(0, inspector.exitCode);
		CPPUNIT_ASSERT(contains(inspector.out,
		                        "posthog-capture-inspector: listening on http://127.0.0.1:" + port + "\n"));
		CPPUNIT_ASSERT(contains(inspector.out, "POST /batch/ #1: 100 events, not gzipped, "));
		CPPUNIT_ASSERT(contains(inspector.out, "api_key " + kMasked + "\n"));
		CPPUNIT_ASSERT(!contains(inspector.out, kKey));
		CPPUNIT_ASSERT(contains(inspector.out, "  identify      '$identify'"));
		CPPUNIT_ASSERT(contains(
		    inspector.out, "summary: 4 requests (0 gzip), 324 events (capture 198, identify 30, alias 16, "
		                   "groupidentify 16, pageview 64), 324 unique uuids, 0 requests refused\n"));
	}

private:
	static std::string fixedInput()
	{
		return "{\"distinct_id\":\"u1\",\"event\":\"one\",\"uuid\":\"0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a01\","
		       "\"timestamp\":\"2025-03-01T12:00:00Z\",\"properties\":{\"n\":1}}\n"
		       "{\"type\":\"identify\",\"distinct_id\":\"u1\",\"uuid\":\"0190b8c2-6f1a-7cc0-8a4e-"
		       "3f2d1c0b9a02\","
		       "\"timestamp\":\"2025-03-01T12:00:01Z\",\"properties\":{\"email\":\"ada@example.com\"}}\n"
		       "{\"type\":\"pageview\",\"distinct_id\":\"u1\",\"url\":\"https://example.com/\","
		       "\"uuid\":\"0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a03\",\"timestamp\":\"2025-03-01T12:00:02Z\"}\n";
	}

	static void flatten(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
	                    std::map<std::string, std::string>& out)
	{
		Poco::Util::AbstractConfiguration::Keys keys;
		config.keys(prefix, keys);
		for (const auto& key : keys)
		{
			std::string full = prefix.empty() ? key : prefix + "." + key;
			Poco::Util::AbstractConfiguration::Keys children;
			config.keys(full, children);
			if (children.empty())
				out[full] = config.getString(full);
			else
				flatten(config, full, out);
		}
	}

	static std::vector<Poco::JSON::Object::Ptr> splitBodies(const std::string& out)
	{
		std::vector<Poco::JSON::Object::Ptr> bodies;
		std::size_t start = 0;
		for (;;)
		{
			std::size_t end = out.find("\n}\n", start);
			if (end == std::string::npos)
				break;
			Poco::JSON::Parser parser;
			bodies.push_back(
			    parser.parse(out.substr(start, end + 2 - start)).extract<Poco::JSON::Object::Ptr>());
			start = end + 3;
		}
		return bodies;
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(PostHogSendTest);
