//
// NegativeKnowledgeTest.cpp
//
// evaluate-flags' optional negative knowledge (PostHog/sdk-specs): a requested key that neither
// the loaded definitions nor a clean /flags answer contain is not asked for again until the
// definitions are next refreshed successfully (a 304 included).
//

#include "FlagsTestSupport.h"
#include "PostHog/Client.h"
#include "PostHog/ClientStatistics.h"
#include "WaitUntil.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

FlagOptions keys(std::vector<std::string> flagKeys)
{
	FlagOptions o;
	o.flagKeys = std::move(flagKeys);
	return o;
}

} // namespace

class NegativeKnowledgeTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(NegativeKnowledgeTest);
	CPPUNIT_TEST(testOptionalNegativeKnowledgeBoundsProbesUntilDefinitionsRefresh);
	CPPUNIT_TEST(testUnsuccessfulRemoteResponsesDoNotEstablishMissingKeyKnowledge);
	CPPUNIT_TEST(testAnUndecidedDefinedFlagIsAlwaysAskedAgain);
	CPPUNIT_TEST_SUITE_END();

public:
	void testOptionalNegativeKnowledgeBoundsProbesUntilDefinitionsRefresh()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"local-flag", "false"}})); // no "deleted-flag"
		Client& c = f.startLocal({FlagsEndpoint::definition("local-flag")});
		FeatureFlagEvaluations first = c.evaluateFlags("user-1", keys({"local-flag", "deleted-flag"}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		CPPUNIT_ASSERT(first.getFlag("local-flag") == FlagValue(true));
		CPPUNIT_ASSERT(!first.getFlag("deleted-flag").hasValue());
		// Known missing until the next refresh: no further probe, from any call.
		FeatureFlagEvaluations second = c.evaluateFlags("user-2", keys({"local-flag", "deleted-flag"}));
		CPPUNIT_ASSERT(second.getFlag("local-flag") == FlagValue(true));
		CPPUNIT_ASSERT(!second.getFlag("deleted-flag").hasValue());
		FeatureFlagResult r = c.getFeatureFlagResult("deleted-flag", "user-3");
		CPPUNIT_ASSERT(!r.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), r.error);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		// A key that was never probed is still asked for.
		c.evaluateFlags("user-1", keys({"new-flag"}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.flags.flagsRequests());
		// A successful refresh, here a 304, clears the knowledge: one probe again.
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitUntil([&] { return c.statistics().flagPollsNotModified >= 1; }, 10000));
		c.evaluateFlags("user-1", keys({"deleted-flag"}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.flags.flagsRequests());
		c.evaluateFlags("user-1", keys({"deleted-flag"}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), f.flags.flagsRequests());
	}

	void testUnsuccessfulRemoteResponsesDoNotEstablishMissingKeyKnowledge()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"other", "true"}}));
		Client& c = f.startLocal({FlagsEndpoint::definition("local-flag")});
		std::size_t expected = 0;
		// A failed answer, a quota-limited one, one with errors while computing flags: each
		// leaves the key unknown, so the next call asks again.
		f.flags.failFlags(2, {503, "{}", 0, false});
		for (int round = 0; round < 3; ++round)
		{
			if (round == 1)
				f.flags.setQuotaLimited(true);
			if (round == 2)
			{
				f.flags.setQuotaLimited(false);
				f.flags.setErrorsWhileComputing(true);
			}
			c.evaluateFlags("user-1", keys({"missing-local-flag"}));
			CPPUNIT_ASSERT_EQUAL(++expected, f.flags.flagsRequests());
			c.evaluateFlags("user-1", keys({"missing-local-flag"}));
			CPPUNIT_ASSERT_EQUAL(++expected, f.flags.flagsRequests());
		}
	}

	void testAnUndecidedDefinedFlagIsAlwaysAskedAgain()
	{
		// Only keys the definitions lack are remembered: a defined flag that local evaluation
		// cannot decide goes to the server every time, even when the server omits it.
		FlagsFixture f;
		std::string continuity = FlagsEndpoint::definition("continuity-flag");
		continuity.replace(continuity.find("\"ensure_experience_continuity\":false"), 36,
		                   "\"ensure_experience_continuity\":true");
		Client& c = f.startLocal({continuity});
		for (std::size_t i = 1; i <= 2; ++i)
		{
			c.evaluateFlags("user-1", keys({"continuity-flag"}));
			CPPUNIT_ASSERT_EQUAL(i, f.flags.flagsRequests());
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(NegativeKnowledgeTest);
