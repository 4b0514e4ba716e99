//
// FlagsSpecTest.cpp
//
// One test per applicable PostHog/sdk-specs feature flag scenario (acceptance .feature
// scenarios tagged @server or @both, and the spec.md scenarios without a .feature line), named
// after it: evaluate-flags, get-feature-flag(-payload/-result), get-feature-flags(-and-payloads),
// is-feature-enabled, set/reset person/group properties for flags, feature-flag-called-tracker,
// feature-flag-cache (mapped to the server client) and local-feature-flag-evaluator (client
// level). The loader and http-client scenarios are in FlagsSpecLoaderTest.cpp; the evaluator's
// operator and rollout scenarios in LocalEvaluatorSpecTest.cpp, the minimal $feature_flag_called
// in FlagCalledMinimalTest.cpp, tracing-headers' flag scenarios in FlagsRequestContextTest.cpp and
// the optional negative knowledge in NegativeKnowledgeTest.cpp.
//

#include "FlagsTestSupport.h"
#include "PostHog/Client.h"
#include <algorithm>
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

bool contains(const std::vector<std::string>& v, const std::string& s)
{
	return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

class FlagsSpecTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(FlagsSpecTest);
	// evaluate-flags
	CPPUNIT_TEST(testOneEvaluationSnapshotPowersMultipleFlagBranches);
	CPPUNIT_TEST(testOneSnapshotReplacesSeparateServerGetterAndCaptureTimeEvaluations);
	CPPUNIT_TEST(testSnapshotAccessorsDistinguishDisabledMissingAndVariantFlags);
	CPPUNIT_TEST(testEvaluationDoesNotReportExposureUntilAValueIsAccessed);
	CPPUNIT_TEST(testSnapshotPayloadAccessIsSilent);
	CPPUNIT_TEST(testCaptureReusesExactSnapshotValuesWithoutReevaluation);
	CPPUNIT_TEST(testOnlyAccessedFiltersTheSnapshotForCapture);
	CPPUNIT_TEST(testOnlyAccessedBeforeBranchingReturnsAnEmptySnapshot);
	CPPUNIT_TEST(testRequestTimeKeysAndInMemoryFilteringAreDistinct);
	CPPUNIT_TEST(testFirstMissingRequestedLocalDefinitionTriggersScopedRemoteFallback);
	CPPUNIT_TEST(testRequestTimeKeysScopeLocallyEvaluatedSnapshotResults);
	CPPUNIT_TEST(testRequestTimeKeysScopeEvaluatedResultsLoadedFromCache);
	CPPUNIT_TEST(testLocalOnlyEvaluationNeverFallsBackRemotely);
	CPPUNIT_TEST(testRemoteFailurePreservesSuccessfullyResolvedLocalFlags);
	CPPUNIT_TEST(testMissingIdentityReturnsAnEmptyNoOpSnapshot);
	CPPUNIT_TEST(testRemoteFallbackFillsUnresolvedFlagsOnce);
	CPPUNIT_TEST(testUnsuccessfulRemoteResponsesDoNotEstablishMissingKeyKnowledge);
	CPPUNIT_TEST(testExistingSnapshotDoesNotChangeAfterAnotherEvaluation);
	CPPUNIT_TEST(testBooleanAndValueAccessShareExposureDedupe);
	CPPUNIT_TEST(testMissingKeyAccessOnAnOriginalSnapshotReportsAMissingFlag);
	CPPUNIT_TEST(testExplicitInMemoryFilterDoesNotReduceCompletedEvaluationWork);
	// get-feature-flag
	CPPUNIT_TEST(testGetterReturnsAVariantStringForMultivariateFlags);
	CPPUNIT_TEST(testGetterCanSuppressFeatureFlagCalledTracking);
	CPPUNIT_TEST(testServerGetterEvaluatesWithExplicitContext);
	// get-feature-flag-payload
	CPPUNIT_TEST(testPayloadGetterReturnsPayloadForTheMatchedFlagValue);
	CPPUNIT_TEST(testScalarPayloadDecodesToTheScalar);
	CPPUNIT_TEST(testPayloadGetterReturnsNoPayloadForUnknownFlags);
	CPPUNIT_TEST(testPayloadLookupDoesNotEmitFeatureFlagCalledByItself);
	CPPUNIT_TEST(testUnparseablePayloadIsTreatedAsMissing);
	// get-feature-flag-result
	CPPUNIT_TEST(testStructuredResultIncludesKeyEnabledVariantAndPayload);
	CPPUNIT_TEST(testBooleanFalseFlagResultIsDisabled);
	CPPUNIT_TEST(testUnknownFlagReturnsNoStructuredResult);
	// get-feature-flags, get-feature-flags-and-payloads
	CPPUNIT_TEST(testBulkGetterEvaluatesAllAvailableFlagsForExplicitContext);
	CPPUNIT_TEST(testBulkGetterCanSuppressTrackingEvents);
	CPPUNIT_TEST(testBulkGetterReturnsFlagsAndPayloadsTogether);
	CPPUNIT_TEST(testBulkValuesAndPayloadsAreEmptyWhenNoFlagsAreKnown);
	// is-feature-enabled
	CPPUNIT_TEST(testEnabledCheckMapsFlagValuesToBooleans);
	CPPUNIT_TEST(testEnabledCheckResolvesMissingFlagsToTheDefault);
	CPPUNIT_TEST(testEnabledCheckPrefersTheFlagValueOverTheCallerDefault);
	CPPUNIT_TEST(testEnabledCheckCanSuppressTracking);
	// set/reset person/group properties for flags
	CPPUNIT_TEST(testSetPersonPropertiesStoresOverridesForFutureFlagEvaluation);
	CPPUNIT_TEST(testPersonPropertyOverridesAreSentWithFlagReloads);
	CPPUNIT_TEST(testResetPersonPropertiesClearsLocalPersonFlagOverrides);
	CPPUNIT_TEST(testResetPersonPropertiesAffectsSubsequentFlagEvaluations);
	CPPUNIT_TEST(testSetGroupPropertiesStoresOverridesForFutureFlagEvaluation);
	CPPUNIT_TEST(testGroupPropertyOverridesAreSentWithFlagReloads);
	CPPUNIT_TEST(testResetGroupPropertiesClearsAllLocalGroupFlagOverrides);
	CPPUNIT_TEST(testResetGroupPropertiesAffectsSubsequentFlagEvaluations);
	// feature-flag-called-tracker
	CPPUNIT_TEST(testTrackerEmitsTheFirstFlagCalledEventForAValue);
	CPPUNIT_TEST(testTrackerSuppressesDuplicateEventsForTheSameFlagValue);
	CPPUNIT_TEST(testTrackerEmitsAgainWhenTheFlagValueChanges);
	CPPUNIT_TEST(testTrackerSuppressesDuplicatesForTheSameServerGroupContext);
	CPPUNIT_TEST(testTrackerEmitsAgainWhenServerGroupContextChanges);
	CPPUNIT_TEST(testTrackerClearsOnSdkShutdown);
	CPPUNIT_TEST(testFullEventWhenTheServerDoesNotReportTheGate);
	CPPUNIT_TEST(testTrackerEvictsTheOldestEntryWhenFull);
	// feature-flag-cache (mapped: the evaluateFlags snapshot is the server client's cache)
	CPPUNIT_TEST(testCacheStoresFlagValuesAndPayloadsFromASuccessfulLoad);
	CPPUNIT_TEST(testCacheServesReadsWithoutANetworkRequest);
	// local-feature-flag-evaluator (client level)
	CPPUNIT_TEST(testEvaluatorReturnsTrueForAMatchingActiveBooleanFlag);
	CPPUNIT_TEST(testEvaluatorReturnsAVariantForAMatchingMultivariateFlag);
	CPPUNIT_TEST(testEvaluatorSignalsRemoteFallbackWhenRequiredContextIsMissing);
	CPPUNIT_TEST(testEvaluatorResolvesPayloadFromTheMatchedValue);
	CPPUNIT_TEST_SUITE_END();

public:
	// ---------------------------------------------------------------- evaluate-flags

	void testOneEvaluationSnapshotPowersMultipleFlagBranches()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"beta-ui", "true"}, {"checkout", "blue"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations snapshot = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT(snapshot.isEnabled("beta-ui"));
		CPPUNIT_ASSERT(snapshot.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT(snapshot.isEnabled("beta-ui"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testOneSnapshotReplacesSeparateServerGetterAndCaptureTimeEvaluations()
	{
		FlagsFixture f;
		auto table = FlagsFixture::table({{"beta-ui", "true"}, {"checkout", "blue"}});
		table["checkout"].payload = "{\"copy\":\"new\"}";
		f.flags.setFlagsFor("user-123", table);
		Client& c = f.start(false);
		FeatureFlagEvaluations snapshot = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT(snapshot.isEnabled("beta-ui"));
		CPPUNIT_ASSERT(snapshot.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"copy\":\"new\"}"), snapshot.getFlagPayload("checkout").toJSON());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), snapshot.keys().size());
		EventOptions options;
		options.flags = snapshot;
		c.capture("user-123", "order completed", {}, options);
		auto events = f.events("order completed");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
		auto p = FlagsFixture::props(events[0]);
		CPPUNIT_ASSERT(p->getValue<bool>("$feature/beta-ui"));
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), p->getValue<std::string>("$feature/checkout"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testSnapshotAccessorsDistinguishDisabledMissingAndVariantFlags()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"disabled", "false"}, {"checkout", "blue"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT(!s.isEnabled("disabled"));
		CPPUNIT_ASSERT(s.getFlag("disabled") == FlagValue(false));
		CPPUNIT_ASSERT(s.isEnabled("checkout"));
		CPPUNIT_ASSERT(s.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT(!s.isEnabled("missing"));
		CPPUNIT_ASSERT(!s.getFlag("missing").hasValue());
	}

	void testEvaluationDoesNotReportExposureUntilAValueIsAccessed()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT(f.calledEvents().empty());
		s.isEnabled("beta-ui");
		auto called = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), called.size());
		CPPUNIT_ASSERT_EQUAL(std::string("beta-ui"),
		                     FlagsFixture::props(called[0])->getValue<std::string>("$feature_flag"));
		CPPUNIT_ASSERT(FlagsFixture::props(called[0])->getValue<bool>("$feature_flag_response"));
		s.getFlag("beta-ui");
		s.isEnabled("beta-ui");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.calledEvents().size());
	}

	void testSnapshotPayloadAccessIsSilent()
	{
		FlagsFixture f;
		auto table = FlagsFixture::table({{"checkout", "blue"}});
		table["checkout"].payload = "{\"copy\":\"new\"}";
		f.flags.setFlagsFor("user-123", table);
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT_EQUAL(std::string("{\"copy\":\"new\"}"), s.getFlagPayload("checkout").toJSON());
		CPPUNIT_ASSERT(f.calledEvents().empty());
		CPPUNIT_ASSERT(s.onlyAccessed().empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testCaptureReusesExactSnapshotValuesWithoutReevaluation()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"beta-ui", "false"}, {"checkout", "blue"}}));
		Client& c = f.start(false);
		EventOptions options;
		options.flags = c.evaluateFlags("user-123");
		c.capture("user-123", "order completed", {}, options);
		auto p = FlagsFixture::props(f.events("order completed").at(0));
		CPPUNIT_ASSERT(!p->getValue<bool>("$feature/beta-ui"));
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), p->getValue<std::string>("$feature/checkout"));
		Poco::JSON::Array::Ptr active = p->getArray("$active_feature_flags");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), active->size());
		CPPUNIT_ASSERT_EQUAL(std::string("checkout"), active->getElement<std::string>(0));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testOnlyAccessedFiltersTheSnapshotForCapture()
	{
		FlagsFixture f;
		f.flags.setFlagsFor(
		    "user-123",
		    FlagsFixture::table({{"beta-ui", "true"}, {"checkout", "blue"}, {"search", "false"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-123");
		s.isEnabled("beta-ui");
		s.getFlag("search");
		FeatureFlagEvaluations filtered = s.onlyAccessed();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), filtered.size());
		CPPUNIT_ASSERT(filtered.getFlagPayload("x").toJSON().empty());
		CPPUNIT_ASSERT(contains(filtered.keys(), "beta-ui") && contains(filtered.keys(), "search"));
		CPPUNIT_ASSERT(!contains(filtered.keys(), "checkout"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testOnlyAccessedBeforeBranchingReturnsAnEmptySnapshot()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		CPPUNIT_ASSERT(c.evaluateFlags("user-123").onlyAccessed().empty());
	}

	void testRequestTimeKeysAndInMemoryFilteringAreDistinct()
	{
		FlagsFixture f;
		f.flags.setFlagsFor(
		    "user-123",
		    FlagsFixture::table({{"beta-ui", "true"}, {"checkout", "blue"}, {"search", "false"}}));
		Client& c = f.start(false);
		FlagOptions options;
		options.flagKeys = {"beta-ui", "checkout"};
		FeatureFlagEvaluations s = c.evaluateFlags("user-123", options);
		auto keys = requestedKeys(f.flags.flagsRequestBodies().at(0));
		CPPUNIT_ASSERT(keys == std::vector<std::string>({"beta-ui", "checkout"}));
		CPPUNIT_ASSERT(!contains(s.keys(), "search"));
		FeatureFlagEvaluations only = s.only({"beta-ui", "missing"});
		CPPUNIT_ASSERT(only.keys() == std::vector<std::string>({"beta-ui"}));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testFirstMissingRequestedLocalDefinitionTriggersScopedRemoteFallback()
	{
		FlagsFixture f;
		f.flags.setFlagsFor("user-123", FlagsFixture::table({{"beta-ui", "false"}, {"checkout", "blue"}}));
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		FlagOptions options;
		options.flagKeys = {"beta-ui", "checkout"};
		FeatureFlagEvaluations s = c.evaluateFlags("user-123", options);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		CPPUNIT_ASSERT(requestedKeys(f.flags.flagsRequestBodies().at(0)) ==
		               std::vector<std::string>({"beta-ui", "checkout"}));
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true)); // the local value is kept
		CPPUNIT_ASSERT(s.getFlag("checkout") == FlagValue("blue"));
	}

	void testRequestTimeKeysScopeLocallyEvaluatedSnapshotResults()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui"),
		                          FlagsEndpoint::definition("checkout", true, 100, "blue"),
		                          FlagsEndpoint::definition("search", false)});
		FlagOptions options;
		options.flagKeys = {"beta-ui", "checkout"};
		FeatureFlagEvaluations s = c.evaluateFlags("user-123", options);
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true));
		CPPUNIT_ASSERT(s.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT(!contains(s.keys(), "search"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testRequestTimeKeysScopeEvaluatedResultsLoadedFromCache()
	{
		// Mapped: a server client's cached evaluation is a snapshot; only() scopes it.
		FlagsFixture f;
		f.flags.setFlagsFor(
		    "user-123",
		    FlagsFixture::table({{"beta-ui", "true"}, {"checkout", "blue"}, {"search", "false"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations cached = c.evaluateFlags("user-123");
		FeatureFlagEvaluations s = cached.only({"beta-ui", "checkout"});
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true));
		CPPUNIT_ASSERT(s.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT(!contains(s.keys(), "search"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testLocalOnlyEvaluationNeverFallsBackRemotely()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui"), continuityFlag("checkout")});
		FlagOptions options;
		options.onlyEvaluateLocally = true;
		FeatureFlagEvaluations s = c.evaluateFlags("user-123", options);
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true));
		CPPUNIT_ASSERT(!contains(s.keys(), "checkout"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testRemoteFailurePreservesSuccessfullyResolvedLocalFlags()
	{
		FlagsFixture f;
		f.flags.failFlags(1, {500, "{}", 0, false});
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui"), continuityFlag("checkout")});
		FeatureFlagEvaluations s = c.evaluateFlags("user-123");
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true));
		CPPUNIT_ASSERT(!contains(s.keys(), "checkout"));
		CPPUNIT_ASSERT_EQUAL(std::string("api_error_500"), s.error());
		s.isEnabled("beta-ui");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testMissingIdentityReturnsAnEmptyNoOpSnapshot()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("");
		CPPUNIT_ASSERT(s.empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
		CPPUNIT_ASSERT(!s.isEnabled("beta-ui"));
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testRemoteFallbackFillsUnresolvedFlagsOnce()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "false"}, {"a", "true"}, {"b", "x"}}));
		Client& c =
		    f.startLocal({FlagsEndpoint::definition("beta-ui"), continuityFlag("a"), continuityFlag("b")});
		FeatureFlagEvaluations s = c.evaluateFlags("user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
		CPPUNIT_ASSERT(s.getFlag("a") == FlagValue(true));
		CPPUNIT_ASSERT(s.getFlag("b") == FlagValue("x"));
		CPPUNIT_ASSERT(s.getFlag("beta-ui") == FlagValue(true));
	}

	void testUnsuccessfulRemoteResponsesDoNotEstablishMissingKeyKnowledge()
	{
		FlagsFixture f;
		f.flags.failFlags(1, {503, "{}", 0, false});
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		CPPUNIT_ASSERT(!c.getFeatureFlag("checkout", "user-1").hasValue());
		CPPUNIT_ASSERT(c.getFeatureFlag("checkout", "user-1") == FlagValue("blue"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.flags.flagsRequests());
	}

	void testExistingSnapshotDoesNotChangeAfterAnotherEvaluation()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations first = c.evaluateFlags("user-1");
		f.flags.setFlags(FlagsFixture::table({{"checkout", "red"}}));
		FeatureFlagEvaluations second = c.evaluateFlags("user-1");
		CPPUNIT_ASSERT(first.getFlag("checkout") == FlagValue("blue"));
		CPPUNIT_ASSERT(second.getFlag("checkout") == FlagValue("red"));
	}

	void testBooleanAndValueAccessShareExposureDedupe()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-1");
		s.isEnabled("checkout");
		s.getFlag("checkout");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.calledEvents().size());
	}

	void testMissingKeyAccessOnAnOriginalSnapshotReportsAMissingFlag()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		c.evaluateFlags("user-1").isEnabled("nope");
		auto called = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), called.size());
		auto p = FlagsFixture::props(called[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("nope"), p->getValue<std::string>("$feature_flag"));
		CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), p->getValue<std::string>("$feature_flag_error"));
	}

	void testExplicitInMemoryFilterDoesNotReduceCompletedEvaluationWork()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}, {"b", "true"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-1");
		FeatureFlagEvaluations only = s.only({"a"});
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), s.size());
		CPPUNIT_ASSERT(requestedKeys(f.flags.flagsRequestBodies().at(0)).empty()); // every flag was asked for
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), only.size());
	}

	// ---------------------------------------------------------------- get-feature-flag

	void testGetterReturnsAVariantStringForMultivariateFlags()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("checkout", true, 100, "blue")});
		CPPUNIT_ASSERT(c.getFeatureFlag("checkout", "user-1") == FlagValue("blue"));
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), c.getFeatureFlag("checkout", "user-1").toString());
	}

	void testGetterCanSuppressFeatureFlagCalledTracking()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		FlagOptions options;
		options.sendFeatureFlagEvents = false;
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1", options) == FlagValue(true));
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testServerGetterEvaluatesWithExplicitContext()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"beta-ui", "true"}}));
		Client& c = f.start(false);
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		options.personProperties = Properties{{"plan", "pro"}};
		options.groupProperties["company"] = Properties{{"seats", 12}};
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1", options) == FlagValue(true));
		auto body = f.flags.flagsRequestBodies().at(0);
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), body->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("phc_project_key_1234"), body->getValue<std::string>("api_key"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"),
		                     body->getObject("groups")->getValue<std::string>("company"));
		auto person = body->getObject("person_properties");
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), person->getValue<std::string>("plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), person->getValue<std::string>("distinct_id"));
		auto company = body->getObject("group_properties")->getObject("company");
		CPPUNIT_ASSERT_EQUAL(12, company->getValue<int>("seats"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), company->getValue<std::string>("$group_key"));
	}

	// ---------------------------------------------------------------- get-feature-flag-payload

	void testPayloadGetterReturnsPayloadForTheMatchedFlagValue()
	{
		FlagsFixture f;
		Client& c =
		    f.startLocal({FlagsEndpoint::definition("checkout", true, 100, "blue", "{\"copy\":\"new\"}")});
		FlagPayload p = c.getFeatureFlagPayload("checkout", "user-1");
		CPPUNIT_ASSERT(p.hasValue());
		const FlagPayload copy = p; // decoded on first read, shared by copies
		CPPUNIT_ASSERT_EQUAL(std::string("new"), std::string(p.value()["copy"].getString()));
		CPPUNIT_ASSERT_EQUAL(std::string("new"), std::string(copy.value()["copy"].getString()));
	}

	void testScalarPayloadDecodesToTheScalar()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("s", true, 100, "", "\"text\""),
		                          FlagsEndpoint::definition("n", true, 100, "", "1")});
		CPPUNIT_ASSERT_EQUAL(std::string("text"),
		                     std::string(c.getFeatureFlagPayload("s", "u").value().getString()));
		CPPUNIT_ASSERT_EQUAL(std::string("1"), c.getFeatureFlagPayload("n", "u").toJSON());
	}

	void testPayloadGetterReturnsNoPayloadForUnknownFlags()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("checkout")});
		CPPUNIT_ASSERT(!c.getFeatureFlagPayload("unknown", "user-1").hasValue());
	}

	void testPayloadLookupDoesNotEmitFeatureFlagCalledByItself()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("checkout", true, 100, "", "[1,2]")});
		CPPUNIT_ASSERT_EQUAL(std::string("[1,2]"), c.getFeatureFlagPayload("checkout", "user-1").toJSON());
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	void testUnparseablePayloadIsTreatedAsMissing()
	{
		FlagsFixture f;
		auto table = FlagsFixture::table({{"checkout", "true"}});
		table["checkout"].payload = "{not json";
		f.flags.setFlags(table);
		Client& c = f.start(false);
		FeatureFlagResult r = c.getFeatureFlagResult("checkout", "user-1");
		CPPUNIT_ASSERT(r.enabled);
		CPPUNIT_ASSERT(!r.payload.hasValue());
	}

	// ---------------------------------------------------------------- get-feature-flag-result

	void testStructuredResultIncludesKeyEnabledVariantAndPayload()
	{
		FlagsFixture f;
		Client& c =
		    f.startLocal({FlagsEndpoint::definition("checkout", true, 100, "blue", "{\"copy\":\"new\"}")});
		FeatureFlagResult r = c.getFeatureFlagResult("checkout", "user-1");
		CPPUNIT_ASSERT_EQUAL(std::string("checkout"), r.key);
		CPPUNIT_ASSERT(r.enabled);
		CPPUNIT_ASSERT_EQUAL(std::string("blue"), r.variant);
		CPPUNIT_ASSERT_EQUAL(std::string("{\"copy\":\"new\"}"), r.payload.toJSON());
		CPPUNIT_ASSERT(r.locallyEvaluated);
		CPPUNIT_ASSERT(r.error.empty());
	}

	void testBooleanFalseFlagResultIsDisabled()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("off", true, 0)});
		FeatureFlagResult r = c.getFeatureFlagResult("off", "user-1");
		CPPUNIT_ASSERT(r.value == FlagValue(false));
		CPPUNIT_ASSERT(!r.enabled);
		CPPUNIT_ASSERT(r.variant.empty());
	}

	void testUnknownFlagReturnsNoStructuredResult()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({}));
		Client& c = f.start(false);
		FeatureFlagResult r = c.getFeatureFlagResult("unknown", "user-1");
		CPPUNIT_ASSERT(!r.value.hasValue());
		CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), r.error);
	}

	// ---------------------------------------------------------------- get-feature-flags(-and-payloads)

	void testBulkGetterEvaluatesAllAvailableFlagsForExplicitContext()
	{
		FlagsFixture f;
		Client& c =
		    f.startLocal({FlagsEndpoint::definition("a"), FlagsEndpoint::definition("b", true, 100, "x"),
		                  FlagsEndpoint::definition("c", false)});
		auto flags = c.getAllFlags("user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), flags.size());
		CPPUNIT_ASSERT(flags["a"] == FlagValue(true));
		CPPUNIT_ASSERT(flags["b"] == FlagValue("x"));
		CPPUNIT_ASSERT(flags["c"] == FlagValue(false));
	}

	void testBulkGetterCanSuppressTrackingEvents()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("a")});
		FlagOptions options;
		options.sendFeatureFlagEvents = false;
		c.getAllFlags("user-1", options);
		c.getAllFlags("user-1");
		CPPUNIT_ASSERT(f.calledEvents().empty()); // bulk getters never emit it, as in the SDKs
	}

	void testBulkGetterReturnsFlagsAndPayloadsTogether()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("a", true, 100, "", "{\"n\":1}"),
		                          FlagsEndpoint::definition("b", true, 0, "", "{\"n\":2}")});
		auto all = c.getAllFlagsAndPayloads("user-1");
		CPPUNIT_ASSERT(all.flags["a"] == FlagValue(true));
		CPPUNIT_ASSERT(all.flags["b"] == FlagValue(false));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), all.payloads.size());
		CPPUNIT_ASSERT_EQUAL(std::string("{\"n\":1}"), all.payloads["a"].toJSON());
	}

	void testBulkValuesAndPayloadsAreEmptyWhenNoFlagsAreKnown()
	{
		FlagsFixture f;
		Client& c = f.startLocal({});
		auto all = c.getAllFlagsAndPayloads("user-1");
		CPPUNIT_ASSERT(all.flags.empty() && all.payloads.empty());
	}

	// ---------------------------------------------------------------- is-feature-enabled

	void testEnabledCheckMapsFlagValuesToBooleans()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("t"), FlagsEndpoint::definition("f", true, 0),
		                          FlagsEndpoint::definition("v", true, 100, "blue")});
		CPPUNIT_ASSERT(c.isFeatureEnabled("t", "user-1"));
		CPPUNIT_ASSERT(!c.isFeatureEnabled("f", "user-1"));
		CPPUNIT_ASSERT(c.isFeatureEnabled("v", "user-1"));
	}

	void testEnabledCheckResolvesMissingFlagsToTheDefault()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({}));
		Client& c = f.start(false);
		CPPUNIT_ASSERT(!c.isFeatureEnabled("missing", "user-1"));
		CPPUNIT_ASSERT(c.isFeatureEnabled("missing", "user-1", FlagOptions(), true));
	}

	void testEnabledCheckPrefersTheFlagValueOverTheCallerDefault()
	{
		FlagsFixture f;
		Client& c =
		    f.startLocal({FlagsEndpoint::definition("off", true, 0), FlagsEndpoint::definition("on")});
		CPPUNIT_ASSERT(!c.isFeatureEnabled("off", "user-1", FlagOptions(), true));
		CPPUNIT_ASSERT(c.isFeatureEnabled("on", "user-1", FlagOptions(), false));
	}

	void testEnabledCheckCanSuppressTracking()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("on")});
		FlagOptions options;
		options.sendFeatureFlagEvents = false;
		c.isFeatureEnabled("on", "user-1", options);
		CPPUNIT_ASSERT(f.calledEvents().empty());
	}

	// ---------------------------------------------------------------- person/group properties for flags

	void testSetPersonPropertiesStoresOverridesForFutureFlagEvaluation()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setPersonPropertiesForFlags(Properties{{"plan", "pro"}});
		FlagOptions options;
		options.personProperties = Properties{{"region", "eu"}};
		c.getFeatureFlag("a", "user-1", options);
		auto person = f.flags.flagsRequestBodies().at(0)->getObject("person_properties");
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), person->getValue<std::string>("plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("eu"), person->getValue<std::string>("region"));
	}

	void testPersonPropertyOverridesAreSentWithFlagReloads()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setPersonPropertiesForFlags(Properties{{"plan", "pro"}});
		FlagOptions options;
		options.personProperties = Properties{{"plan", "enterprise"}}; // per call wins
		c.evaluateFlags("user-1", options);
		c.evaluateFlags("user-1");
		auto bodies = f.flags.flagsRequestBodies();
		CPPUNIT_ASSERT_EQUAL(std::string("enterprise"),
		                     bodies.at(0)->getObject("person_properties")->getValue<std::string>("plan"));
		CPPUNIT_ASSERT_EQUAL(std::string("pro"),
		                     bodies.at(1)->getObject("person_properties")->getValue<std::string>("plan"));
	}

	void testResetPersonPropertiesClearsLocalPersonFlagOverrides()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setPersonPropertiesForFlags(Properties{{"plan", "pro"}});
		c.resetPersonPropertiesForFlags();
		c.getFeatureFlag("a", "user-1");
		CPPUNIT_ASSERT(!f.flags.flagsRequestBodies().at(0)->getObject("person_properties")->has("plan"));
	}

	void testResetPersonPropertiesAffectsSubsequentFlagEvaluations()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setPersonPropertiesForFlags(Properties{{"plan", "pro"}});
		c.getFeatureFlag("a", "user-1");
		c.resetPersonPropertiesForFlags();
		c.getFeatureFlag("a", "user-1");
		auto bodies = f.flags.flagsRequestBodies();
		CPPUNIT_ASSERT(bodies.at(0)->getObject("person_properties")->has("plan"));
		CPPUNIT_ASSERT(!bodies.at(1)->getObject("person_properties")->has("plan"));
	}

	void testSetGroupPropertiesStoresOverridesForFutureFlagEvaluation()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setGroupPropertiesForFlags({{"company", Properties{{"seats", 5}}}});
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		c.getFeatureFlag("a", "user-1", options);
		auto company =
		    f.flags.flagsRequestBodies().at(0)->getObject("group_properties")->getObject("company");
		CPPUNIT_ASSERT_EQUAL(5, company->getValue<int>("seats"));
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), company->getValue<std::string>("$group_key"));
	}

	void testGroupPropertyOverridesAreSentWithFlagReloads()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setGroupPropertiesForFlags({{"company", Properties{{"seats", 5}}}});
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		options.groupProperties["company"] = Properties{{"seats", 9}};
		c.evaluateFlags("user-1", options);
		auto company =
		    f.flags.flagsRequestBodies().at(0)->getObject("group_properties")->getObject("company");
		CPPUNIT_ASSERT_EQUAL(9, company->getValue<int>("seats"));
	}

	void testResetGroupPropertiesClearsAllLocalGroupFlagOverrides()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		c.setGroupPropertiesForFlags({{"company", Properties{{"seats", 5}}}, {"team", Properties{{"n", 1}}}});
		c.resetGroupPropertiesForFlags();
		FlagOptions options;
		options.groups = {{"company", "acme"}, {"team", "t1"}};
		c.getFeatureFlag("a", "user-1", options);
		auto groups = f.flags.flagsRequestBodies().at(0)->getObject("group_properties");
		CPPUNIT_ASSERT(!groups->getObject("company")->has("seats"));
		CPPUNIT_ASSERT(!groups->getObject("team")->has("n"));
	}

	void testResetGroupPropertiesAffectsSubsequentFlagEvaluations()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"a", "true"}}));
		Client& c = f.start(false);
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		c.setGroupPropertiesForFlags({{"company", Properties{{"seats", 5}}}});
		c.getFeatureFlag("a", "user-1", options);
		c.resetGroupPropertiesForFlags();
		c.getFeatureFlag("a", "user-1", options);
		auto bodies = f.flags.flagsRequestBodies();
		CPPUNIT_ASSERT(bodies.at(0)->getObject("group_properties")->getObject("company")->has("seats"));
		CPPUNIT_ASSERT(!bodies.at(1)->getObject("group_properties")->getObject("company")->has("seats"));
	}

	// ---------------------------------------------------------------- feature-flag-called-tracker

	void testTrackerEmitsTheFirstFlagCalledEventForAValue()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		c.getFeatureFlag("beta-ui", "user-1");
		auto called = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), called.size());
		auto p = FlagsFixture::props(called[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), called[0]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("beta-ui"), p->getValue<std::string>("$feature_flag"));
		CPPUNIT_ASSERT(p->getValue<bool>("$feature_flag_response"));
		CPPUNIT_ASSERT(p->getValue<bool>("$feature/beta-ui"));
		CPPUNIT_ASSERT(p->getValue<bool>("locally_evaluated"));
		CPPUNIT_ASSERT_EQUAL(std::string("condition_match"),
		                     p->getValue<std::string>("$feature_flag_reason"));
		CPPUNIT_ASSERT(p->has("$feature_flag_id"));
	}

	void testTrackerSuppressesDuplicateEventsForTheSameFlagValue()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		for (int i = 0; i < 3; ++i)
			c.getFeatureFlag("beta-ui", "user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.calledEvents().size());
	}

	void testTrackerEmitsAgainWhenTheFlagValueChanges()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		c.getFeatureFlag("checkout", "user-1");
		f.flags.setFlags(FlagsFixture::table({{"checkout", "red"}}));
		c.getFeatureFlag("checkout", "user-1");
		auto called = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), called.size());
		CPPUNIT_ASSERT_EQUAL(std::string("red"),
		                     FlagsFixture::props(called[1])->getValue<std::string>("$feature_flag_response"));
		CPPUNIT_ASSERT(!FlagsFixture::props(called[1])->getValue<bool>("locally_evaluated"));
		CPPUNIT_ASSERT(FlagsFixture::props(called[1])->has("$feature_flag_request_id"));
	}

	void testTrackerSuppressesDuplicatesForTheSameServerGroupContext()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		c.getFeatureFlag("beta-ui", "user-1", options);
		c.getFeatureFlag("beta-ui", "user-1", options);
		auto called = f.calledEvents();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), called.size());
		CPPUNIT_ASSERT_EQUAL(
		    std::string("acme"),
		    FlagsFixture::props(called[0])->getObject("$groups")->getValue<std::string>("company"));
	}

	void testTrackerEmitsAgainWhenServerGroupContextChanges()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		FlagOptions options;
		options.groups = {{"company", "acme"}};
		c.getFeatureFlag("beta-ui", "user-1", options);
		options.groups = {{"company", "globex"}};
		c.getFeatureFlag("beta-ui", "user-1", options);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.calledEvents().size());
	}

	void testTrackerClearsOnSdkShutdown()
	{
		// Mapped: the tracker lives in the client; a new client (after shutdown) starts empty.
		FlagsFixture f;
		f.startLocal({FlagsEndpoint::definition("beta-ui")});
		f.client->getFeatureFlag("beta-ui", "user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.calledEvents().size());
		f.client->shutdown();
		f.start(true);
		f.client->getFeatureFlag("beta-ui", "user-1");
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.calledEvents().size());
	}

	void testFullEventWhenTheServerDoesNotReportTheGate()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		c.getFeatureFlag("checkout", "user-1");
		auto p = FlagsFixture::props(f.calledEvents().at(0));
		for (const char* key : {"$feature_flag", "$feature_flag_response", "$feature/checkout",
		                        "locally_evaluated", "$feature_flag_reason", "$feature_flag_id",
		                        "$feature_flag_version", "$feature_flag_request_id", "$lib", "$lib_version"})
			CPPUNIT_ASSERT_MESSAGE(key, p->has(key));
	}

	void testTrackerEvictsTheOldestEntryWhenFull()
	{
		FlagsFixture f;
		f.flags.setDefinitions(FlagsEndpoint::definitions({FlagsEndpoint::definition("beta-ui")}));
		ClientOptions o = f.options(true);
		o.flagsCalledCacheSize = 2;
		Client& c = f.start(true, o);
		for (const char* id : {"u1", "u2", "u3", "u2", "u1"})
			c.getFeatureFlag("beta-ui", id);
		// u1 was evicted by u3 and sent again; u2 was still remembered.
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), f.calledEvents().size());
	}

	// ---------------------------------------------------------------- feature-flag-cache (mapped)

	void testCacheStoresFlagValuesAndPayloadsFromASuccessfulLoad()
	{
		FlagsFixture f;
		auto table = FlagsFixture::table({{"checkout", "blue"}});
		table["checkout"].payload = "{\"copy\":\"new\"}";
		f.flags.setFlags(table);
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-1");
		CPPUNIT_ASSERT(s.getResult("checkout").value == FlagValue("blue"));
		CPPUNIT_ASSERT_EQUAL(std::string("{\"copy\":\"new\"}"), s.getResult("checkout").payload.toJSON());
	}

	void testCacheServesReadsWithoutANetworkRequest()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "blue"}}));
		Client& c = f.start(false);
		FeatureFlagEvaluations s = c.evaluateFlags("user-1");
		for (int i = 0; i < 5; ++i)
			CPPUNIT_ASSERT(s.isEnabled("checkout"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	// ---------------------------------------------------------------- local-feature-flag-evaluator

	void testEvaluatorReturnsTrueForAMatchingActiveBooleanFlag()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("beta-ui")});
		CPPUNIT_ASSERT(c.getFeatureFlag("beta-ui", "user-1") == FlagValue(true));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testEvaluatorReturnsAVariantForAMatchingMultivariateFlag()
	{
		FlagsFixture f;
		Client& c = f.startLocal({FlagsEndpoint::definition("checkout", true, 100, "blue")});
		CPPUNIT_ASSERT(c.getFeatureFlag("checkout", "user-1") == FlagValue("blue"));
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), f.flags.flagsRequests());
	}

	void testEvaluatorSignalsRemoteFallbackWhenRequiredContextIsMissing()
	{
		FlagsFixture f;
		f.flags.setFlags(FlagsFixture::table({{"checkout", "red"}}));
		Client& c = f.startLocal({continuityFlag("checkout")});
		FeatureFlagResult r = c.getFeatureFlagResult("checkout", "user-1");
		CPPUNIT_ASSERT(r.value == FlagValue("red"));
		CPPUNIT_ASSERT(!r.locallyEvaluated);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.flags.flagsRequests());
	}

	void testEvaluatorResolvesPayloadFromTheMatchedValue()
	{
		FlagsFixture f;
		Client& c = f.startLocal(
		    {FlagsEndpoint::definition("checkout", true, 100, "blue", "{\"copy\":\"for blue\"}")});
		FlagPayload payload = c.getFeatureFlagPayload("checkout", "user-1");
		CPPUNIT_ASSERT_EQUAL(std::string("for blue"), std::string(payload.value()["copy"].getString()));
	}

private:
	static std::string continuityFlag(const std::string& key)
	/// A flag that local evaluation can never decide (experience continuity needs the server).
	{
		std::string d = FlagsEndpoint::definition(key);
		return d.replace(d.find("\"ensure_experience_continuity\":false"), 36,
		                 "\"ensure_experience_continuity\":true");
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagsSpecTest);
