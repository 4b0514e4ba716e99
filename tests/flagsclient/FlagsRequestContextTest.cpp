//
// FlagsRequestContextTest.cpp
//
// tracing-headers' feature flag scenarios (PostHog/sdk-specs): flag calls made with no distinct
// id inside a RequestScope use the request context's distinct id, and with none anywhere they
// return the empty answer without a request or a $feature_flag_called event.
//

#include "FlagsTestSupport.h"
#include "PostHog/Client.h"
#include "PostHog/RequestContext.h"
#include "PostHog/RequestScope.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

class FlagsRequestContextTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FlagsRequestContextTest);
	CPPUNIT_TEST(testServerFeatureFlagEvaluationWithoutExplicitOrContextDistinctIdIsEmpty);
	CPPUNIT_TEST(testFeatureFlagEvaluationWithoutExplicitOrContextDistinctIdIsEmpty);
	CPPUNIT_TEST(testFlagCallsUseTheContextDistinctIdWhenGivenNone);
	CPPUNIT_TEST(testAnExplicitDistinctIdWinsOverTheContext);
	CPPUNIT_TEST(testLocalEvaluationUsesTheContextDistinctId);
	CPPUNIT_TEST_SUITE_END();

public:
	void testServerFeatureFlagEvaluationWithoutExplicitOrContextDistinctIdIsEmpty()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		{
			RequestScope scope(RequestContext("", "session-123"));
			FeatureFlagEvaluations s = c.evaluateFlags("");
			CPPUNIT_ASSERT(s.empty());
			CPPUNIT_ASSERT(!s.isEnabled("beta-ui"));
			CPPUNIT_ASSERT(!s.getFlag("beta-ui").hasValue());
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testFeatureFlagEvaluationWithoutExplicitOrContextDistinctIdIsEmpty()
	{
		// The other flag calls: getAllFlags and the single-flag getters.
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		{
			RequestScope scope(RequestContext("", "session-123"));
			CPPUNIT_ASSERT(c.getAllFlags("").empty());
			CPPUNIT_ASSERT(c.getAllFlagsAndPayloads("").flags.empty());
			CPPUNIT_ASSERT(!c.getFeatureFlag("beta-ui", "").hasValue());
			CPPUNIT_ASSERT(!c.isFeatureEnabled("beta-ui", ""));
			CPPUNIT_ASSERT(!c.getFeatureFlagPayload("beta-ui", "").hasValue());
			FeatureFlagResult r = c.getFeatureFlagResult("beta-ui", "");
			CPPUNIT_ASSERT(!r.value.hasValue());
			CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), r.error);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testFlagCallsUseTheContextDistinctIdWhenGivenNone()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-from-header", FlagsFixture::table({{"beta-ui", "true"}}));
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "false"}}));
		Client& c = f.start(false);
		{
			RequestScope scope(RequestContext("user-from-header", "session-123"));
			CPPUNIT_ASSERT(c.isFeatureEnabled("beta-ui", ""));
			CPPUNIT_ASSERT(c.evaluateFlags("").isEnabled("beta-ui"));
			CPPUNIT_ASSERT(c.getAllFlags("").at("beta-ui") == FlagValue(true));
		}
		auto bodies = f.flags.flagsRequestBodies();
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), bodies.size());
		for (const auto& b : bodies)
			CPPUNIT_ASSERT_EQUAL(std::string("user-from-header"), b->getValue<std::string>("distinct_id"));
		auto events = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size()); // the same person, flag and value
		CPPUNIT_ASSERT_EQUAL(std::string("user-from-header"),
		                     events[0]->getValue<std::string>("distinct_id"));
	}

	void testAnExplicitDistinctIdWinsOverTheContext()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-from-header", FlagsFixture::table({{"beta-ui", "true"}}));
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "false"}}));
		Client& c = f.start(false);
		{
			RequestScope scope(RequestContext("user-from-header", "session-123"));
			CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-explicit") == FlagValue(false));
		}
		CPPUNIT_ASSERT_EQUAL(std::string("user-explicit"),
		                     f.flags.flagsRequestBodies().at(0)->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-explicit"),
		                     f.calledEvents().at(0)->getValue<std::string>("distinct_id"));
	}

	void testLocalEvaluationUsesTheContextDistinctId()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		{
			RequestScope scope(RequestContext("user-from-header", ""));
			FeatureFlagResult r = c.getFeatureFlagResult("beta-ui", "");
			CPPUNIT_ASSERT(r.value == FlagValue(true));
			CPPUNIT_ASSERT(r.locallyEvaluated);
		}
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		CPPUNIT_ASSERT_EQUAL(std::string("user-from-header"),
		                     f.calledEvents().at(0)->getValue<std::string>("distinct_id"));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagsRequestContextTest);
