//
// ConsistencyTest.cpp
//
// The bucketing vectors every PostHog SDK checks (data/*.txt, typed in from posthog-python's
// test suite; the files name their source).
//

#include "FlagsTestSupport.h"
#include <cppunit/extensions/HelperMacros.h>
#include <fstream>
#include <vector>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::vector<std::string> expectations(const std::string& name)
{
	std::ifstream in(std::string(POSTHOG_FLAGS_TEST_DATA) + "/" + name);
	std::vector<std::string> lines;
	std::string line;
	while (std::getline(in, line))
	{
		if (!line.empty() && line[0] != '#')
			lines.push_back(line);
	}
	return lines;
}

} // namespace

class ConsistencyTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ConsistencyTest);
	CPPUNIT_TEST(testSimpleFlagConsistency);
	CPPUNIT_TEST(testMultivariateFlagConsistency);
	CPPUNIT_TEST_SUITE_END();

public:
	void testSimpleFlagConsistency()
	{
		const auto definitions = definitionsOf(
		    R"({"id": 1, "key": "simple-flag", "active": true,
			    "filters": {"groups": [{"properties": [], "rollout_percentage": 45}]}})");
		const std::vector<std::string> expected = expectations("simple-flag-consistency.txt");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), expected.size());
		for (std::size_t i = 0; i < expected.size(); ++i)
		{
			const LocalResult result =
			    evaluate(*definitions, "simple-flag", "distinct_id_" + std::to_string(i));
			CPPUNIT_ASSERT_EQUAL_MESSAGE("distinct_id_" + std::to_string(i), expected[i], outcome(result));
		}
	}

	void testMultivariateFlagConsistency()
	{
		const auto definitions = definitionsOf(
		    R"({"id": 1, "key": "multivariate-flag", "active": true,
			    "filters": {"groups": [{"properties": [], "rollout_percentage": 55}],
			      "multivariate": {"variants": [
			        {"key": "first-variant", "rollout_percentage": 50},
			        {"key": "second-variant", "rollout_percentage": 20},
			        {"key": "third-variant", "rollout_percentage": 20},
			        {"key": "fourth-variant", "rollout_percentage": 5},
			        {"key": "fifth-variant", "rollout_percentage": 5}]}}})");
		const std::vector<std::string> expected = expectations("multivariate-flag-consistency.txt");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1000), expected.size());
		for (std::size_t i = 0; i < expected.size(); ++i)
		{
			const LocalResult result =
			    evaluate(*definitions, "multivariate-flag", "distinct_id_" + std::to_string(i));
			CPPUNIT_ASSERT_EQUAL_MESSAGE("distinct_id_" + std::to_string(i), expected[i], outcome(result));
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsistencyTest);
