//
// CompactEvaluationTest.cpp
//
// Evaluating every flag of a context at once (the compact answers a FeatureFlagEvaluations
// snapshot holds) gives what evaluating each flag on its own gives; the snapshot's views stay
// valid after its definitions are replaced; the one-block SHA-1 path hashes as SHA-1 does;
// property filters share an answer slot exactly when key, operator and value JSON are the same.
//

#include "FlagsBenchData.h"
#include "FlagsTestSupport.h"
#include "Poco/DigestEngine.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/SHA1Engine.h"
#include "flags/DefinitionsSnapshot.h"
#include "flags/EvaluationsData.h"
#include "flags/FlagHash.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using namespace PostHogTest;

namespace
{

/// One of the benchmark's context lines as an evaluation context.
EvaluationContext benchContextOf(int index)
{
	using Poco::JSON::Object;
	const Object::Ptr line =
	    Poco::JSON::Parser().parse(PostHogBench::benchContext(index)).extract<Object::Ptr>();
	EvaluationContext context;
	context.distinctId = line->getValue<std::string>("distinct_id");
	context.personProperties = Properties::fromVar(line->get("person_properties"));
	context.personProperties.set("distinct_id", context.distinctId);
	const Object::Ptr groups = line->getObject("groups");
	const Object::Ptr groupProperties = line->getObject("group_properties");
	for (const std::string& type : groups ? groups->getNames() : std::vector<std::string>())
	{
		context.groups[type] = groups->getValue<std::string>(type);
		if (groupProperties && groupProperties->has(type))
			context.groupProperties[type] = Properties::fromVar(groupProperties->get(type));
	}
	return context;
}

/// The reference: the first 15 hex digits of SHA-1(text) over 0xFFFFFFFFFFFFFFF.
double referenceHash(const std::string& text)
{
	Poco::SHA1Engine engine;
	engine.update(text);
	const std::string hex = Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 15);
	return static_cast<double>(std::stoull(hex, nullptr, 16)) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

} // namespace

class CompactEvaluationTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(CompactEvaluationTest);
	CPPUNIT_TEST(testCompactAnswersMatchOneFlagAtATime);
	CPPUNIT_TEST(testSnapshotOutlivesItsDefinitions);
	CPPUNIT_TEST(testHashOfEveryInputLength);
	CPPUNIT_TEST(testSharedFiltersShareAnswers);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCompactAnswersMatchOneFlagAtATime()
	{
		const auto definitions = FlagDefinitions::parse(PostHogBench::benchDefinitions(80));
		const LocalEvaluator evaluator;
		std::vector<LocalAnswer> answers;
		for (int c = 0; c < 300; ++c)
		{
			const EvaluationContext context = benchContextOf(c);
			const std::size_t decided = evaluator.evaluateAll(*definitions, context, answers);
			CPPUNIT_ASSERT_EQUAL(definitions->size(), answers.size());
			std::size_t counted = 0;
			for (std::size_t i = 0; i < definitions->size(); ++i)
			{
				const FlagDefinition& flag = definitions->flags()[i];
				const LocalResult one = evaluator.evaluate(*definitions, flag.key, context);
				const std::string where = context.distinctId + " / " + flag.key;
				CPPUNIT_ASSERT_EQUAL_MESSAGE(where, one.outcome == LocalResult::Decided,
				                             answers[i].decided());
				if (!answers[i].decided())
					continue;
				++counted;
				CPPUNIT_ASSERT_MESSAGE(where, one.value == answers[i].value);
				CPPUNIT_ASSERT_EQUAL_MESSAGE(where, one.reason, std::string(answers[i].reason));
				CPPUNIT_ASSERT_EQUAL_MESSAGE(where, one.payload,
				                             answers[i].payload ? *answers[i].payload : std::string());
			}
			CPPUNIT_ASSERT_EQUAL(counted, decided);
		}
	}

	void testSnapshotOutlivesItsDefinitions()
	{
		std::shared_ptr<const DefinitionsSnapshot> snapshot =
		    DefinitionsSnapshot::parse("{\"flags\": [" + flagWithFilters("plain", "") + ", " +
		                               R"({"id": 9, "version": 4, "key": "with-payload-and-a-long-key",
				"active": true, "filters": {"groups": [{"properties": [], "rollout_percentage": 100}],
				"payloads": {"true": "{\"copy\": \"new\"}"}}}]})");
		auto data = std::make_shared<FeatureFlagEvaluations::Data>();
		data->distinctId = "user-1";
		data->sendEvents = false;
		EvaluationContext context;
		context.distinctId = "user-1";
		data->definitions = snapshot->sharedDefinitions();
		data->localCount = snapshot->evaluateAll(context, data->local);
		snapshot.reset(); // the poller replaced the definitions and the grace period ended

		const FeatureFlagEvaluations flags(data);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), flags.size());
		CPPUNIT_ASSERT((std::vector<std::string>{"plain", "with-payload-and-a-long-key"}) == flags.keys());
		CPPUNIT_ASSERT(flags.isEnabled("with-payload-and-a-long-key"));
		const FeatureFlagResult result = flags.getResult("with-payload-and-a-long-key");
		CPPUNIT_ASSERT_EQUAL(std::string("with-payload-and-a-long-key"), result.key);
		CPPUNIT_ASSERT_EQUAL(std::string("condition_match"), result.reason);
		CPPUNIT_ASSERT_EQUAL(9L, result.flagId);
		CPPUNIT_ASSERT_EQUAL(4L, result.flagVersion);
		CPPUNIT_ASSERT(result.locallyEvaluated);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("new"),
		    std::string(flags.getFlagPayload("with-payload-and-a-long-key").value()["copy"].getString()));
		CPPUNIT_ASSERT_EQUAL(std::string("flag_missing"), flags.getResult("absent").error);
		const FeatureFlagEvaluations only = flags.only({"plain"});
		CPPUNIT_ASSERT((std::vector<std::string>{"plain"}) == only.keys());
		CPPUNIT_ASSERT(only.getFlag("plain") == FlagValue(true));
	}

	void testHashOfEveryInputLength()
	{
		// The one-block path takes inputs of up to 55 bytes; longer ones go through SHA1_Final.
		for (std::size_t length = 0; length <= 130; ++length)
		{
			const std::string value(length, static_cast<char>('a' + length % 26));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(length), referenceHash("flag." + value + "variant"),
			                             FlagHash::hash("flag.", value, "variant"));
			CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(length), referenceHash(value),
			                             FlagHash::hash("", value, ""));
		}
	}

	void testSharedFiltersShareAnswers()
	{
		const std::string list =
		    R"({"key": "plan", "type": "person", "operator": "exact", "value": ["pro", "team"]})";
		const std::string joined =
		    R"({"key": "plan", "type": "person", "operator": "exact", "value": ["pro,team"]})";
		const std::string number = R"({"key": "plan", "type": "person", "operator": "exact", "value": 21})";
		const std::string text = R"({"key": "plan", "type": "person", "operator": "exact", "value": "21"})";
		const std::string cohort = R"({"key": "id", "type": "cohort", "value": 1})";
		const auto definitions = definitionsOf(
		    flagWithFilters("a", list) + ", " + flagWithFilters("b", list) + ", " +
		        flagWithFilters("c", joined) + ", " + flagWithFilters("d", number) + ", " +
		        flagWithFilters("e", text) + ", " + flagWithFilters("f", list + ", " + cohort) + ", " +
		        flagWithFilters("g", joined),
		    R"("cohorts": {"1": {"type": "OR", "values": [{"type": "AND", "values": [)" + list + "]}]}}");
		const auto slotOf = [&definitions](std::size_t flag, std::size_t filter)
		{ return definitions->flags()[flag].conditions[0].filters[filter].answerSlot; };
		CPPUNIT_ASSERT_EQUAL(std::size_t(4), definitions->answerSlots());
		CPPUNIT_ASSERT_EQUAL(slotOf(0, 0), slotOf(1, 0));
		CPPUNIT_ASSERT_EQUAL(slotOf(0, 0), slotOf(5, 0));
		CPPUNIT_ASSERT_EQUAL(slotOf(2, 0), slotOf(6, 0));
		CPPUNIT_ASSERT(slotOf(0, 0) != slotOf(2, 0));
		CPPUNIT_ASSERT(slotOf(3, 0) != slotOf(4, 0));
		CPPUNIT_ASSERT_EQUAL(-1, slotOf(5, 1));
		CPPUNIT_ASSERT_EQUAL(slotOf(0, 0), definitions->cohorts()[0].root.groups[0].filters[0].answerSlot);

		// Evaluated together, each flag answers as it does alone.
		EvaluationContext context;
		context.distinctId = "user-1";
		context.personProperties.set("plan", "team");
		std::vector<LocalAnswer> answers;
		LocalEvaluator().evaluateAll(*definitions, context, answers);
		const std::vector<bool> expected = {true, true, false, false, false, true, false};
		for (std::size_t i = 0; i < expected.size(); ++i)
		{
			const std::string& key = definitions->flags()[i].key;
			CPPUNIT_ASSERT_MESSAGE(key, answers[i].decided());
			CPPUNIT_ASSERT_EQUAL_MESSAGE(key, bool(expected[i]), answers[i].value.isEnabled());
			CPPUNIT_ASSERT_EQUAL_MESSAGE(
			    key, outcome(evaluate(*definitions, key, "user-1", context.personProperties)),
			    std::string(expected[i] ? "true" : "false"));
		}
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(CompactEvaluationTest);
