//
// PostHogFlagsTest.cpp
//
// The real posthog-flags binary run as a process against the loopback server serving
// /flags/definitions and /flags: output lines in input order, payloads decoded, --local-only,
// the remote fallback and its failures, bad lines, --flag, --explain, --bench-rounds, --threads, usage
// errors and exit codes, and that it captures no events.
//

#include "CaptureServer.h"
#include "FlagsEndpoint.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/PipeStream.h"
#include "Poco/Thread.h"
#include "ProcessRunner.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>
#include <thread>

using PostHogTest::CaptureServer;
using PostHogTest::FlagsEndpoint;
using PostHogTest::ProcessRunner;

namespace
{

const std::string kKey = "phc_flags_cli_key_a1b2";
const std::string kPersonal = "phx_flags_cli_personal_c3d4";

/// "on" (with a payload), "off", "mv" (always "blue"), and "pro-only" (a person filter).
std::string projectDefinitions()
{
	const std::string proOnly =
	    R"({"id": 90, "key": "pro-only", "active": true, "filters": {"groups": [{"properties": [)"
	    R"({"key": "plan", "type": "person", "operator": "exact", "value": ["pro"]}], "rollout_percentage": 100}]}})";
	return FlagsEndpoint::definitions({FlagsEndpoint::definition("on", true, 100, "", R"({"limit": 10})"),
	                                   FlagsEndpoint::definition("off", true, 0),
	                                   FlagsEndpoint::definition("mv", true, 100, "blue"), proOnly});
}

std::vector<Poco::JSON::Object::Ptr> linesOf(const std::string& out)
{
	std::vector<Poco::JSON::Object::Ptr> lines;
	std::istringstream in(out);
	std::string line;
	while (std::getline(in, line))
		lines.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
	return lines;
}

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

} // namespace

class PostHogFlagsTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(PostHogFlagsTest);
	CPPUNIT_TEST(testLocalEvaluationInInputOrder);
	CPPUNIT_TEST(testLocalOnlyLeavesUndecidableFlagsOut);
	CPPUNIT_TEST(testRemoteFallbackOneRequestPerLine);
	CPPUNIT_TEST(testRemoteFailureExitsOne);
	CPPUNIT_TEST(testBadLineNamesItsNumber);
	CPPUNIT_TEST(testFlagOption);
	CPPUNIT_TEST(testExplainGoesToStderr);
	CPPUNIT_TEST(testBenchRounds);
	CPPUNIT_TEST(testThreadsKeepTheOutputOfOneThread);
	CPPUNIT_TEST(testThreadsWithRemoteFallback);
	CPPUNIT_TEST(testOneThreadAnswersEachLineBeforeReadingTheNext);
	CPPUNIT_TEST(testUsageAndDefinitionErrorsExitTwo);
	CPPUNIT_TEST_SUITE_END();

public:
	void setUp() override
	{
		_server = std::make_unique<CaptureServer>();
		_flags = std::make_unique<FlagsEndpoint>(*_server);
		_flags->setDefinitions(projectDefinitions());
	}

	void tearDown() override
	{
		_flags.reset();
		_server.reset();
	}

	void testLocalEvaluationInInputOrder()
	{
		const ProcessRunner::Result result =
		    run({"--local-only"}, "{\"distinct_id\": \"u1\", \"person_properties\": {\"plan\": \"pro\"}}\n"
		                          "\n"
		                          "{\"distinct_id\": \"u2\", \"person_properties\": {\"plan\": \"free\"}}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		const auto lines = linesOf(result.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
		CPPUNIT_ASSERT_EQUAL(std::string("u1"), lines[0]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("u2"), lines[1]->getValue<std::string>("distinct_id"));
		const auto first = lines[0]->getObject("flags");
		CPPUNIT_ASSERT(first->getValue<bool>("on"));
		CPPUNIT_ASSERT(!first->getValue<bool>("off"));
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), first->getValue<std::string>("mv"));
		CPPUNIT_ASSERT(first->getValue<bool>("pro-only"));
		CPPUNIT_ASSERT(!lines[1]->getObject("flags")->getValue<bool>("pro-only"));
		// Only flags that are on and have a payload; the payload decoded.
		const auto payloads = lines[0]->getObject("payloads");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), payloads->size());
		CPPUNIT_ASSERT_EQUAL(10, payloads->getObject("on")->getValue<int>("limit"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _flags->flagsRequests());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->eventCount());
	}

	void testLocalOnlyLeavesUndecidableFlagsOut()
	{
		const ProcessRunner::Result result = run({"--local-only"}, "{\"distinct_id\": \"u1\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		const auto flags = linesOf(result.out).at(0)->getObject("flags");
		CPPUNIT_ASSERT(!flags->has("pro-only"));
		CPPUNIT_ASSERT(flags->has("on"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _flags->flagsRequests());
	}

	void testRemoteFallbackOneRequestPerLine()
	{
		FlagsEndpoint::Flag remote;
		remote.value = "true";
		_flags->setFlags({{"pro-only", remote}});
		const ProcessRunner::Result result =
		    run({}, "{\"distinct_id\": \"u1\"}\n{\"distinct_id\": \"u2\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		const auto lines = linesOf(result.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
		CPPUNIT_ASSERT(lines[0]->getObject("flags")->getValue<bool>("pro-only"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), _flags->flagsRequests());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->eventCount());
	}

	void testRemoteFailureExitsOne()
	{
		FlagsEndpoint::Scripted failure;
		failure.status = 500;
		_flags->failFlags(10, failure);
		const ProcessRunner::Result result = run({}, "{\"distinct_id\": \"u1\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 1, result.exitCode);
		const auto line = linesOf(result.out).at(0);
		CPPUNIT_ASSERT(line->has("error"));
		CPPUNIT_ASSERT(line->getObject("flags")->getValue<bool>("on"));
		CPPUNIT_ASSERT(contains(result.err, "line 1"));
	}

	void testBadLineNamesItsNumber()
	{
		const ProcessRunner::Result result = run(
		    {"--local-only"},
		    "{\"distinct_id\": \"u1\"}\n{not json\n{\"person_properties\": {}}\n{\"distinct_id\": \"u4\"}\n");
		CPPUNIT_ASSERT_EQUAL(1, result.exitCode);
		const auto lines = linesOf(result.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), lines.size());
		CPPUNIT_ASSERT_EQUAL(2, lines[1]->getValue<int>("line"));
		CPPUNIT_ASSERT(lines[1]->has("error"));
		CPPUNIT_ASSERT_EQUAL(3, lines[2]->getValue<int>("line"));
		CPPUNIT_ASSERT_EQUAL(std::string("u4"), lines[3]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT(contains(result.err, "line 2: "));
		CPPUNIT_ASSERT(contains(result.err, "line 3: \"distinct_id\""));
	}

	void testFlagOption()
	{
		const ProcessRunner::Result result =
		    run({"--local-only", "--flag", "mv"}, "{\"distinct_id\": \"u1\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		const auto flags = linesOf(result.out).at(0)->getObject("flags");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), flags->size());
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), flags->getValue<std::string>("mv"));
	}

	void testExplainGoesToStderr()
	{
		const ProcessRunner::Result result =
		    run({"--local-only", "--explain"},
		        "{\"distinct_id\": \"u1\", \"person_properties\": {\"plan\": \"pro\"}}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), linesOf(result.out).size());
		CPPUNIT_ASSERT(contains(result.err, "pro-only"));
		CPPUNIT_ASSERT(contains(result.err, "line 1: "));
	}

	void testBenchRounds()
	{
		const ProcessRunner::Result result = run({"--local-only", "--bench-rounds", "3"},
		                                         "{\"distinct_id\": \"u1\"}\n{\"distinct_id\": \"u2\"}\n");
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		CPPUNIT_ASSERT(result.out.empty());
		const std::string report = result.err.substr(result.err.find('{'));
		const auto stats = Poco::JSON::Parser().parse(report).extract<Poco::JSON::Object::Ptr>();
		CPPUNIT_ASSERT_EQUAL(6, stats->getValue<int>("requests"));
		CPPUNIT_ASSERT(stats->has("seconds"));
		CPPUNIT_ASSERT(stats->has("requests_per_s"));
	}

	void testThreadsKeepTheOutputOfOneThread()
	{
		// Three blocks of lines (1,024 a block), one of them unreadable: the same bytes out, in
		// input order, the same exit status and the bad line named, with one thread or four.
		std::string input;
		for (int i = 1; i <= 2500; ++i)
		{
			if (i == 1500)
				input += "{not json\n";
			else
				input += "{\"distinct_id\": \"u" + std::to_string(i) +
				         "\", \"person_properties\": {\"plan\": \"" + (i % 3 ? "free" : "pro") + "\"}}\n";
		}
		const ProcessRunner::Result one = run({"--local-only", "--threads", "1"}, input);
		const ProcessRunner::Result four = run({"--local-only", "--threads", "4"}, input);
		CPPUNIT_ASSERT_EQUAL(1, one.exitCode);
		CPPUNIT_ASSERT_EQUAL(1, four.exitCode);
		CPPUNIT_ASSERT(one.out == four.out);
		const auto lines = linesOf(four.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2500), lines.size());
		CPPUNIT_ASSERT_EQUAL(std::string("u2499"), lines[2498]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT(lines[2498]->getObject("flags")->getValue<bool>("pro-only"));
		CPPUNIT_ASSERT(!lines[2497]->getObject("flags")->getValue<bool>("pro-only"));
		CPPUNIT_ASSERT_EQUAL(1500, lines[1499]->getValue<int>("line"));
		CPPUNIT_ASSERT(contains(four.err, "line 1500: "));
	}

	void testThreadsWithRemoteFallback()
	{
		FlagsEndpoint::Flag remote;
		remote.value = "true";
		_flags->setFlags({{"pro-only", remote}});
		std::string input;
		for (int i = 1; i <= 40; ++i)
			input += "{\"distinct_id\": \"u" + std::to_string(i) + "\"}\n";
		const ProcessRunner::Result result = run({"--threads", "4"}, input);
		CPPUNIT_ASSERT_EQUAL_MESSAGE(result.err, 0, result.exitCode);
		const auto lines = linesOf(result.out);
		CPPUNIT_ASSERT_EQUAL(std::size_t(40), lines.size());
		for (int i = 0; i < 40; ++i)
		{
			CPPUNIT_ASSERT_EQUAL("u" + std::to_string(i + 1), lines[i]->getValue<std::string>("distinct_id"));
			CPPUNIT_ASSERT(lines[i]->getObject("flags")->getValue<bool>("pro-only"));
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(40), _flags->flagsRequests());
	}

	void testOneThreadAnswersEachLineBeforeReadingTheNext()
	{
		// A script writes a line and waits for its answer before writing the next.
		std::vector<std::string> args{"--api-key", kKey,           "--personal-api-key", kPersonal,
		                              "--host",    _server->url(), "--local-only"};
		Poco::Pipe in, out;
		Poco::ProcessHandle handle =
		    Poco::Process::launch(ProcessRunner::binary("posthog-flags"), args, &in, &out, nullptr);
		std::atomic<bool> done{false};
		std::thread watchdog(
		    [&]
		    {
			    for (int i = 0; i < 200 && !done; ++i)
				    Poco::Thread::sleep(50);
			    if (!done)
				    Poco::Process::kill(handle); // a stuck exchange ends with EOF instead of hanging
		    });
		bool first = false, second = false;
		std::string firstAnswer, answer;
		try
		{
			Poco::PipeOutputStream toTool(in);
			Poco::PipeInputStream fromTool(out);
			toTool << "{\"distinct_id\": \"u1\", \"person_properties\": {\"plan\": \"pro\"}}" << std::endl;
			first = static_cast<bool>(std::getline(fromTool, firstAnswer));
			if (first) // else the watchdog killed the tool: nothing more may be written to it
			{
				toTool << "{\"distinct_id\": \"u2\"}" << std::endl;
				second = static_cast<bool>(std::getline(fromTool, answer));
			}
			toTool.close();
		}
		catch (const Poco::Exception&)
		{
			// the tool was killed while we wrote: the assertions below fail
		}
		done = true;
		watchdog.join();
		handle.wait();
		CPPUNIT_ASSERT(first && second);
		CPPUNIT_ASSERT(contains(firstAnswer, "\"u1\""));
		CPPUNIT_ASSERT(contains(answer, "\"u2\""));
	}

	void testUsageAndDefinitionErrorsExitTwo()
	{
		ProcessRunner::Result result = ProcessRunner::run(
		    ProcessRunner::binary("posthog-flags"), {"--host", _server->url(), "--local-only"},
		    "{\"distinct_id\": \"u1\"}\n", {{"POSTHOG_API_KEY", ""}});
		CPPUNIT_ASSERT_EQUAL(2, result.exitCode);
		CPPUNIT_ASSERT(contains(result.err, "API key"));
		result = run({"--bench-rounds", "zero"}, "");
		CPPUNIT_ASSERT_EQUAL(2, result.exitCode);
		result = run({"--threads", "0"}, "");
		CPPUNIT_ASSERT_EQUAL(2, result.exitCode);
		CPPUNIT_ASSERT(contains(result.err, "--threads '0'"));
		result = ProcessRunner::run(ProcessRunner::binary("posthog-flags"),
		                            {"--api-key", kKey, "--host", _server->url(), "--local-only"},
		                            "{\"distinct_id\": \"u1\"}\n");
		CPPUNIT_ASSERT_EQUAL(2, result.exitCode);
		CPPUNIT_ASSERT(contains(result.err, "--local-only needs definitions"));
		FlagsEndpoint::Scripted unauthorized;
		unauthorized.status = 401;
		_flags->failDefinitions(100, unauthorized);
		result =
		    run({"--local-only", "-D", "posthog.flags.requestTimeout=500"}, "{\"distinct_id\": \"u1\"}\n");
		CPPUNIT_ASSERT_EQUAL(2, result.exitCode);
		CPPUNIT_ASSERT(contains(result.err, "definitions could not be loaded"));
		CPPUNIT_ASSERT(result.out.empty());
	}

private:
	ProcessRunner::Result run(std::vector<std::string> args, const std::string& input)
	{
		std::vector<std::string> all{"--api-key", kKey,     "--personal-api-key",
		                             kPersonal,   "--host", _server->url()};
		all.insert(all.end(), args.begin(), args.end());
		return ProcessRunner::run(ProcessRunner::binary("posthog-flags"), all, input);
	}

	std::unique_ptr<CaptureServer> _server;
	std::unique_ptr<FlagsEndpoint> _flags;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PostHogFlagsTest);
