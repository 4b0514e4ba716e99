//
// SamplingMiddlewareTest.cpp
//
// The sampling plugin (libPostHogSampling.so, loaded through the pipeline): the statistics,
// consistency across rates, pipelines and seeds, identity events, per-event rates, options.
//

#include "PluginDocs.h"
#include "StageHarness.h"
#include <cmath>
#include <cppunit/extensions/HelperMacros.h>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

using namespace PostHog;
using PostHogTest::StageHarness;

namespace
{

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

std::string id(int i)
{
	return "user-" + std::to_string(i);
}

// The ids among the first n that the stage keeps for event `event`.
std::set<int> keptIds(StageHarness& h, int n, const std::string& event = "movie played")
{
	std::set<int> kept;
	for (int i = 0; i < n; ++i)
	{
		Message m = StageHarness::message(event, id(i));
		if (h.run(m).passed)
			kept.insert(i);
	}
	return kept;
}

// A reference value of MurmurHash3_x86_32.
struct Vector
{
	const char* text;
	std::uint32_t seed;
	std::uint32_t hash;
};

} // namespace

class SamplingMiddlewareTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(SamplingMiddlewareTest);
	CPPUNIT_TEST(testDefaultKeepsEverything);
	CPPUNIT_TEST(testStatistics);
	CPPUNIT_TEST(testKeptAtLowerRateKeptAtHigher);
	CPPUNIT_TEST(testSameDecisionsAcrossPipelines);
	CPPUNIT_TEST(testAllEventsOfAnIdTogether);
	CPPUNIT_TEST(testSeed);
	CPPUNIT_TEST(testHashIsMurmur3);
	CPPUNIT_TEST(testIdentityEventsNeverSampled);
	CPPUNIT_TEST(testEventRates);
	CPPUNIT_TEST(testWriteRate);
	CPPUNIT_TEST(testDropReasonNamesRate);
	CPPUNIT_TEST(testBadOptions);
	CPPUNIT_TEST(testOptionsDocumented);
	CPPUNIT_TEST_SUITE_END();

public:
	void testDefaultKeepsEverything()
	{
		StageHarness h("sampling");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), keptIds(h, 1000).size());
		Message m = StageHarness::message("movie played", "user-1", {{"plan", "pro"}});
		CPPUNIT_ASSERT(h.run(m).passed);
		CPPUNIT_ASSERT(m.properties() == Properties({{"plan", "pro"}})); // no $sample_rate by default
	}

	void testStatistics()
	{
		const int n = 20000;
		std::ostringstream report;
		report << std::fixed << std::setprecision(2);
		const double rates[] = {0.01, 0.1, 0.25, 0.5, 0.9};
		for (double rate : rates)
		{
			StageHarness h("sampling", {{"rate", std::to_string(rate)}});
			double share = static_cast<double>(keptIds(h, n).size()) / n;
			report << " rate " << rate << ": kept " << share * 100 << "%;";
			if (rate == 0.25)
				CPPUNIT_ASSERT_MESSAGE(report.str(), std::fabs(share - 0.25) <= 0.015);
			else // 4.5 standard deviations of a binomial share
				CPPUNIT_ASSERT_MESSAGE(report.str(),
				                       std::fabs(share - rate) <= 4.5 * std::sqrt(rate * (1 - rate) / n));
		}
		std::cout << "\n  sampling over " << n << " distinct ids:" << report.str() << std::endl;
	}

	void testKeptAtLowerRateKeptAtHigher()
	{
		StageHarness low("sampling", {{"rate", "0.1"}});
		StageHarness mid("sampling", {{"rate", "0.25"}});
		StageHarness high("sampling", {{"rate", "0.5"}});
		auto atLow = keptIds(low, 20000);
		auto atMid = keptIds(mid, 20000);
		auto atHigh = keptIds(high, 20000);
		CPPUNIT_ASSERT(atLow.size() > 1500 && atLow.size() < atMid.size() && atMid.size() < atHigh.size());
		for (int i : atLow)
			CPPUNIT_ASSERT_MESSAGE(id(i), atMid.count(i) == 1);
		for (int i : atMid)
			CPPUNIT_ASSERT_MESSAGE(id(i), atHigh.count(i) == 1);
	}

	void testSameDecisionsAcrossPipelines()
	{
		// Two pipelines built separately (each loads and configures its own instance), the
		// second with the options in another order and spelling.
		StageHarness first("sampling", {{"rate", "0.3"}, {"seed", "7"}});
		StageHarness second("sampling", {{"seed", " 7"}, {"rate", "0.30"}});
		auto a = keptIds(first, 10000);
		auto b = keptIds(second, 10000);
		CPPUNIT_ASSERT(a.size() > 2500 && a.size() < 3500);
		CPPUNIT_ASSERT(a == b);
	}

	void testAllEventsOfAnIdTogether()
	{
		StageHarness h("sampling", {{"rate", "0.5"}});
		auto played = keptIds(h, 2000, "movie played");
		auto paused = keptIds(h, 2000, "movie paused");
		auto pageview = keptIds(h, 2000, "$pageview");
		CPPUNIT_ASSERT(played == paused);
		CPPUNIT_ASSERT(played == pageview);
	}

	void testSeed()
	{
		StageHarness seed0("sampling", {{"rate", "0.25"}});
		StageHarness seed1("sampling", {{"rate", "0.25"}, {"seed", "1"}});
		StageHarness seedMax("sampling", {{"rate", "0.25"}, {"seed", "4294967295"}});
		auto a = keptIds(seed0, 20000);
		auto b = keptIds(seed1, 20000);
		auto c = keptIds(seedMax, 20000);
		CPPUNIT_ASSERT(std::fabs(b.size() / 20000.0 - 0.25) <= 0.015);
		CPPUNIT_ASSERT(std::fabs(c.size() / 20000.0 - 0.25) <= 0.015);
		// Independent samples: the overlap is about 0.25 * 0.25 of the ids, not 0.25.
		std::size_t overlap = 0;
		for (int i : a)
			overlap += b.count(i);
		double share = overlap / 20000.0;
		CPPUNIT_ASSERT_MESSAGE(std::to_string(share), share > 0.045 && share < 0.080);
		CPPUNIT_ASSERT(b != c);
	}

	void testHashIsMurmur3()
	{
		// Reference values of MurmurHash3_x86_32 (SMHasher's definition). The plugin keeps an
		// id at rate r exactly when murmur3(id, seed) < r * 2^32: an id whose hash is h is kept
		// at rate (h + 1) / 2^32 and dropped at h / 2^32.
		const Vector vectors[] = {
		    {"", 1, 0x514E28B7u},
		    {"", 0xffffffffu, 0x81F16F39u},
		    {"test", 0, 0xba6bd213u},
		    {"Hello, world!", 1234, 0xfaf6cdb3u},
		    {"The quick brown fox jumps over the lazy dog", 0x9747b28cu, 0x2FA826CDu},
		    {"aaaa", 0x9747b28cu, 0x5A97808Au},
		    {"abc", 0, 0xB3DD93FAu},
		};
		for (const auto& v : vectors)
		{
			std::ostringstream just, below;
			just << std::setprecision(17) << (static_cast<double>(v.hash) + 1) / 4294967296.0;
			below << std::setprecision(17) << static_cast<double>(v.hash) / 4294967296.0;
			std::string seed = std::to_string(v.seed);
			StageHarness keeps("sampling", {{"rate", just.str()}, {"seed", seed}});
			StageHarness drops("sampling", {{"rate", below.str()}, {"seed", seed}});
			Message a = StageHarness::message("e", v.text);
			Message b = StageHarness::message("e", v.text);
			CPPUNIT_ASSERT_MESSAGE(std::string("'") + v.text + "' kept at " + just.str(),
			                       keeps.run(a).passed);
			CPPUNIT_ASSERT_MESSAGE(std::string("'") + v.text + "' dropped at " + below.str(),
			                       !drops.run(b).passed);
		}
	}

	void testIdentityEventsNeverSampled()
	{
		StageHarness h("sampling", {{"rate", "0"}, {"eventRates", "$identify:0, $set:0"}});
		Message identify(Message::Type::Identify, "$identify", "user-1");
		Message alias(Message::Type::Alias, "$create_alias", "user-1");
		Message group(Message::Type::GroupIdentify, "$groupidentify", "$company_acme");
		Message set = StageHarness::message("$set", "user-1");
		Message merge = StageHarness::message("$merge_dangerously", "user-1");
		Message capturedIdentify = StageHarness::message("$identify", "user-1");
		for (Message* m : {&identify, &alias, &group, &set, &merge, &capturedIdentify})
			CPPUNIT_ASSERT_MESSAGE(m->event(), h.run(*m).passed);
		Message event = StageHarness::message("movie played", "user-1");
		CPPUNIT_ASSERT(!h.run(event).passed);
		Message pageview = StageHarness::message("$pageview", "user-1");
		CPPUNIT_ASSERT(!h.run(pageview).passed);
	}

	void testEventRates()
	{
		StageHarness h("sampling", {{"eventRates", "movie played:0, $pageview:0.5, checkout:step:1"}});
		CPPUNIT_ASSERT(keptIds(h, 1000, "movie played").empty());
		std::size_t pageviews = keptIds(h, 20000, "$pageview").size();
		CPPUNIT_ASSERT_MESSAGE(std::to_string(pageviews), pageviews > 9500 && pageviews < 10500);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), keptIds(h, 1000, "checkout:step").size());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), keptIds(h, 1000, "signed up").size()); // rate 1 for the rest
		// An event's own rate is consistent with the global one: same hash, same thresholds.
		StageHarness global("sampling", {{"rate", "0.5"}});
		CPPUNIT_ASSERT(keptIds(h, 5000, "$pageview") == keptIds(global, 5000, "$pageview"));

		StageHarness mixed("sampling", {{"rate", "0"}, {"eventRates", "signed up:1"}});
		CPPUNIT_ASSERT(keptIds(mixed, 100, "movie played").empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(100), keptIds(mixed, 100, "signed up").size());
	}

	void testWriteRate()
	{
		StageHarness h("sampling",
		               {{"rate", "0.5"}, {"eventRates", "$pageview:0.25"}, {"writeRate", "true"}});
		int checked = 0;
		for (int i = 0; i < 200; ++i)
		{
			Message m = StageHarness::message("movie played", id(i));
			if (h.run(m).passed)
			{
				CPPUNIT_ASSERT(m.properties().get("$sample_rate").isDouble());
				CPPUNIT_ASSERT_EQUAL(0.5, m.properties().get("$sample_rate").getDouble());
				++checked;
			}
			Message pv = StageHarness::message("$pageview", id(i));
			if (h.run(pv).passed)
				CPPUNIT_ASSERT_EQUAL(0.25, pv.properties().get("$sample_rate").getDouble());
		}
		CPPUNIT_ASSERT(checked > 50);
		Message identify(Message::Type::Identify, "$identify", "user-1");
		CPPUNIT_ASSERT(h.run(identify).passed);
		CPPUNIT_ASSERT(!identify.properties().has("$sample_rate"));
	}

	void testDropReasonNamesRate()
	{
		StageHarness h("sampling", {{"rate", "0.25"}, {"eventRates", "movie played:0.1"}});
		keptIds(h, 2000, "signed up");
		keptIds(h, 2000, "movie played");
		auto stats = h.pipeline().statistics();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), stats[0].dropReasons.size());
		std::uint64_t global = stats[0].dropReasons["sampled out at rate 0.25"];
		std::uint64_t perEvent = stats[0].dropReasons["sampled out at rate 0.1 (eventRates 'movie played')"];
		CPPUNIT_ASSERT_MESSAGE(std::to_string(global), global > 1400 && global < 1600);
		CPPUNIT_ASSERT_MESSAGE(std::to_string(perEvent), perEvent > 1700 && perEvent < 1900);
		CPPUNIT_ASSERT_EQUAL(global + perEvent, stats[0].dropped);
	}

	void testBadOptions()
	{
		struct Case
		{
			const char* key;
			const char* value;
			const char* expected;
		};
		Case cases[] = {
		    {"rate", "1.5", "stage 'sampling': option 'rate' = '1.5' is not a number between 0 and 1"},
		    {"rate", "-0.1", "stage 'sampling': option 'rate' = '-0.1' is not a number between 0 and 1"},
		    {"rate", "quarter",
		     "stage 'sampling': option 'rate' = 'quarter' is not a number between 0 and 1"},
		    {"seed", "-1",
		     "stage 'sampling': option 'seed' = '-1' is not an integer between 0 and 4294967295"},
		    {"seed", "4294967296",
		     "stage 'sampling': option 'seed' = '4294967296' is not an integer between 0 and"},
		    {"writeRate", "maybe", "stage 'sampling': option 'writeRate' = 'maybe' is not true or false"},
		    {"eventRates", "movie played",
		     "stage 'sampling': option 'eventRates' = 'movie played': "
		     "entry 'movie played' is not <event>:<rate>"},
		    {"eventRates", "a:0.1, b:2",
		     "option 'eventRates' = 'a:0.1, b:2': entry 'b:2' has rate '2', not a number "
		     "between 0 and 1"},
		    {"eventRates", "b:half", "entry 'b:half' has rate 'half', not a number between 0 and 1"},
		    {"eventRates", ":0.5", "entry ':0.5' names no event"},
		    {"eventRates", "a:0.1, a:0.2", "entry 'a:0.2' names event 'a' a second time"},
		    {"ratio", "0.5", "stage 'sampling': unknown option 'ratio' = '0.5'"},
		};
		for (const auto& c : cases)
		{
			std::string error = StageHarness::buildError("sampling", {{c.key, c.value}});
			CPPUNIT_ASSERT_MESSAGE(std::string(c.key) + " gave: " + error, contains(error, c.expected));
			CPPUNIT_ASSERT_MESSAGE(error, contains(error, "stage 'sampling'"));
		}
		// An unknown key is answered with the options the stage does know.
		std::string unknown = StageHarness::buildError("sampling", {{"ratio", "0.5"}});
		for (const char* known : {"rate", "eventRates", "seed", "writeRate"})
			CPPUNIT_ASSERT_MESSAGE(unknown, contains(unknown, known));
	}

	void testOptionsDocumented()
	{
		// README.md lists every option exactly as the plugin's own table declares it.
		auto rows = StageHarness::optionRows("PostHogSampling", "SamplingMiddleware");
		CPPUNIT_ASSERT(rows.size() >= 4);
		std::string missing = PostHogTest::PluginDocs::missingRows("sampling", rows);
		CPPUNIT_ASSERT_MESSAGE("README.md, section sampling, lacks:\n" + missing, missing.empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(SamplingMiddlewareTest);
