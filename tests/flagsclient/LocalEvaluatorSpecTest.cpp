//
// LocalEvaluatorSpecTest.cpp
//
// The local-feature-flag-evaluator scenarios of PostHog/sdk-specs about string operators,
// unrecognized operators and fractional rollouts, end to end: definitions served by the
// loopback /flags/definitions, evaluated by a Client, the remote fallback seen at /flags.
//

#include "FlagsTestSupport.h"
#include "PostHog/Client.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::string propertyFlag(const std::string& key, const std::string& property, const std::string& op,
                         const std::string& value)
{
	return "{\"id\":7,\"key\":\"" + key +
	       "\",\"active\":true,\"ensure_experience_continuity\":false,\"filters\":{\"groups\":[{"
	       "\"properties\":"
	       "[{\"key\":\"" +
	       property + "\",\"type\":\"person\",\"operator\":\"" + op + "\",\"value\":\"" + value +
	       "\"}],\"rollout_percentage\":100}]}}";
}

std::string rolloutFlag(const std::string& key, const std::string& percentageLiteral)
/// The percentage as it appears in the JSON text ("0.1", "100.0", "0.0").
{
	return "{\"id\":8,\"key\":\"" + key +
	       "\",\"active\":true,\"ensure_experience_continuity\":false,\"filters\":{\"groups\":[{"
	       "\"properties\":[],"
	       "\"rollout_percentage\":" +
	       percentageLiteral + "}]}}";
}

FlagOptions localOnly(Properties person = Properties())
{
	FlagOptions o;
	o.onlyEvaluateLocally = true;
	o.personProperties = std::move(person);
	return o;
}

} // namespace

class LocalEvaluatorSpecTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(LocalEvaluatorSpecTest);
	CPPUNIT_TEST(testAStartsWithFilterIsInconclusiveWhenThePropertyIsMissing);
	CPPUNIT_TEST(testAnUnrecognizedOperatorDefersOnlyThatFlagToRemoteEvaluation);
	CPPUNIT_TEST(testOtherFlagsKeepEvaluatingLocallyDespiteOneUnrecognizedOperator);
	CPPUNIT_TEST(testAFractionalRolloutPercentageMatchesOnlyTheIntendedBucket);
	CPPUNIT_TEST(testRolloutPercentageBoundariesKeepBehavingAfterWideningToAFloat);
	CPPUNIT_TEST_SUITE_END();

public:
	void testAStartsWithFilterIsInconclusiveWhenThePropertyIsMissing()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"enterprise-ui", "true"}}));
		Client& c = f.startLocal({propertyFlag("enterprise-ui", "email", "starts_with", "admin@")});
		// Inconclusive: nothing is decided locally...
		FeatureFlagResult local = c.getFeatureFlagResult("enterprise-ui", "user-1", localOnly());
		CPPUNIT_ASSERT(!local.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), local.error);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		// ...so the server is asked, for that flag only.
		FeatureFlagResult remote = c.getFeatureFlagResult("enterprise-ui", "user-1");
		CPPUNIT_ASSERT(remote.value == FlagValue(true));
		CPPUNIT_ASSERT(!remote.locallyEvaluated);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		CPPUNIT_ASSERT(requestedKeys(f.flags.flagsRequestBodies().at(0)) ==
		               std::vector<std::string>{"enterprise-ui"});
		// With the property present the same filter decides locally, both ways.
		CPPUNIT_ASSERT(c.getFeatureFlag("enterprise-ui", "user-1",
		                                localOnly({{"email", "admin@example.com"}})) == FlagValue(true));
		CPPUNIT_ASSERT(c.getFeatureFlag("enterprise-ui", "user-1",
		                                localOnly({{"email", "bob@example.com"}})) == FlagValue(false));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testAnUnrecognizedOperatorDefersOnlyThatFlagToRemoteEvaluation()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"future-op-flag", "true"}}));
		Client& c =
		    f.startLocal({propertyFlag("future-op-flag", "plan", "plan_matches_future_rule", "enterprise")});
		Properties plan{{"plan", "enterprise"}};
		FeatureFlagResult local = c.getFeatureFlagResult("future-op-flag", "user-123", localOnly(plan));
		CPPUNIT_ASSERT(!local.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		FlagOptions withPlan;
		withPlan.personProperties = plan;
		FeatureFlagResult remote = c.getFeatureFlagResult("future-op-flag", "user-123", withPlan);
		CPPUNIT_ASSERT(remote.value == FlagValue(true));
		CPPUNIT_ASSERT(!remote.locallyEvaluated);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		Poco::JSON::Object::Ptr body = f.flags.flagsRequestBodies().at(0);
		CPPUNIT_ASSERT(requestedKeys(body) == std::vector<std::string>{"future-op-flag"});
		CPPUNIT_ASSERT_EQUAL(std::string("enterprise"),
		                     body->getObject("person_properties")->getValue<std::string>("plan"));
	}

	void testOtherFlagsKeepEvaluatingLocallyDespiteOneUnrecognizedOperator()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"future-op-flag", "false"}, {"beta-ui", "false"}}));
		Client& c =
		    f.startLocal({propertyFlag("future-op-flag", "plan", "plan_matches_future_rule", "enterprise"),
		                  FlagsEndpoint::definition("beta-ui")});
		FeatureFlagEvaluations local = c.evaluateFlags("user-123", localOnly({{"plan", "enterprise"}}));
		CPPUNIT_ASSERT(local.getFlag("beta-ui") == FlagValue(true));
		CPPUNIT_ASSERT(!local.getFlag("future-op-flag").hasValue());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		FeatureFlagResult beta = c.getFeatureFlagResult("beta-ui", "user-123");
		CPPUNIT_ASSERT(beta.value == FlagValue(true));
		CPPUNIT_ASSERT(beta.locallyEvaluated);
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		// With the fallback on, only the undecided flag takes its value from the server; beta-ui
		// keeps its local true although the server says false.
		FeatureFlagEvaluations all = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		CPPUNIT_ASSERT(all.getFlag("future-op-flag") == FlagValue(false));
		CPPUNIT_ASSERT(all.getFlag("beta-ui") == FlagValue(true));
	}

	void testAFractionalRolloutPercentageMatchesOnlyTheIntendedBucket()
	{
		// Bucketing hash = first 15 hex digits of SHA-1("fractional-rollout.<id>") / 0xFFFFFFFFFFFFFFF,
		// the formula of posthog-python's feature_flags._hash; the hashes are what it gives:
		//   inside 0.1 %: user-2411 0.000169, user-2912 0.0000142, user-3548 0.000455
		//   outside, but inside 0.2 %: user-184 0.001404, user-235 0.001384
		// A percentage truncated to 0 would exclude the first three; one rounded up to 1 would
		// include the last two.
		FlagsFixture f;
		Client& c = f.startLocal({rolloutFlag("fractional-rollout", "0.1")});
		for (const char* id : {"user-2411", "user-2912", "user-3548"})
		{
			FeatureFlagResult r = c.getFeatureFlagResult("fractional-rollout", id, localOnly());
			CPPUNIT_ASSERT_MESSAGE(id, r.value == FlagValue(true));
			CPPUNIT_ASSERT_MESSAGE(id, r.locallyEvaluated);
		}
		for (const char* id : {"user-184", "user-235"})
		{
			FeatureFlagResult r = c.getFeatureFlagResult("fractional-rollout", id, localOnly());
			CPPUNIT_ASSERT_MESSAGE(id, r.value == FlagValue(false));
			CPPUNIT_ASSERT_EQUAL(std::string("out_of_rollout_bound"), r.reason);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testRolloutPercentageBoundariesKeepBehavingAfterWideningToAFloat()
	{
		FlagsFixture f;
		Client& c =
		    f.startLocal({rolloutFlag("boundary-rollout", "100.0"), rolloutFlag("zero-rollout", "0.0")});
		for (const char* id : {"user-123", "user-2912", "user-184", "a"})
		{
			std::string who = id;
			CPPUNIT_ASSERT_MESSAGE(who,
			                       c.getFeatureFlag("boundary-rollout", who, localOnly()) == FlagValue(true));
			FeatureFlagResult zero = c.getFeatureFlagResult("zero-rollout", who);
			CPPUNIT_ASSERT_MESSAGE(who, zero.value == FlagValue(false));
			CPPUNIT_ASSERT_MESSAGE(who, zero.locallyEvaluated);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(LocalEvaluatorSpecTest);
