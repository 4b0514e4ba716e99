//
// ValidationMiddlewareTest.cpp
//
// The validation plugin (libPostHogValidation.so, loaded through the pipeline): every rule and
// every option.
//

#include "PluginDocs.h"
#include "Poco/DateTime.h"
#include "PostHog/Array.h"
#include "StageHarness.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;
using PostHogTest::StageHarness;

namespace
{

bool contains(const std::string& text, const std::string& part)
{
	return text.find(part) != std::string::npos;
}

std::string repeat(const std::string& s, int n)
{
	std::string out;
	for (int i = 0; i < n; ++i)
		out += s;
	return out;
}

Poco::Timestamp hoursFromNow(double hours)
{
	return Poco::Timestamp() + static_cast<Poco::Timestamp::TimeDiff>(hours * 3600.0 * 1e6);
}

Poco::Timestamp date(int year)
{
	return Poco::DateTime(year, 6, 1).timestamp();
}

} // namespace

class ValidationMiddlewareTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(ValidationMiddlewareTest);
	CPPUNIT_TEST(testWellFormedEventPassesUnchanged);
	CPPUNIT_TEST(testEventName);
	CPPUNIT_TEST(testMaxEventNameLengthOption);
	CPPUNIT_TEST(testMissingDistinctId);
	CPPUNIT_TEST(testIllegalDistinctIds);
	CPPUNIT_TEST(testLegalLookAlikeDistinctIds);
	CPPUNIT_TEST(testIllegalDistinctIdsOption);
	CPPUNIT_TEST(testDistinctIdLength);
	CPPUNIT_TEST(testUuid);
	CPPUNIT_TEST(testFutureTimestamp);
	CPPUNIT_TEST(testMinTimestamp);
	CPPUNIT_TEST(testObjectProperties);
	CPPUNIT_TEST(testPropertyNames);
	CPPUNIT_TEST(testEventSize);
	CPPUNIT_TEST(testEventNamePattern);
	CPPUNIT_TEST(testRequired);
	CPPUNIT_TEST(testTypes);
	CPPUNIT_TEST(testTagMode);
	CPPUNIT_TEST(testDropReasonsCounted);
	CPPUNIT_TEST(testBadOptions);
	CPPUNIT_TEST(testOptionsDocumented);
	CPPUNIT_TEST_SUITE_END();

public:
	void testWellFormedEventPassesUnchanged()
	{
		StageHarness h("validation");
		Properties props{{"plan", "pro"}, {"$set", Properties{{"email", "a@example.com"}}}, {"seats", 3}};
		Message m = StageHarness::message("movie played", "user-42", props);
		auto outcome = h.run(m);
		CPPUNIT_ASSERT(outcome.passed);
		CPPUNIT_ASSERT(m.properties() == props);
		auto stats = h.pipeline().statistics();
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), stats.size());
		CPPUNIT_ASSERT_EQUAL(std::string("validation"), stats[0].kind);
	}

	void testEventName()
	{
		StageHarness h("validation");
		Message empty(Message::Type::Capture, "", "user-1");
		empty.setUuid(StageHarness::message("x", "y").uuid());
		auto outcome = h.run(empty);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("validation"), outcome.droppedBy);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'eventName': the event name is empty"), outcome.reason);

		Message longName = StageHarness::message(std::string(201, 'e'), "user-1");
		outcome = h.run(longName);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT(contains(outcome.reason, "rule 'maxEventNameLength'"));
		CPPUNIT_ASSERT(contains(outcome.reason, "longer than 200 characters"));
		CPPUNIT_ASSERT(contains(outcome.reason, "'" + std::string(64, 'e') + "...'"));

		Message atLimit = StageHarness::message(std::string(200, 'e'), "user-1");
		CPPUNIT_ASSERT(h.run(atLimit).passed);
		// Characters, not bytes: 200 two-byte characters are 400 bytes and still fine.
		Message multibyte = StageHarness::message(repeat("\xc3\xa9", 200), "user-1");
		CPPUNIT_ASSERT(h.run(multibyte).passed);
		Message multibyteLong = StageHarness::message(repeat("\xc3\xa9", 201), "user-1");
		CPPUNIT_ASSERT(!h.run(multibyteLong).passed);
	}

	void testMaxEventNameLengthOption()
	{
		StageHarness h("validation", {{"maxEventNameLength", "10"}});
		Message ok = StageHarness::message("0123456789", "user-1");
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message tooLong = StageHarness::message("0123456789a", "user-1");
		auto outcome = h.run(tooLong);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxEventNameLength': event name '0123456789a' is longer than 10 characters"),
		    outcome.reason);
	}

	void testMissingDistinctId()
	{
		StageHarness h("validation");
		Message m = StageHarness::message("signed up", "");
		auto outcome = h.run(m);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'distinctId': the distinct id is missing"), outcome.reason);
	}

	void testIllegalDistinctIds()
	{
		StageHarness h("validation");
		// PostHog's list (plugin-server isDistinctIdIllegal), in other casings, padded, quoted.
		const char* illegal[] = {"anonymous",
		                         "Anonymous",
		                         "GUEST",
		                         "distinctid",
		                         "distinct_id",
		                         "DISTINCT_ID",
		                         "id",
		                         "Id",
		                         "not_authenticated",
		                         "email",
		                         "undefined",
		                         "uNdEfInEd",
		                         "true",
		                         "False",
		                         "null",
		                         "NULL",
		                         "NaN",
		                         "nan",
		                         "None",
		                         "none",
		                         "[object Object]",
		                         "[OBJECT OBJECT]",
		                         "0",
		                         "  anonymous  ",
		                         "\tnull\n",
		                         "\"anonymous\"",
		                         "'null'",
		                         "\"0\"",
		                         "'[object Object]'"};
		for (const char* id : illegal)
		{
			Message m = StageHarness::message("signed up", id);
			auto outcome = h.run(m);
			CPPUNIT_ASSERT_MESSAGE(id, !outcome.passed);
			CPPUNIT_ASSERT_MESSAGE(
			    outcome.reason, contains(outcome.reason, "rule 'illegalDistinctId': the distinct id is '"));
			CPPUNIT_ASSERT_MESSAGE(
			    outcome.reason,
			    contains(outcome.reason, "a placeholder PostHog refuses to merge persons on"));
		}
		Message quoted = StageHarness::message("signed up", "'Anonymous'");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'illegalDistinctId': the distinct id is 'anonymous', a placeholder PostHog "
		                "refuses to merge persons on"),
		    h.run(quoted).reason);
		const char* blank[] = {" ", "   ", "\t", "\"\"", "''", " '' "};
		for (const char* id : blank)
		{
			Message m = StageHarness::message("signed up", id);
			auto outcome = h.run(m);
			CPPUNIT_ASSERT_MESSAGE(id, !outcome.passed);
			CPPUNIT_ASSERT_EQUAL(std::string("rule 'illegalDistinctId': the distinct id is blank"),
			                     outcome.reason);
		}
	}

	void testLegalLookAlikeDistinctIds()
	{
		StageHarness h("validation");
		const char* legal[] = {
		    "user-0", "anonymous-123", "00",      "0x0",      "nullable", "id1", "guest@example.com",
		    "emails", "'anonymous",    "\"null'", "[object]", "01",       "idd", "not authenticated"};
		for (const char* id : legal)
		{
			Message m = StageHarness::message("signed up", id);
			auto outcome = h.run(m);
			CPPUNIT_ASSERT_MESSAGE(std::string(id) + ": " + outcome.reason, outcome.passed);
		}
	}

	void testIllegalDistinctIdsOption()
	{
		StageHarness h("validation", {{"illegalDistinctIds", "test-user, Placeholder"}});
		Message m = StageHarness::message("signed up", " TEST-user ");
		auto outcome = h.run(m);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'illegalDistinctId': the distinct id is one of illegalDistinctIds"),
		    outcome.reason);
		Message p = StageHarness::message("signed up", "placeholder");
		CPPUNIT_ASSERT(!h.run(p).passed);
		Message ok = StageHarness::message("signed up", "test-user-2");
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message builtin = StageHarness::message("signed up", "guest");
		CPPUNIT_ASSERT(!h.run(builtin).passed); // PostHog's list still applies
	}

	void testDistinctIdLength()
	{
		StageHarness h("validation");
		Message ok = StageHarness::message("signed up", std::string(200, 'u'));
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message tooLong = StageHarness::message("signed up", std::string(201, 'u'));
		auto outcome = h.run(tooLong);
		CPPUNIT_ASSERT(!outcome.passed);
		// The id itself is never quoted in a reason.
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxDistinctIdLength': the distinct id is longer than 200 characters"),
		    outcome.reason);
		StageHarness shorter("validation", {{"maxDistinctIdLength", "8"}});
		Message nine = StageHarness::message("signed up", "user-1234");
		CPPUNIT_ASSERT(!shorter.run(nine).passed);
		Message eight = StageHarness::message("signed up", "user-123");
		CPPUNIT_ASSERT(shorter.run(eight).passed);
	}

	void testUuid()
	{
		StageHarness h("validation");
		Message nil = StageHarness::message("signed up", "user-1");
		nil.setUuid(Poco::UUID::null());
		auto outcome = h.run(nil);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'uuid': the uuid is the nil uuid"), outcome.reason);

		// Variant bits 110 (Microsoft) and 0xx (NCS) are not RFC 4122.
		const char* foreign[] = {"0190a1b2-c3d4-7e5f-c000-0123456789ab",
		                         "0190a1b2-c3d4-7e5f-0000-0123456789ab",
		                         "ffffffff-ffff-ffff-ffff-ffffffffffff"};
		for (const char* text : foreign)
		{
			Message m = StageHarness::message("signed up", "user-1");
			m.setUuid(Poco::UUID(text));
			outcome = h.run(m);
			CPPUNIT_ASSERT_MESSAGE(text, !outcome.passed);
			CPPUNIT_ASSERT_EQUAL(std::string("rule 'uuid': the uuid is not of the RFC 4122 variant"),
			                     outcome.reason);
		}
		Message v4 = StageHarness::message("signed up", "user-1");
		v4.setUuid(Poco::UUID("6ba7b810-9dad-41d1-80b4-00c04fd430c8"));
		CPPUNIT_ASSERT(h.run(v4).passed);
	}

	void testFutureTimestamp()
	{
		StageHarness h("validation");
		Message soon = StageHarness::message("signed up", "user-1");
		soon.setTimestamp(hoursFromNow(22.9));
		CPPUNIT_ASSERT(h.run(soon).passed);
		Message late = StageHarness::message("signed up", "user-1");
		late.setTimestamp(hoursFromNow(23.1));
		auto outcome = h.run(late);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxFutureHours': the timestamp is more than 23 h in the future"),
		    outcome.reason);
		Message past = StageHarness::message("signed up", "user-1");
		past.setTimestamp(hoursFromNow(-24 * 365));
		CPPUNIT_ASSERT(h.run(past).passed);

		StageHarness strict("validation", {{"maxFutureHours", "0.5"}});
		Message hour = StageHarness::message("signed up", "user-1");
		hour.setTimestamp(hoursFromNow(1));
		outcome = strict.run(hour);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxFutureHours': the timestamp is more than 0.5 h in the future"),
		    outcome.reason);
		StageHarness none("validation", {{"maxFutureHours", "0"}});
		for (int i = 0; i < 1000; ++i)
		{
			Message now = StageHarness::message("signed up", "user-1"); // stamped from the precise clock
			CPPUNIT_ASSERT(none.run(now).passed);
		}
		Message minute = StageHarness::message("signed up", "user-1");
		minute.setTimestamp(hoursFromNow(1.0 / 60));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxFutureHours': the timestamp is more than 0 h in the future"),
		    none.run(minute).reason);
		Message quarter = StageHarness::message("signed up", "user-1");
		quarter.setTimestamp(hoursFromNow(0.25));
		CPPUNIT_ASSERT(strict.run(quarter).passed);
	}

	void testMinTimestamp()
	{
		StageHarness h("validation");
		Message epoch = StageHarness::message("signed up", "user-1");
		epoch.setTimestamp(Poco::Timestamp(0));
		auto outcome = h.run(epoch);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'minTimestamp': the timestamp is before 2000-01-01T00:00:00Z"),
		                     outcome.reason);
		Message y2001 = StageHarness::message("signed up", "user-1");
		y2001.setTimestamp(date(2001));
		CPPUNIT_ASSERT(h.run(y2001).passed);

		StageHarness floor2020("validation", {{"minTimestamp", "2020-01-01T00:00:00+02:00"}});
		Message y2019 = StageHarness::message("signed up", "user-1");
		y2019.setTimestamp(date(2019));
		outcome = floor2020.run(y2019);
		CPPUNIT_ASSERT(!outcome.passed);
		// The offset is applied: 2020-01-01 00:00 at +02:00 is 2019-12-31 22:00 UTC.
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'minTimestamp': the timestamp is before 2019-12-31T22:00:00Z"),
		                     outcome.reason);

		StageHarness none("validation", {{"minTimestamp", ""}});
		Message zero = StageHarness::message("signed up", "user-1");
		zero.setTimestamp(Poco::Timestamp(0));
		CPPUNIT_ASSERT(none.run(zero).passed);
	}

	void testObjectProperties()
	{
		StageHarness h("validation");
		struct Case
		{
			const char* key;
			Value value;
			const char* kind;
		};
		Array list{1, 2};
		Case cases[] = {{"$set", "pro", "a string"},
		                {"$set_once", 3, "an int"},
		                {"$groups", list, "an array"},
		                {"$set", nullptr, "null"}};
		for (const auto& c : cases)
		{
			Properties props;
			props.set(c.key, c.value);
			Message m = StageHarness::message("signed up", "user-1", props);
			auto outcome = h.run(m);
			CPPUNIT_ASSERT(!outcome.passed);
			CPPUNIT_ASSERT_EQUAL("rule 'objectProperties': property '" + std::string(c.key) + "' is " +
			                         c.kind + ", not an object",
			                     outcome.reason);
		}
		Message ok = StageHarness::message("signed up", "user-1",
		                                   {{"$set", Properties{{"plan", "pro"}}},
		                                    {"$set_once", Properties()},
		                                    {"$groups", Properties{{"co", "x"}}},
		                                    {"set", "plain keys are not person properties"}});
		CPPUNIT_ASSERT(h.run(ok).passed);
	}

	void testPropertyNames()
	{
		StageHarness h("validation");
		Message empty = StageHarness::message("signed up", "user-1", {{"plan", "pro"}, {"", 1}});
		auto outcome = h.run(empty);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'propertyName': a property name is empty"), outcome.reason);

		Properties longKey;
		longKey.set(std::string(401, 'k'), 1);
		Message m = StageHarness::message("signed up", "user-1", longKey);
		outcome = h.run(m);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT(contains(outcome.reason, "rule 'maxPropertyNameLength': property name 'kkkk"));
		CPPUNIT_ASSERT(contains(outcome.reason, "is longer than 400 characters"));
		Properties atLimit;
		atLimit.set(std::string(400, 'k'), 1);
		Message ok = StageHarness::message("signed up", "user-1", atLimit);
		CPPUNIT_ASSERT(h.run(ok).passed);

		StageHarness shortNames("validation", {{"maxPropertyNameLength", "5"}});
		Message six = StageHarness::message("signed up", "user-1", {{"abcdef", 1}});
		outcome = shortNames.run(six);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'maxPropertyNameLength': property name 'abcdef' is longer than 5 characters"),
		    outcome.reason);
		Message five = StageHarness::message("signed up", "user-1", {{"abcde", 1}});
		CPPUNIT_ASSERT(shortNames.run(five).passed);
	}

	void testEventSize()
	{
		StageHarness h("validation");
		Message big = StageHarness::message("upload", "user-1", {{"blob", std::string(1000 * 1000, 'x')}});
		auto outcome = h.run(big);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'maxEventBytes': the event's JSON is over 1000000 bytes"),
		                     outcome.reason);
		Message fits = StageHarness::message("upload", "user-1", {{"blob", std::string(990 * 1000, 'x')}});
		CPPUNIT_ASSERT(h.run(fits).passed);
		CPPUNIT_ASSERT(fits.toJSON().size() < 1000 * 1000);
		// 170,000 control characters encode to 170 kB but escape to 1,020 kB of JSON (\u0001).
		Message escaped =
		    StageHarness::message("upload", "user-1", {{"blob", std::string(170 * 1000, '\x01')}});
		CPPUNIT_ASSERT(escaped.toJSON().size() > 1000 * 1000);
		CPPUNIT_ASSERT(!h.run(escaped).passed);

		StageHarness small("validation", {{"maxEventBytes", "2048"}});
		Message over = StageHarness::message("upload", "user-1", {{"blob", std::string(2100, 'x')}});
		outcome = small.run(over);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'maxEventBytes': the event's JSON is over 2048 bytes"),
		                     outcome.reason);
		Message under = StageHarness::message("upload", "user-1", {{"blob", std::string(1500, 'x')}});
		CPPUNIT_ASSERT(small.run(under).passed);
	}

	void testEventNamePattern()
	{
		StageHarness h("validation", {{"eventNamePattern", "^[a-z ]+$"}});
		Message ok = StageHarness::message("movie played", "user-1");
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message bad = StageHarness::message("MoviePlayed", "user-1");
		auto outcome = h.run(bad);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'eventNamePattern': event 'MoviePlayed' does not match ^[a-z ]+$"),
		    outcome.reason);
		// PostHog's own events are not held to the application's naming rule...
		Message pageview = StageHarness::message("$pageview", "user-1");
		CPPUNIT_ASSERT(h.run(pageview).passed);
		// ...unless configured.
		StageHarness all("validation", {{"eventNamePattern", "[a-z ]+"}, {"includePostHogEvents", "true"}});
		Message pv = StageHarness::message("$pageview", "user-1");
		CPPUNIT_ASSERT(!all.run(pv).passed);
		// A name that is not valid UTF-8 matches no pattern (and is no stage error).
		Message broken = StageHarness::message("movie \xff played", "user-1");
		outcome = h.run(broken);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'eventNamePattern': event 'movie \xff played' does not match ^[a-z ]+$"),
		    outcome.reason);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.pipeline().statistics()[0].errors);
		// The whole name must match, anchors or not.
		Message partial = StageHarness::message("movie played 2", "user-1");
		CPPUNIT_ASSERT(!all.run(partial).passed);
		Message whole = StageHarness::message("movie played", "user-1");
		CPPUNIT_ASSERT(all.run(whole).passed);
	}

	void testRequired()
	{
		StageHarness h(
		    "validation",
		    {{"required", "movie played:title, movie played:minutes, *:plan, $pageview:$current_url"}});
		Message ok = StageHarness::message("movie played", "user-1",
		                                   {{"title", "Heat"}, {"minutes", 170}, {"plan", "pro"}});
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message noTitle =
		    StageHarness::message("movie played", "user-1", {{"minutes", 170}, {"plan", "pro"}});
		auto outcome = h.run(noTitle);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'required': event 'movie played' lacks property 'title'"),
		                     outcome.reason);
		Message noPlan = StageHarness::message("signed up", "user-1");
		outcome = h.run(noPlan);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'required': event 'signed up' lacks property 'plan'"),
		                     outcome.reason);
		// '*' skips $-events; naming a $-event applies.
		Message pageview =
		    StageHarness::message("$pageview", "user-1", {{"$current_url", "https://example.com"}});
		CPPUNIT_ASSERT(h.run(pageview).passed);
		Message bare = StageHarness::message("$pageview", "user-1");
		outcome = h.run(bare);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'required': event '$pageview' lacks property '$current_url'"),
		                     outcome.reason);
		// Event names may hold colons: the entry splits at the last one.
		StageHarness colon("validation", {{"required", "checkout:step:done:order_id"}});
		Message c = StageHarness::message("checkout:step:done", "user-1");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("rule 'required': event 'checkout:step:done' lacks property 'order_id'"),
		    colon.run(c).reason);
	}

	void testTypes()
	{
		StageHarness h(
		    "validation",
		    {{"types", "plan:string, seats:int, price:number, trial:bool, device:object, tags:array"}});
		Message ok = StageHarness::message("signed up", "user-1",
		                                   {{"plan", "pro"},
		                                    {"seats", 3},
		                                    {"price", 9.5},
		                                    {"trial", false},
		                                    {"device", Properties{{"os", "linux"}}},
		                                    {"tags", Array{"a"}}});
		CPPUNIT_ASSERT(h.run(ok).passed);
		Message intPrice = StageHarness::message("signed up", "user-1", {{"price", 10}});
		CPPUNIT_ASSERT(h.run(intPrice).passed); // an int is a number
		Message absent = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(absent).passed); // types apply to present properties

		struct Case
		{
			const char* key;
			Value value;
			const char* reason;
		};
		Case cases[] = {{"plan", 1, "rule 'types': property 'plan' is an int, not string"},
		                {"seats", "3", "rule 'types': property 'seats' is a string, not int"},
		                {"seats", 3.5, "rule 'types': property 'seats' is a number, not int"},
		                {"price", "9.5", "rule 'types': property 'price' is a string, not number"},
		                {"trial", "no", "rule 'types': property 'trial' is a string, not bool"},
		                {"device", "linux", "rule 'types': property 'device' is a string, not object"},
		                {"tags", nullptr, "rule 'types': property 'tags' is null, not array"}};
		for (const auto& c : cases)
		{
			Properties props;
			props.set(c.key, c.value);
			Message m = StageHarness::message("signed up", "user-1", props);
			auto outcome = h.run(m);
			CPPUNIT_ASSERT(!outcome.passed);
			CPPUNIT_ASSERT_EQUAL(std::string(c.reason), outcome.reason);
		}
		// Not applied to $-events unless includePostHogEvents.
		Message identify = StageHarness::message("$identify", "user-1", {{"plan", 1}});
		CPPUNIT_ASSERT(h.run(identify).passed);
		StageHarness all("validation", {{"types", "plan:string"}, {"includePostHogEvents", "yes"}});
		Message identify2 = StageHarness::message("$identify", "user-1", {{"plan", 1}});
		CPPUNIT_ASSERT(!all.run(identify2).passed);
	}

	void testTagMode()
	{
		StageHarness h("validation",
		               {{"mode", "tag"}, {"types", "seats:int"}, {"eventNamePattern", "[a-z ]+"}});
		Message m = StageHarness::message("Signed Up", "anonymous", {{"seats", "3"}, {"plan", "pro"}});
		auto outcome = h.run(m);
		CPPUNIT_ASSERT(outcome.passed);
		Value errors = m.properties().get("$validation_errors");
		CPPUNIT_ASSERT(errors.isArray());
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), errors.size());
		std::vector<std::string> reasons;
		for (Value v : errors.elements())
			reasons.push_back(std::string(v.getString()));
		CPPUNIT_ASSERT(contains(reasons[0], "rule 'illegalDistinctId'"));
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'eventNamePattern': event 'Signed Up' does not match [a-z ]+"),
		                     reasons[1]);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'types': property 'seats' is a string, not int"), reasons[2]);
		CPPUNIT_ASSERT_EQUAL(std::string("pro"), std::string(m.properties().get("plan").getString()));

		StageHarness rules("validation", {{"mode", "tag"},
		                                  {"types", "seats:int, plan:string"},
		                                  {"required", "*:title, *:plan, *:minutes"}});
		Message several = StageHarness::message("movie played", "user-1",
		                                        {{"seats", 2.5}, {"plan", false}, {"title", "Heat"}});
		CPPUNIT_ASSERT(rules.run(several).passed);
		std::vector<std::string> found;
		for (Value v : several.properties().get("$validation_errors").elements())
			found.push_back(std::string(v.getString()));
		CPPUNIT_ASSERT_EQUAL(std::size_t(3), found.size());
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'types': property 'seats' is a number, not int"), found[0]);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'types': property 'plan' is a bool, not string"), found[1]);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'required': event 'movie played' lacks property 'minutes'"),
		                     found[2]);

		Message clean = StageHarness::message("signed up", "user-1");
		CPPUNIT_ASSERT(h.run(clean).passed);
		CPPUNIT_ASSERT(!clean.properties().has("$validation_errors"));

		// What PostHog refuses outright is dropped even in tag mode, with the fatal reason.
		Message noId = StageHarness::message("Signed Up", "");
		outcome = h.run(noId);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT_EQUAL(std::string("rule 'distinctId': the distinct id is missing"), outcome.reason);
		Message big = StageHarness::message("Big", "user-1", {{"blob", std::string(1000 * 1000, 'x')}});
		outcome = h.run(big);
		CPPUNIT_ASSERT(!outcome.passed);
		CPPUNIT_ASSERT(contains(outcome.reason, "rule 'maxEventBytes'"));
	}

	void testDropReasonsCounted()
	{
		StageHarness h("validation");
		for (int i = 0; i < 5; ++i)
		{
			Message m = StageHarness::message("signed up", "null");
			h.run(m);
			Message ok = StageHarness::message("signed up", "user-" + std::to_string(i));
			h.run(ok);
		}
		Message late = StageHarness::message("signed up", "user-1");
		late.setTimestamp(hoursFromNow(48));
		h.run(late);
		auto stats = h.pipeline().statistics();
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(11), stats[0].in);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), stats[0].passed);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(6), stats[0].dropped);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), stats[0].dropReasons.size());
		CPPUNIT_ASSERT_EQUAL(
		    std::uint64_t(5),
		    stats[0].dropReasons
		        ["rule 'illegalDistinctId': the distinct id is 'null', a placeholder PostHog refuses to "
		         "merge persons on"]);
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
		    {"mode", "maybe", "stage 'validation': option 'mode' = 'maybe' is not one of drop,tag"},
		    {"maxEventNameLength", "500",
		     "stage 'validation': option 'maxEventNameLength' = '500' is not an integer between 1 and 200"},
		    {"maxFutureHours", "soon",
		     "stage 'validation': option 'maxFutureHours' = 'soon' is not a number between 0 and 8760"},
		    {"maxEventBytes", "5000000",
		     "option 'maxEventBytes' = '5000000' is not an integer between 1024 and 1000000"},
		    {"includePostHogEvents", "perhaps",
		     "option 'includePostHogEvents' = 'perhaps' is not true or false"},
		    {"minTimestamp", "last tuesday", "option 'minTimestamp' = 'last tuesday': not a date (ISO 8601"},
		    {"eventNamePattern", "([a-z", "option 'eventNamePattern' = '([a-z': not a regular expression"},
		    {"required", "title", "option 'required' = 'title': entry 'title' is not <event>:<property>"},
		    {"types", "seats:integer32",
		     "option 'types' = 'seats:integer32': entry 'seats:integer32' has type 'integer32', "
		     "not one of string, int, number, bool, object, array"},
		    {"types", "plan:", "entry 'plan:' is not <property>:<type>"},
		    {"colour", "blue", "stage 'validation': unknown option 'colour' = 'blue'"},
		};
		std::string many;
		for (int i = 0; i < 65; ++i)
			many += "e:p" + std::to_string(i) + ",";
		std::string error = StageHarness::buildError("validation", {{"required", many}});
		CPPUNIT_ASSERT_MESSAGE(
		    error, contains(error, "stage 'validation': Invalid argument: option 'required' = 'e:p0,"));
		CPPUNIT_ASSERT_MESSAGE(error, contains(error, "more than 64 entries"));
		for (const auto& c : cases)
		{
			std::string error = StageHarness::buildError("validation", {{c.key, c.value}});
			CPPUNIT_ASSERT_MESSAGE(std::string(c.key) + " gave: " + error, contains(error, c.expected));
			CPPUNIT_ASSERT_MESSAGE(error, contains(error, "stage 'validation'"));
		}
	}

	void testOptionsDocumented()
	{
		// README.md lists every option exactly as the plugin's own table declares it.
		auto rows = StageHarness::optionRows("PostHogValidation", "ValidationMiddleware");
		CPPUNIT_ASSERT(rows.size() >= 4);
		std::string missing = PostHogTest::PluginDocs::missingRows("validation", rows);
		CPPUNIT_ASSERT_MESSAGE("README.md, section validation, lacks:\n" + missing, missing.empty());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(ValidationMiddlewareTest);
