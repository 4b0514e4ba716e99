//
// EvaluationTest.cpp
//
// Flag-level evaluation: switches, conditions and rollouts, group flags, variants, payloads,
// holdouts, cohorts, dependencies, device bucketing, explain, and definitions that fail to load.
//

#include "FlagsTestSupport.h"
#include "PostHog/Exceptions.h"
#include "flags/MinimalCalledEvent.h"
#include <atomic>
#include <cppunit/extensions/HelperMacros.h>
#include <thread>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

const char* const kMatchAll = R"({"properties": [], "rollout_percentage": 100})";

std::string flag(const std::string& key, const std::string& groups, const std::string& more = "")
{
	return "{\"id\": 7, \"version\": 3, \"key\": \"" + key +
	       "\", \"active\": true, \"filters\": {\"groups\": [" + groups + "]" +
	       (more.empty() ? "" : ", " + more) + "}}";
}

std::string personFilter(const std::string& key, const std::string& op, const std::string& value)
{
	return "{\"key\": \"" + key + "\", \"type\": \"person\", \"operator\": \"" + op +
	       "\", \"value\": " + value + "}";
}

std::string condition(const std::string& filters, int rollout = 100, const std::string& variant = "")
{
	return "{\"properties\": [" + filters + "], \"rollout_percentage\": " + std::to_string(rollout) +
	       (variant.empty() ? "" : ", \"variant\": \"" + variant + "\"") + "}";
}

const char* const kVariants = R"("multivariate": {"variants": [
	{"key": "control", "rollout_percentage": 50}, {"key": "test", "rollout_percentage": 50}]})";

} // namespace

class EvaluationTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(EvaluationTest);
	CPPUNIT_TEST(testInactiveFlagIsFalse);
	CPPUNIT_TEST(testExperienceContinuityIsInconclusive);
	CPPUNIT_TEST(testMissingFlag);
	CPPUNIT_TEST(testConditionsInOrder);
	CPPUNIT_TEST(testUndecidableConditionThenMatch);
	CPPUNIT_TEST(testUndecidableConditionAndNoMatch);
	CPPUNIT_TEST(testRolloutZeroIsOutOfBound);
	CPPUNIT_TEST(testGroupFlags);
	CPPUNIT_TEST(testUnknownGroupTypeIsInconclusive);
	CPPUNIT_TEST(testVariantOverride);
	CPPUNIT_TEST(testPayloads);
	CPPUNIT_TEST(testHoldout);
	CPPUNIT_TEST(testCohorts);
	CPPUNIT_TEST(testNestedCohortsAndNegation);
	CPPUNIT_TEST(testMissingCohortSendsFlagToServer);
	CPPUNIT_TEST(testFlagDependencies);
	CPPUNIT_TEST(testDependencyCycles);
	CPPUNIT_TEST(testDeviceBucketing);
	CPPUNIT_TEST(testMixedGroupConditions);
	CPPUNIT_TEST(testEarlyExit);
	CPPUNIT_TEST(testServerOnlyRegexBeforeAMatch);
	CPPUNIT_TEST(testEvaluateAllAndExplain);
	CPPUNIT_TEST(testMalformedDefinitions);
	CPPUNIT_TEST(testMinimalEventSignals);
	CPPUNIT_TEST(testMinimalEventAllowlist);
	CPPUNIT_TEST(testConcurrentEvaluation);
	CPPUNIT_TEST_SUITE_END();

public:
	void testInactiveFlagIsFalse()
	{
		const auto definitions = definitionsOf(R"({"id": 1, "key": "off", "active": false,
			"filters": {"groups": [{"properties": [], "rollout_percentage": 100}]}})");
		const LocalResult result = evaluate(*definitions, "off", "u");
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("flag_disabled"), result.reason);
	}

	void testExperienceContinuityIsInconclusive()
	{
		const auto definitions = definitionsOf(R"({"id": 1, "key": "ec", "active": true,
			"ensure_experience_continuity": true,
			"filters": {"groups": [{"properties": [], "rollout_percentage": 100}]}})");
		const LocalResult result = evaluate(*definitions, "ec", "u");
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("experience_continuity"), result.inconclusiveReason);
	}

	void testMissingFlag()
	{
		const auto definitions = definitionsOf(flag("a", kMatchAll));
		CPPUNIT_ASSERT_EQUAL(std::string("missing"), outcome(evaluate(*definitions, "b", "u")));
	}

	void testConditionsInOrder()
	{
		const auto definitions =
		    definitionsOf(flag("f", condition(personFilter("plan", "exact", "\"pro\"")) + ", " +
		                                condition(personFilter("plan", "exact", "\"free\""))));
		const LocalResult result = evaluate(*definitions, "f", "u", Properties{{"plan", "free"}});
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(1, result.conditionIndex);
		CPPUNIT_ASSERT_EQUAL(std::string("condition_match"), result.reason);
		CPPUNIT_ASSERT_EQUAL(7L, result.flagId);
		CPPUNIT_ASSERT_EQUAL(3L, result.version);
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(evaluate(*definitions, "f", "u", Properties{{"plan", "x"}})));
	}

	void testUndecidableConditionThenMatch()
	{
		// posthog-node: an undecidable condition is skipped; a later match decides the flag.
		const auto definitions =
		    definitionsOf(flag("f", condition(personFilter("region", "exact", "\"EU\"")) + ", " +
		                                condition(personFilter("plan", "exact", "\"pro\""))));
		CPPUNIT_ASSERT_EQUAL(std::string("true"),
		                     outcome(evaluate(*definitions, "f", "u", Properties{{"plan", "pro"}})));
	}

	void testUndecidableConditionAndNoMatch()
	{
		const auto definitions =
		    definitionsOf(flag("f", condition(personFilter("region", "exact", "\"EU\"")) + ", " +
		                                condition(personFilter("plan", "exact", "\"pro\""))));
		const LocalResult result = evaluate(*definitions, "f", "u", Properties{{"plan", "free"}});
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("missing_context"), result.inconclusiveReason);
	}

	void testRolloutZeroIsOutOfBound()
	{
		const auto definitions = definitionsOf(flag("f", condition("", 0)));
		const LocalResult result = evaluate(*definitions, "f", "u");
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("out_of_rollout_bound"), result.reason);
	}

	void testGroupFlags()
	{
		const auto definitions = definitionsOf(
		    flag(
		        "g",
		        condition(
		            R"({"key": "name", "type": "group", "group_type_index": 0, "operator": "exact", "value": ["Acme"]})"),
		        R"("aggregation_group_type_index": 0)"),
		    R"("group_type_mapping": {"0": "company", "1": "project"})");
		EvaluationContext context;
		context.distinctId = "u";
		LocalEvaluator evaluator;
		LocalResult result = evaluator.evaluate(*definitions, "g", context);
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("no_group_type"), result.reason);
		context.groups["company"] = "acme-id";
		context.groupProperties["company"] = Properties{{"name", "acme"}, {"$group_key", "acme-id"}};
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(evaluator.evaluate(*definitions, "g", context)));
		context.groupProperties["company"] = Properties{{"name", "Other"}};
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(evaluator.evaluate(*definitions, "g", context)));
		context.groupProperties["company"] = Properties{{"$group_key", "acme-id"}};
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"),
		                     outcome(evaluator.evaluate(*definitions, "g", context)));
	}

	void testUnknownGroupTypeIsInconclusive()
	{
		const auto definitions = definitionsOf(flag("g", kMatchAll, R"("aggregation_group_type_index": 4)"),
		                                       R"("group_type_mapping": {"0": "company"})");
		const LocalResult result = evaluate(*definitions, "g", "u");
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(std::string("unsupported_definition"), result.inconclusiveReason);
	}

	void testVariantOverride()
	{
		const auto definitions = definitionsOf(
		    flag("mv",
		         condition(personFilter("email", "icontains", "\"@posthog.com\""), 100, "test") + ", " +
		             kMatchAll,
		         kVariants) +
		    ", " + flag("mv2", condition("", 100, "nonexistent"), kVariants));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("test"),
		    outcome(evaluate(*definitions, "mv", "u", Properties{{"email", "Ann@PostHog.com"}})));
		// A variant override that names no defined variant falls back to the hashed variant.
		const std::string hashed = outcome(evaluate(*definitions, "mv2", "u"));
		CPPUNIT_ASSERT(hashed == "control" || hashed == "test");
		CPPUNIT_ASSERT_EQUAL(hashed, outcome(evaluate(*definitions, "mv2", "u")));
	}

	void testPayloads()
	{
		const auto definitions = definitionsOf(
		    flag("p", kMatchAll, R"("payloads": {"true": "{\"color\": \"blue\", \"n\": 1}"})") + ", " +
		    flag("v", condition("", 100, "test"),
		         std::string(kVariants) + R"(, "payloads": {"test": "[1, 2]", "control": "x"})") +
		    ", " + flag("s", kMatchAll, R"("payloads": {"true": "not json"})") + ", " +
		    flag("off", condition("", 0), R"("payloads": {"true": "1"})") + ", " +
		    flag("str", kMatchAll, R"("payloads": {"true": "\"text\""})") + ", " +
		    flag("num", kMatchAll, R"("payloads": {"true": "1"})") + ", " +
		    flag("two", kMatchAll, R"("payloads": {"true": "1, 2"})"));
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"color":"blue","n":1})"),
		                     evaluate(*definitions, "p", "u").payload);
		CPPUNIT_ASSERT_EQUAL(std::string("[1,2]"), evaluate(*definitions, "v", "u").payload);
		// A payload that is not JSON is missing; a JSON scalar decodes to that scalar.
		CPPUNIT_ASSERT_EQUAL(std::string(), evaluate(*definitions, "s", "u").payload);
		CPPUNIT_ASSERT_EQUAL(std::string(), evaluate(*definitions, "off", "u").payload);
		CPPUNIT_ASSERT_EQUAL(std::string("\"text\""), evaluate(*definitions, "str", "u").payload);
		CPPUNIT_ASSERT_EQUAL(std::string("1"), evaluate(*definitions, "num", "u").payload);
		CPPUNIT_ASSERT_EQUAL(std::string(), evaluate(*definitions, "two", "u").payload);
	}

	void testHoldout()
	{
		const auto definitions =
		    definitionsOf(flag("h", kMatchAll, R"("holdout": {"id": 5, "exclusion_percentage": 100})") +
		                  ", " + flag("n", kMatchAll, R"("holdout": {"id": 6, "exclusion_percentage": 0})"));
		const LocalResult held = evaluate(*definitions, "h", "u");
		CPPUNIT_ASSERT_EQUAL(std::string("holdout-5"), outcome(held));
		CPPUNIT_ASSERT_EQUAL(std::string("holdout"), held.reason);
		int heldOut = 0;
		for (int i = 0; i < 200; ++i)
			heldOut += outcome(evaluate(*definitions, "n", "user-" + std::to_string(i))) == "holdout-6";
		CPPUNIT_ASSERT(heldOut <= 1);
	}

	void testCohorts()
	{
		const auto definitions = definitionsOf(
		    flag("c", condition(R"({"key": "id", "type": "cohort", "value": 98})")) + ", " +
		        flag("nc",
		             condition(R"({"key": "id", "type": "cohort", "operator": "not_in", "value": "98"})")),
		    R"("cohorts": {"98": {"type": "OR", "values": [{"type": "AND", "values": [
				{"key": "plan", "type": "person", "operator": "exact", "value": "pro"},
				{"key": "age", "type": "person", "operator": "gt", "value": 30}]}]}})");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("true"),
		    outcome(evaluate(*definitions, "c", "u", Properties{{"plan", "pro"}, {"age", 31}})));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("false"),
		    outcome(evaluate(*definitions, "c", "u", Properties{{"plan", "pro"}, {"age", 20}})));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("true"),
		    outcome(evaluate(*definitions, "nc", "u", Properties{{"plan", "free"}, {"age", 31}})));
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"),
		                     outcome(evaluate(*definitions, "c", "u", Properties{{"plan", "pro"}})));
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(evaluate(*definitions, "c", "u", Properties{{"plan", "free"}})));
	}

	void testNestedCohortsAndNegation()
	{
		const auto definitions =
		    definitionsOf(flag("c", condition(R"({"key": "id", "type": "cohort", "value": 1})")),
		                  R"("cohorts": {
				"1": {"type": "AND", "values": [{"type": "OR", "values": [
					{"key": "id", "type": "cohort", "value": 2},
					{"key": "country", "type": "person", "operator": "exact", "value": "US", "negation": true}]}]},
				"2": {"type": "AND", "values": [{"type": "AND", "values": [
					{"key": "beta", "type": "person", "operator": "exact", "value": true}]}]},
				"3": {}})");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("true"),
		    outcome(evaluate(*definitions, "c", "u", Properties{{"beta", true}, {"country", "US"}})));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("true"),
		    outcome(evaluate(*definitions, "c", "u", Properties{{"beta", false}, {"country", "FR"}})));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("false"),
		    outcome(evaluate(*definitions, "c", "u", Properties{{"beta", false}, {"country", "US"}})));
		const auto empty =
		    definitionsOf(flag("e", condition(R"({"key": "id", "type": "cohort", "value": 3})")),
		                  R"("cohorts": {"3": {}})");
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(evaluate(*empty, "e", "u")));
	}

	void testMissingCohortSendsFlagToServer()
	{
		// A static cohort is not shipped with the definitions: the whole flag goes to the server,
		// even though a later condition would match.
		const auto definitions = definitionsOf(
		    flag("c", condition(R"({"key": "id", "type": "cohort", "value": 404})") + ", " + kMatchAll),
		    R"("cohorts": {})");
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "c", "u")));
	}

	void testFlagDependencies()
	{
		const auto definitions = definitionsOf(
		    flag("base", condition(personFilter("plan", "exact", "\"pro\""))) + ", " +
		    flag("dep",
		         condition(R"({"key": "base", "type": "flag", "operator": "flag_evaluates_to", "value": true,
				"dependency_chain": ["base"]})")) +
		    ", " + flag("mv", condition("", 100, "test"), kVariants) + ", " +
		    flag("on-variant", condition(R"({"key": "mv", "type": "flag", "operator": "flag_evaluates_to",
				"value": "test", "dependency_chain": ["mv"]})")) +
		    ", " +
		    flag("chain",
		         condition(R"({"key": "dep", "type": "flag", "operator": "flag_evaluates_to", "value": false,
				"dependency_chain": ["base", "dep"]})")) +
		    ", " +
		    flag("missing",
		         condition(R"({"key": "gone", "type": "flag", "operator": "flag_evaluates_to", "value": true,
				"dependency_chain": ["gone"]})")));
		CPPUNIT_ASSERT_EQUAL(std::string("true"),
		                     outcome(evaluate(*definitions, "dep", "u", Properties{{"plan", "pro"}})));
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(evaluate(*definitions, "dep", "u", Properties{{"plan", "free"}})));
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "dep", "u")));
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(evaluate(*definitions, "on-variant", "u")));
		CPPUNIT_ASSERT_EQUAL(std::string("true"),
		                     outcome(evaluate(*definitions, "chain", "u", Properties{{"plan", "free"}})));
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(evaluate(*definitions, "chain", "u", Properties{{"plan", "pro"}})));
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "missing", "u")));
	}

	void testDependencyCycles()
	{
		// The server marks a cycle with an empty chain; a cycle it did not mark is caught too.
		const auto definitions = definitionsOf(
		    flag("a",
		         condition(R"({"key": "b", "type": "flag", "operator": "flag_evaluates_to", "value": true,
				"dependency_chain": []})")) +
		    ", " +
		    flag("x",
		         condition(R"({"key": "y", "type": "flag", "operator": "flag_evaluates_to", "value": true,
				"dependency_chain": ["y"]})")) +
		    ", " +
		    flag("y",
		         condition(R"({"key": "x", "type": "flag", "operator": "flag_evaluates_to", "value": true,
				"dependency_chain": ["x"]})")));
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "a", "u")));
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "x", "u")));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3),
		                     LocalEvaluator().evaluateAll(*definitions, EvaluationContext()).size());
	}

	void testDeviceBucketing()
	{
		const auto definitions = definitionsOf(R"({"id": 1, "key": "simple-flag", "active": true,
			"bucketing_identifier": "device_id",
			"filters": {"groups": [{"properties": [], "rollout_percentage": 45}]}})");
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"),
		                     outcome(evaluate(*definitions, "simple-flag", "distinct_id_1")));
		EvaluationContext context;
		context.distinctId = "someone";
		// distinct_id_0 is outside the 45% rollout, distinct_id_1 inside (the consistency vectors).
		context.deviceId = "distinct_id_0";
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(LocalEvaluator().evaluate(*definitions, "simple-flag", context)));
		context.deviceId.clear();
		context.personProperties.set("$device_id", "distinct_id_1");
		CPPUNIT_ASSERT_EQUAL(std::string("true"),
		                     outcome(LocalEvaluator().evaluate(*definitions, "simple-flag", context)));
	}

	void testMixedGroupConditions()
	{
		// A person flag with a condition aggregated by company: that condition reads the
		// company's properties and is skipped when the company was not passed.
		const auto definitions = definitionsOf(
		    flag(
		        "mixed",
		        R"({"properties": [{"key": "seats", "type": "group", "group_type_index": 0, "operator": "gte",
					"value": 10}], "rollout_percentage": 100, "aggregation_group_type_index": 0}, )" +
		            condition(personFilter("plan", "exact", "\"pro\""))),
		    R"("group_type_mapping": {"0": "company"})");
		EvaluationContext context;
		context.distinctId = "u";
		context.personProperties = Properties{{"plan", "free"}};
		LocalEvaluator evaluator;
		CPPUNIT_ASSERT_EQUAL(std::string("false"),
		                     outcome(evaluator.evaluate(*definitions, "mixed", context)));
		context.groups["company"] = "acme";
		context.groupProperties["company"] = Properties{{"seats", 12}};
		const LocalResult result = evaluator.evaluate(*definitions, "mixed", context);
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(result));
		CPPUNIT_ASSERT_EQUAL(0, result.conditionIndex);
		context.groupProperties.clear();
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"),
		                     outcome(evaluator.evaluate(*definitions, "mixed", context)));
	}

	void testEarlyExit()
	{
		// early_exit: a condition whose properties match but whose rollout excludes the person
		// decides false, whatever later conditions say.
		const auto definitions =
		    definitionsOf(flag("ee", condition("", 0) + ", " + kMatchAll, R"("early_exit": true)") + ", " +
		                  flag("late", condition("", 0) + ", " + kMatchAll));
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(evaluate(*definitions, "ee", "u")));
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(evaluate(*definitions, "late", "u")));
	}

	void testServerOnlyRegexBeforeAMatch()
	{
		// A pattern only the server can run, in a condition that would give another value than the
		// condition that matches, leaves the flag to the server (posthog-node's deferred values).
		const auto definitions =
		    definitionsOf(flag("rx",
		                       condition(personFilter("email", "regex", "\"(?=x)\""), 100, "test") + ", " +
		                           condition("", 100, "control"),
		                       kVariants) +
		                  ", " +
		                  flag("same",
		                       condition(personFilter("email", "regex", "\"(?=x)\""), 100, "control") + ", " +
		                           condition("", 100, "control"),
		                       kVariants));
		const Properties person{{"email", "x@y.z"}};
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "rx", "u", person)));
		CPPUNIT_ASSERT_EQUAL(std::string("control"), outcome(evaluate(*definitions, "same", "u", person)));
	}

	void testEvaluateAllAndExplain()
	{
		const auto definitions =
		    definitionsOf(flag("a", condition(personFilter("plan", "exact", "\"pro\""))) + ", " +
		                  flag("b", condition("", 0)) + ", " + flag("c", kMatchAll));
		EvaluationContext context;
		context.distinctId = "u";
		context.personProperties = Properties{{"plan", "free"}};
		ExplainLines explain;
		const std::vector<LocalResult> results =
		    LocalEvaluator().evaluateAll(*definitions, context, &explain);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), results.size());
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(results[0]));
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(results[1]));
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(results[2]));
		bool sawFilter = false;
		for (const std::string& line : explain.lines())
			sawFilter = sawFilter || line.find("a:   filter 'plan' exact \"pro\"") == 0 ||
			            line.find("'plan' exact pro: did not match") != std::string::npos;
		CPPUNIT_ASSERT(sawFilter);
		CPPUNIT_ASSERT(!explain.lines().empty());
		// Some keys in one run: the answers evaluateAll gives, in the asked order; Missing for
		// a key no flag has.
		std::vector<LocalResult> some;
		LocalEvaluator().evaluateKeys(*definitions, {"c", "nope", "a"}, context, some);
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), some.size());
		CPPUNIT_ASSERT_EQUAL(std::string("true"), outcome(some[0]));
		CPPUNIT_ASSERT(some[1].outcome == LocalResult::Missing);
		CPPUNIT_ASSERT_EQUAL(std::string("false"), outcome(some[2]));
	}

	void testConcurrentEvaluation()
	{
		// One snapshot, one evaluator, eight threads, no lock: every thread gets the answers a
		// single thread gets (ci-extra.sh runs this under TSan).
		const auto definitions = definitionsOf(
		    flag("a", condition(personFilter("email", "regex", "\"^[a-z]+@\""), 50)) + ", " +
		    flag("b", condition(personFilter("plan", "exact", "\"pro\"")), kVariants) + ", " +
		    flag("c",
		         condition(R"({"key": "a", "type": "flag", "operator": "flag_evaluates_to", "value": true,
					"dependency_chain": ["a"]})")) +
		    ", " + flag("d", condition(personFilter("joined", "is_date_after", "\"-30d\""))));
		std::vector<EvaluationContext> contexts(64);
		for (std::size_t i = 0; i < contexts.size(); ++i)
		{
			contexts[i].distinctId = "user-" + std::to_string(i);
			contexts[i].personProperties = Properties{{"email", i % 2 ? "ann@x.com" : "Bob@x.com"},
			                                          {"plan", i % 3 ? "pro" : "free"},
			                                          {"joined", "2020-01-01"}};
		}
		const LocalEvaluator evaluator;
		std::vector<std::string> expected;
		for (const EvaluationContext& context : contexts)
		{
			for (const LocalResult& result : evaluator.evaluateAll(*definitions, context))
				expected.push_back(outcome(result));
		}
		std::atomic<int> mismatches{0};
		std::vector<std::thread> threads;
		for (int t = 0; t < 8; ++t)
		{
			threads.emplace_back(
			    [&]()
			    {
				    std::vector<LocalResult> results;
				    for (int round = 0; round < 20; ++round)
				    {
					    std::size_t n = 0;
					    for (const EvaluationContext& context : contexts)
					    {
						    evaluator.evaluateAll(*definitions, context, results);
						    for (const LocalResult& result : results)
							    mismatches += outcome(result) != expected[n++];
					    }
				    }
			    });
		}
		for (std::thread& thread : threads)
			thread.join();
		CPPUNIT_ASSERT_EQUAL(0, mismatches.load());
	}

	void testMinimalEventSignals()
	{
		// The gate counts only as the JSON value true; has_experiment only as a JSON boolean.
		auto defs = FlagDefinitions::parse(R"({"minimal_flag_called_events": true, "flags": [
			{"key": "yes", "active": true, "has_experiment": true, "filters": {}},
			{"key": "no", "active": true, "has_experiment": false, "filters": {}},
			{"key": "text", "active": true, "has_experiment": "false", "filters": {}},
			{"key": "absent", "active": true, "filters": {}}]})");
		CPPUNIT_ASSERT(defs->minimalFlagCalledEvents());
		CPPUNIT_ASSERT_EQUAL(1, int(defs->find("yes")->hasExperiment));
		CPPUNIT_ASSERT_EQUAL(0, int(defs->find("no")->hasExperiment));
		CPPUNIT_ASSERT_EQUAL(-1, int(defs->find("text")->hasExperiment));
		CPPUNIT_ASSERT_EQUAL(-1, int(defs->find("absent")->hasExperiment));
		for (const char* gate : {"1", "\"true\"", "false", "null"})
			CPPUNIT_ASSERT_MESSAGE(gate,
			                       !FlagDefinitions::parse(std::string("{\"minimal_flag_called_events\": ") +
			                                               gate + ", \"flags\": []}")
			                            ->minimalFlagCalledEvents());
		CPPUNIT_ASSERT(!FlagDefinitions::parse(R"({"flags": []})")->minimalFlagCalledEvents());
	}

	void testMinimalEventAllowlist()
	{
		for (const char* kept :
		     {"$feature_flag", "$feature_flag_has_experiment", "locally_evaluated", "$groups", "$lib",
		      "$session_id", "$referring_domain", "utm_source", "gclid", "_kx", "$os"})
			CPPUNIT_ASSERT_MESSAGE(kept, MinimalCalledEvent::allowed(kept));
		for (const char* gone :
		     {"$referrer", "team", "$feature/beta-ui", "$active_feature_flags", "$set", ""})
			CPPUNIT_ASSERT_MESSAGE(gone, !MinimalCalledEvent::allowed(gone));
		Message message(
		    Message::Type::Capture, "$feature_flag_called", "user-1",
		    Properties{{"$feature_flag", "beta-ui"}, {"team", "growth"}, {"$referrer", "https://x/?q"}});
		CPPUNIT_ASSERT(!MinimalCalledEvent::minimize(message)); // not marked: left alone
		CPPUNIT_ASSERT(message.properties().has("team"));
		MinimalCalledEvent::mark(message);
		CPPUNIT_ASSERT(MinimalCalledEvent::minimize(message));
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"$feature_flag":"beta-ui"})"), message.properties().toJSON());
	}

	void testMalformedDefinitions()
	{
		const char* const bad[] = {"",
		                           "not json",
		                           "[]",
		                           "{}",
		                           R"({"flags": {}})",
		                           "{\"flags\": [",
		                           "null",
		                           "{\"flags\": [], \"x\": f\n"};
		for (const char* text : bad)
		{
			try
			{
				FlagDefinitions::parse(text);
				CPPUNIT_FAIL(std::string("accepted: ") + text);
			}
			catch (const DataException& e)
			{
				CPPUNIT_ASSERT(e.message().find("definitions") != std::string::npos);
				CPPUNIT_ASSERT(e.message().find('\n') == std::string::npos);
			}
		}
		// Unexpected contents inside a flag do not fail the load: that flag is undecidable.
		const auto definitions = FlagDefinitions::parse(R"({"flags": [1, {"key": "k", "active": true,
			"filters": {"groups": [{"properties": [7, {"type": "person"}]}]}}], "cohorts": [],
			"group_type_mapping": "x"})");
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), definitions->size());
		CPPUNIT_ASSERT_EQUAL(std::string("inconclusive"), outcome(evaluate(*definitions, "k", "u")));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(EvaluationTest);
