//
// FlagCalledMinimalTest.cpp
//
// feature-flag-called-tracker's minimal-event scenarios (PostHog/sdk-specs): the server's gate
// (minimalFlagCalledEvents on /flags, minimal_flag_called_events in the definitions) and the
// flag's has_experiment decide between the full and the minimal $feature_flag_called, checked
// on the events the loopback server received.
//

#include "FlagsTestSupport.h"
#include "PostHog/Client.h"
#include "PostHog/ClientStatistics.h"
#include "TempDir.h"
#include "WaitUntil.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

std::string gated(const std::vector<std::string>& flags, const std::string& gate = "true")
/// Definitions whose top level carries minimal_flag_called_events: <gate>.
{
	std::string d = FlagsEndpoint::definitions(flags);
	return "{\"minimal_flag_called_events\":" + gate + "," + d.substr(1);
}

std::string withExperiment(const std::string& definition, bool hasExperiment)
{
	return "{\"has_experiment\":" + std::string(hasExperiment ? "true" : "false") + "," +
	       definition.substr(1);
}

ClientOptions withSuperProperty(ClientOptions o)
/// A stage that adds team = growth to every event, as super properties do.
{
	o.middleware.addFunction("super_properties",
	                         [](Message& m)
	                         {
		                         m.properties().set("team", "growth");
		                         return true;
	                         });
	return o;
}

void assertFull(const Poco::JSON::Object::Ptr& p, const std::string& key)
{
	for (const std::string& name : {std::string("$feature_flag"), std::string("$feature_flag_response"),
	                                "$feature/" + key, std::string("locally_evaluated"), std::string("team"),
	                                std::string("$lib"), std::string("$lib_version")})
		CPPUNIT_ASSERT_MESSAGE(name, p->has(name));
}

void assertMinimal(const Poco::JSON::Object::Ptr& p, const std::string& key)
{
	CPPUNIT_ASSERT_EQUAL(key, p->getValue<std::string>("$feature_flag"));
	CPPUNIT_ASSERT(p->getValue<bool>("$feature_flag_response"));
	CPPUNIT_ASSERT(p->has("$feature_flag_has_experiment"));
	CPPUNIT_ASSERT(!p->getValue<bool>("$feature_flag_has_experiment"));
	for (const char* kept :
	     {"locally_evaluated", "$feature_flag_id", "$feature_flag_reason", "$lib", "$lib_version"})
		CPPUNIT_ASSERT_MESSAGE(kept, p->has(kept));
	for (const std::string& gone : {std::string("team"), "$feature/" + key})
		CPPUNIT_ASSERT_MESSAGE(gone, !p->has(gone));
	for (const auto& name : p->getNames())
		CPPUNIT_ASSERT_MESSAGE(name, name.compare(0, 3, "$__") != 0);
}

} // namespace

class FlagCalledMinimalTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FlagCalledMinimalTest);
	CPPUNIT_TEST(testFullEventWhenTheFlagsExperimentLinkageIsUnknown);
	CPPUNIT_TEST(testFullEventWhenTheFlagIsLinkedToAnExperiment);
	CPPUNIT_TEST(testMinimalEventWhenGatedOnAndTheFlagHasNoExperiment);
	CPPUNIT_TEST(testMinimalEventForALocallyEvaluatedFlag);
	CPPUNIT_TEST(testMinimalEventInSyncMode);
	CPPUNIT_TEST(testMinimalEventFromASnapshotRead);
	CPPUNIT_TEST(testGatePersistsAcrossALocalEvaluationDefinitionsRefresh);
	CPPUNIT_TEST(testGateTravelsThroughTheSharedCache);
	CPPUNIT_TEST(testOnlyAnExplicitTrueGateAndFalseLinkageMinimize);
	CPPUNIT_TEST_SUITE_END();

public:
	void testFullEventWhenTheFlagsExperimentLinkageIsUnknown()
	{
		FlagsFixture f;
		f.flags.setMinimalFlagCalledEvents(true);
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "true"}})); // no has_experiment
		Client& c = f.start(false, withSuperProperty(f.options(false)));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		auto p = FlagsFixture::props(f.calledEvents().at(0));
		assertFull(p, "beta-ui");
		CPPUNIT_ASSERT(!p->has("$feature_flag_has_experiment"));
	}

	void testFullEventWhenTheFlagIsLinkedToAnExperiment()
	{
		FlagsFixture f;
		f.flags.setMinimalFlagCalledEvents(true);
		auto table = FlagsFixture::table({{"experiment-ui", "true"}});
		table["experiment-ui"].hasExperiment = 1;
		f.flags.setFlags(table);
		Client& c = f.start(false, withSuperProperty(f.options(false)));
		CPPUNIT_ASSERT(c.getFeatureFlag("experiment-ui", "user-1") == FlagValue(true));
		auto p = FlagsFixture::props(f.calledEvents().at(0));
		assertFull(p, "experiment-ui");
		CPPUNIT_ASSERT(p->getValue<bool>("$feature_flag_has_experiment"));
	}

	void testMinimalEventWhenGatedOnAndTheFlagHasNoExperiment()
	{
		FlagsFixture f;
		f.flags.setMinimalFlagCalledEvents(true);
		auto table = FlagsFixture::table({{"beta-ui", "true"}});
		table["beta-ui"].hasExperiment = 0;
		f.flags.setFlags(table);
		Client& c = f.start(false, withSuperProperty(f.options(false)));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		c.capture("user-1", "checkout");
		auto p = FlagsFixture::props(f.calledEvents().at(0));
		assertMinimal(p, "beta-ui");
		CPPUNIT_ASSERT(!p->getValue<bool>("locally_evaluated"));
		CPPUNIT_ASSERT(p->has("$feature_flag_request_id"));
		// Only the flag event is cut down: the same stage's property stays on other events.
		CPPUNIT_ASSERT(FlagsFixture::props(f.events("checkout").at(0))->has("team"));
	}

	void testMinimalEventForALocallyEvaluatedFlag()
	{
		FlagsFixture f;
		f.flags.setDefinitions(gated({withExperiment(FlagsEndpoint::definition("beta-ui"), false),
		                              withExperiment(FlagsEndpoint::definition("experiment-ui"), true)}));
		Client& c = f.start(true, withSuperProperty(f.options(true)));
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT(c.getFeatureFlag("experiment-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		auto events = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		for (const auto& e : events)
		{
			auto p = FlagsFixture::props(e);
			if (p->getValue<std::string>("$feature_flag") == "beta-ui")
			{
				assertMinimal(p, "beta-ui");
				CPPUNIT_ASSERT(p->getValue<bool>("locally_evaluated"));
			}
			else
				assertFull(p, "experiment-ui");
		}
	}

	void testMinimalEventInSyncMode()
	{
		FlagsFixture f;
		f.flags.setDefinitions(gated({withExperiment(FlagsEndpoint::definition("beta-ui"), false)}));
		ClientOptions o = withSuperProperty(f.options(true));
		o.syncMode = true;
		Client& c = f.start(true, o);
		c.getFeatureFlag("beta-ui", "user-1");
		assertMinimal(FlagsFixture::props(f.calledEvents().at(0)), "beta-ui");
	}

	void testMinimalEventFromASnapshotRead()
	{
		// A snapshot keeps what its /flags answer said, for reads of it and of its subsets.
		FlagsFixture f;
		f.flags.setMinimalFlagCalledEvents(true);
		auto table = FlagsFixture::table({{"beta-ui", "true"}, {"experiment-ui", "true"}});
		table["beta-ui"].hasExperiment = 0;
		table["experiment-ui"].hasExperiment = 1;
		f.flags.setFlags(table);
		Client& c = f.start(false, withSuperProperty(f.options(false)));
		FeatureFlagEvaluations all = c.evaluateFlags("user-1");
		FeatureFlagEvaluations some = all.only({"beta-ui"});
		CPPUNIT_ASSERT(some.isEnabled("beta-ui"));
		CPPUNIT_ASSERT(all.isEnabled("experiment-ui"));
		auto events = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), events.size());
		for (const auto& e : events)
		{
			auto p = FlagsFixture::props(e);
			if (p->getValue<std::string>("$feature_flag") == "beta-ui")
				assertMinimal(p, "beta-ui");
			else
				assertFull(p, "experiment-ui");
		}
	}

	void testGatePersistsAcrossALocalEvaluationDefinitionsRefresh()
	{
		FlagsFixture f;
		f.flags.setDefinitions(gated({withExperiment(FlagsEndpoint::definition("beta-ui"), false)}));
		Client& c = f.start(true, withSuperProperty(f.options(true)));
		c.reloadFeatureFlags();
		CPPUNIT_ASSERT(waitUntil([&] { return c.statistics().flagPollsNotModified >= 1; }, 10000));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.flags.definitionsRequests());
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		assertMinimal(FlagsFixture::props(f.calledEvents().at(0)), "beta-ui");
	}

	void testGateTravelsThroughTheSharedCache()
	{
		// The second client never polls: it reads the definitions the first one stored in the
		// shared host cache, and the gate with them.
		TempDir dir;
		FlagsFixture f;
		f.flags.setDefinitions(gated({withExperiment(FlagsEndpoint::definition("beta-ui"), false)}));
		ClientOptions o = withSuperProperty(f.options(true));
		o.flagsSharedCache = dir.file("flags.cache");
		Client first(o);
		CPPUNIT_ASSERT(first.waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		Client& second = f.start(true, o);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), second.statistics().flagPolls);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.definitionsRequests());
		CPPUNIT_ASSERT(second.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		assertMinimal(FlagsFixture::props(f.calledEvents().at(0)), "beta-ui");
	}

	void testOnlyAnExplicitTrueGateAndFalseLinkageMinimize()
	{
		// A gate that is not the JSON value true is off...
		{
			FlagsFixture f;
			f.flags.setDefinitions(
			    gated({withExperiment(FlagsEndpoint::definition("beta-ui"), false)}, "\"true\""));
			Client& c = f.start(true, withSuperProperty(f.options(true)));
			c.getFeatureFlag("beta-ui", "user-1");
			assertFull(FlagsFixture::props(f.calledEvents().at(0)), "beta-ui");
		}
		// ...and a linkage that is not a JSON boolean is unknown.
		{
			FlagsFixture f;
			std::string linkageAsText = FlagsEndpoint::definition("beta-ui");
			linkageAsText = "{\"has_experiment\":\"false\"," + linkageAsText.substr(1);
			f.flags.setDefinitions(gated({linkageAsText}));
			Client& c = f.start(true, withSuperProperty(f.options(true)));
			c.getFeatureFlag("beta-ui", "user-1");
			auto p = FlagsFixture::props(f.calledEvents().at(0));
			assertFull(p, "beta-ui");
			CPPUNIT_ASSERT(!p->has("$feature_flag_has_experiment"));
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagCalledMinimalTest);
