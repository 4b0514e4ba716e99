//
// NdjsonReaderTest.cpp
//
// NdjsonReader: every field, every refusal, the bounds, line reading, and records sent through a
// real Client to the loopback capture endpoint.
//

#include "NdjsonReader.h"
#include "CaptureServer.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/JSON/Object.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "TestOptions.h"
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using namespace PostHog;
using PostHogTest::CaptureServer;
using PostHogTest::testOptions;

namespace
{

std::string iso(const Poco::Timestamp& t)
{
	return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%s%z");
}

} // namespace

class NdjsonReaderTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(NdjsonReaderTest);
	CPPUNIT_TEST(testCaptureFields);
	CPPUNIT_TEST(testTypeDefaultsToCapture);
	CPPUNIT_TEST(testOtherTypes);
	CPPUNIT_TEST(testNullOptionalFieldsAreAbsent);
	CPPUNIT_TEST(testTimestampsNormalisedToUtc);
	CPPUNIT_TEST(testBadTimestamps);
	CPPUNIT_TEST(testNotJson);
	CPPUNIT_TEST(testNotAnObject);
	CPPUNIT_TEST(testNotUtf8);
	CPPUNIT_TEST(testNanAndInfinity);
	CPPUNIT_TEST(testIntegerRange);
	CPPUNIT_TEST(testUnknownType);
	CPPUNIT_TEST(testUnknownAndMisplacedFields);
	CPPUNIT_TEST(testMissingFields);
	CPPUNIT_TEST(testWrongFieldTypes);
	CPPUNIT_TEST(testDepthBound);
	CPPUNIT_TEST(testEntriesBound);
	CPPUNIT_TEST(testStringBound);
	CPPUNIT_TEST(testLineBound);
	CPPUNIT_TEST(testDefaultLimits);
	CPPUNIT_TEST(testLimitsFromConfiguration);
	CPPUNIT_TEST(testReadLine);
	CPPUNIT_TEST(testSendEveryTypeThroughClient);
	CPPUNIT_TEST(testClientRejectionsReturnFalse);
	CPPUNIT_TEST_SUITE_END();

public:
	void testCaptureFields()
	{
		NdjsonReader reader;
		auto r = reader.parse(
		    R"({"type":"capture","distinct_id":"user-1","event":"movie played",)"
		    R"("properties":{"title":"Heat","minutes":170,"ratio":0.5,"tags":["a","b"],"meta":{"x":null}},)"
		    R"("groups":{"company":"acme","team":"core"},"set":{"plan":"pro"},"set_once":{"first":"2024"},)"
		    R"("timestamp":"2024-05-01T12:00:00.250Z","uuid":"0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a87"})",
		    7);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Capture, r.type);
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), r.line);
		CPPUNIT_ASSERT_EQUAL(std::string("user-1"), r.distinctId);
		CPPUNIT_ASSERT_EQUAL(std::string("movie played"), r.event);
		// Input order is kept.
		CPPUNIT_ASSERT_EQUAL(
		    std::string(R"({"title":"Heat","minutes":170,"ratio":0.5,"tags":["a","b"],"meta":{"x":null}})"),
		    r.properties.toJSON());
		CPPUNIT_ASSERT(r.properties.get("minutes").isInt());
		CPPUNIT_ASSERT(r.properties.get("ratio").isDouble());
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.options.groups.size());
		CPPUNIT_ASSERT_EQUAL(std::string("company"), r.options.groups[0].first);
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), r.options.groups[0].second);
		CPPUNIT_ASSERT_EQUAL(std::string("core"), r.options.groups[1].second);
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"plan":"pro"})"), r.options.set.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"first":"2024"})"), r.options.setOnce.toJSON());
		CPPUNIT_ASSERT(r.options.timestamp.has_value());
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:00.250000Z"), iso(*r.options.timestamp));
		CPPUNIT_ASSERT_EQUAL(std::string("0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a87"), r.options.uuid);
	}

	void testTypeDefaultsToCapture()
	{
		NdjsonReader reader;
		auto r = reader.parse(R"(  {"distinct_id":"u","event":"e"}  )", 1);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Capture, r.type);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Capture,
		                     reader.parse(R"({"type":null,"distinct_id":"u","event":"e"})", 1).type);
		CPPUNIT_ASSERT(r.properties.empty());
		CPPUNIT_ASSERT(!r.options.timestamp.has_value());
		CPPUNIT_ASSERT(r.options.uuid.empty());
	}

	void testOtherTypes()
	{
		NdjsonReader reader;
		auto identify = reader.parse(
		    R"({"type":"identify","distinct_id":"u1","properties":{"email":"a@b.c"},"set_once":{"x":1}})", 1);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Identify, identify.type);
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"email":"a@b.c"})"), identify.properties.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::string(R"({"x":1})"), identify.options.setOnce.toJSON());

		auto alias = reader.parse(R"({"type":"alias","distinct_id":"anon-1","alias":"u1"})", 2);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Alias, alias.type);
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"), alias.distinctId);
		CPPUNIT_ASSERT_EQUAL(std::string("u1"), alias.alias);

		auto group = reader.parse(
		    R"({"type":"groupidentify","group_type":"company","group_key":"acme","properties":{"seats":5}})",
		    3);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::GroupIdentify, group.type);
		CPPUNIT_ASSERT_EQUAL(std::string("company"), group.groupType);
		CPPUNIT_ASSERT_EQUAL(std::string("acme"), group.groupKey);
		CPPUNIT_ASSERT(group.distinctId.empty());
		auto group2 = reader.parse(
		    R"({"type":"groupidentify","group_type":"company","group_key":"acme","distinct_id":"u1"})", 4);
		CPPUNIT_ASSERT_EQUAL(std::string("u1"), group2.distinctId);

		auto page = reader.parse(
		    R"({"type":"pageview","distinct_id":"u1","url":"https://example.com/p","groups":{"company":"acme"}})",
		    5);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Record::Pageview, page.type);
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/p"), page.url);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), page.options.groups.size());
	}

	void testNullOptionalFieldsAreAbsent()
	{
		NdjsonReader reader;
		auto r = reader.parse(
		    R"({"distinct_id":"u","event":"e","properties":null,"timestamp":null,"uuid":null,"groups":null,"url":null})",
		    1);
		CPPUNIT_ASSERT(r.properties.empty());
		CPPUNIT_ASSERT(!r.options.timestamp.has_value());
		CPPUNIT_ASSERT(r.options.uuid.empty());
		CPPUNIT_ASSERT(r.options.groups.empty());
		// A required field cannot be null.
		assertRefused(reader, R"({"distinct_id":null,"event":"e"})",
		              "line 1: a capture needs \"distinct_id\" (it is null)");
	}

	void testTimestampsNormalisedToUtc()
	{
		NdjsonReader reader;
		auto at = [&](const std::string& ts)
		{
			auto r = reader.parse(R"({"distinct_id":"u","event":"e","timestamp":")" + ts + "\"}", 1);
			return iso(*r.options.timestamp);
		};
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:00.000000Z"), at("2024-05-01T12:00:00Z"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T10:00:00.250000Z"), at("2024-05-01T12:00:00.250+02:00"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T17:30:00.000000Z"), at("2024-05-01T12:00:00-0530"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024-04-30T23:30:00.123456Z"),
		                     at("2024-05-01T01:00:00.123456+01:30"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:00.000000Z"), at("2024-05-01 12:00:00z"));
		// Across a day, a month and a year boundary.
		CPPUNIT_ASSERT_EQUAL(std::string("2025-01-01T03:00:00.000000Z"), at("2024-12-31T22:00:00-05:00"));
	}

	void testBadTimestamps()
	{
		NdjsonReader reader;
		for (const char* ts : {"2024-05-01T12:00:00", "2024-05-01", "garbage", "2024-05-01T12:00:00Zjunk",
		                       "2024-05-01T12:00Z", "2024-05-01T12:00:00+25:00", "1714564800", ""})
		{
			assertRefused(reader, std::string(R"({"distinct_id":"u","event":"e","timestamp":")") + ts + "\"}",
			              "line 1: \"timestamp\" '" + std::string(ts) +
			                  "' is not an ISO 8601 date-time with seconds and a UTC offset");
		}
		assertRefused(reader, R"({"distinct_id":"u","event":"e","timestamp":"2024-13-01T12:00:00Z"})",
		              "line 1: \"timestamp\" '2024-13-01T12:00:00Z' is not a valid date and time");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","timestamp":"2024-02-30T12:00:00Z"})",
		              "is not a valid date and time");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","timestamp":1714564800})",
		              "line 1: \"timestamp\" must be a string, not a number");
	}

	void testNotJson()
	{
		NdjsonReader reader;
		assertRefused(reader, R"({"distinct_id":"u","event":"e")", "line 1: not valid JSON (");
		assertRefused(reader, R"({"distinct_id":"u","event":"e",})", "line 1: not valid JSON (");
		assertRefused(reader, R"({"distinct_id":"u","event":"e"} trailing)", "line 1: not valid JSON (");
		assertRefused(reader, R"({'distinct_id':'u'})", "line 1: not valid JSON (");
		assertRefused(reader, R"({"distinct_id":"\ud800","event":"e"})", "line 1: not valid JSON (");
		assertRefused(reader, "{\"distinct_id\":\"u\",\"event\":\"e\",\"n\":01}", "line 1: not valid JSON (");
		assertRefused(reader, "   ", "line 1: the line is empty");
	}

	void testNotAnObject()
	{
		NdjsonReader reader;
		assertRefused(reader, "[1,2]", "line 1: expected a JSON object, found an array");
		assertRefused(reader, "\"capture\"", "line 1: expected a JSON object, found a string");
		assertRefused(reader, "42", "line 1: expected a JSON object, found a number");
		assertRefused(reader, "true", "line 1: expected a JSON object, found a boolean");
		assertRefused(reader, "null", "line 1: expected a JSON object, found null");
		assertRefused(reader, "capture user-1 signed-up",
		              "line 1: expected a JSON object, found no JSON value");
	}

	void testNotUtf8()
	{
		NdjsonReader reader;
		// A lone continuation byte, an overlong '/', an encoded surrogate, past U+10FFFF, a cut sequence.
		for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
		{
			std::string line = std::string(R"({"distinct_id":"u","event":")") + bad + "\"}";
			assertRefused(reader, line, "line 1: not valid UTF-8 (byte 29)");
		}
		// Valid multi-byte text passes, and keeps its bytes.
		auto r = reader.parse("{\"distinct_id\":\"caf\xc3\xa9\",\"event\":\"\xf0\x9f\x98\x80\"}", 1);
		CPPUNIT_ASSERT_EQUAL(std::string("caf\xc3\xa9"), r.distinctId);
		CPPUNIT_ASSERT_EQUAL(std::string("\xf0\x9f\x98\x80"), r.event);
	}

	void testNanAndInfinity()
	{
		NdjsonReader reader;
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"x":NaN}})",
		              "line 1: NaN is not a JSON number (JSON has no NaN or Infinity)");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"x":Infinity}})",
		              "line 1: Infinity is not a JSON number");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"x":-Infinity}})",
		              "line 1: Infinity is not a JSON number");
		// The words inside strings are fine.
		auto r = reader.parse(R"({"distinct_id":"NaN","event":"Infinity","properties":{"x":"NaN"}})", 1);
		CPPUNIT_ASSERT_EQUAL(std::string("NaN"), r.distinctId);
	}

	void testIntegerRange()
	{
		NdjsonReader reader;
		auto value = [&](const std::string& number)
		{
			return reader.parse(R"({"distinct_id":"u","event":"e","properties":{"n":)" + number + "}}", 1)
			    .properties.get("n");
		};
		CPPUNIT_ASSERT(value("9223372036854775807").isInt());
		CPPUNIT_ASSERT_EQUAL(std::int64_t(9223372036854775807LL), value("9223372036854775807").getInt());
		CPPUNIT_ASSERT_EQUAL(std::int64_t(-9223372036854775807LL - 1),
		                     value("-9223372036854775808").getInt());
		// Poco alone would turn 2^64 into 0 and clamp -2^63-1: the reader refuses them.
		for (const char* big : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
		                        "-9223372036854775809", "123456789012345678901234567890"})
		{
			assertRefused(reader,
			              R"({"distinct_id":"u","event":"e","properties":{"n":)" + std::string(big) + "}}",
			              "line 1: the integer " + std::string(big).substr(0, 37));
			assertRefused(
			    reader, R"({"distinct_id":"u","event":"e","properties":{"n":)" + std::string(big) + "}}",
			    "does not fit in 64 bits (write it as a string to keep its digits, or with an exponent");
		}
		// The same magnitude as a double is a double.
		CPPUNIT_ASSERT(value("1.8446744073709552e19").isDouble());
		CPPUNIT_ASSERT_DOUBLES_EQUAL(1.8446744073709552e19, value("1.8446744073709552e19").getDouble(), 1e4);
		CPPUNIT_ASSERT(value("1e300").isDouble());
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"n":1e400}})",
		              "line 1: the number 1e400 is too large for a double");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"n":-2.5e999}})",
		              "line 1: the number -2.5e999 is too large for a double");
		// Digits inside strings are not numbers.
		auto r = reader.parse(R"({"distinct_id":"18446744073709551616","event":"e"})", 1);
		CPPUNIT_ASSERT_EQUAL(std::string("18446744073709551616"), r.distinctId);
	}

	void testUnknownType()
	{
		NdjsonReader reader;
		assertRefused(
		    reader, R"({"type":"track","distinct_id":"u","event":"e"})",
		    "line 1: unknown type 'track' (expected capture, identify, alias, groupidentify or pageview)");
		assertRefused(reader, R"({"type":"Capture","distinct_id":"u","event":"e"})",
		              "line 1: unknown type 'Capture'");
		assertRefused(reader, R"({"type":3,"distinct_id":"u","event":"e"})",
		              "line 1: \"type\" must be a string, not a number");
	}

	void testUnknownAndMisplacedFields()
	{
		NdjsonReader reader;
		assertRefused(reader, R"({"distinct_id":"u","event":"e","propertes":{}})",
		              "line 1: unknown field \"propertes\" (known: type,");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","url":"https://x"})",
		              "line 1: field \"url\" does not apply to a capture (only to pageview)");
		assertRefused(reader, R"({"type":"identify","distinct_id":"u","event":"e"})",
		              "line 1: field \"event\" does not apply to an identify (only to capture)");
		assertRefused(reader, R"({"type":"alias","distinct_id":"u","alias":"v","properties":{}})",
		              "line 1: field \"properties\" does not apply to an alias (only to capture, identify, "
		              "groupidentify, pageview)");
		assertRefused(reader,
		              R"({"type":"groupidentify","group_type":"c","group_key":"k","groups":{"a":"b"}})",
		              "line 1: field \"groups\" does not apply to a groupidentify");
	}

	void testMissingFields()
	{
		NdjsonReader reader;
		assertRefused(reader, R"({"event":"e"})", "line 1: a capture needs \"distinct_id\"");
		assertRefused(reader, R"({"distinct_id":"u"})", "line 1: a capture needs \"event\"");
		assertRefused(reader, R"({"type":"identify"})", "line 1: an identify needs \"distinct_id\"");
		assertRefused(reader, R"({"type":"alias","distinct_id":"u"})", "line 1: an alias needs \"alias\"");
		assertRefused(reader, R"({"type":"alias","alias":"u"})", "line 1: an alias needs \"distinct_id\"");
		assertRefused(reader, R"({"type":"groupidentify","group_key":"k"})",
		              "line 1: a groupidentify needs \"group_type\"");
		assertRefused(reader, R"({"type":"groupidentify","group_type":"t"})",
		              "line 1: a groupidentify needs \"group_key\"");
		assertRefused(reader, R"({"type":"pageview","distinct_id":"u"})", "line 1: a pageview needs \"url\"");
		assertRefused(reader, R"({})", "line 1: a capture needs \"distinct_id\"");
	}

	void testWrongFieldTypes()
	{
		NdjsonReader reader;
		assertRefused(reader, R"({"distinct_id":42,"event":"e"})",
		              "line 1: \"distinct_id\" must be a string, not a number");
		assertRefused(reader, R"({"distinct_id":"u","event":["e"]})",
		              "line 1: \"event\" must be a string, not an array");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":[1]})",
		              "line 1: \"properties\" must be an object, not an array");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":"x"})",
		              "line 1: \"properties\" must be an object, not a string");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","set":true})",
		              "line 1: \"set\" must be an object, not a boolean");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","groups":{"company":7}})",
		              "line 1: \"groups\".\"company\" must be a string (the group key), not a number");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","uuid":{}})",
		              "line 1: \"uuid\" must be a string, not an object");
		assertRefused(reader, R"({"type":"pageview","distinct_id":"u","url":false})",
		              "line 1: \"url\" must be a string, not a boolean");
	}

	void testDepthBound()
	{
		NdjsonReader::Limits limits;
		limits.maxDepth = 5;
		NdjsonReader reader(limits);
		// The line is level 1, properties 2, then three more.
		reader.parse(R"({"distinct_id":"u","event":"e","properties":{"a":{"b":{"c":[1]}}}})", 1);
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"a":{"b":{"c":[[1]]}}}})",
		              "line 1: the JSON nests deeper than 5 levels (posthog.ndjson.maxDepth)");
		// A hostile depth costs nothing: refused by the parser's own bound, not by recursion.
		std::string deep =
		    R"({"distinct_id":"u","event":"e","properties":{"a":)" + std::string(100000, '[') + "]}}";
		assertRefused(reader, deep, "nests deeper than 5 levels");
	}

	void testEntriesBound()
	{
		NdjsonReader::Limits limits;
		limits.maxEntries = 4;
		NdjsonReader reader(limits);
		reader.parse(R"({"distinct_id":"u","event":"e","properties":{"a":1,"b":2,"c":3,"d":[1,2,3,4]}})", 1);
		assertRefused(
		    reader, R"({"distinct_id":"u","event":"e","properties":{"a":1,"b":2,"c":3,"d":4,"e":5}})",
		    "line 1: properties has 5 entries, more than the limit of 4 (posthog.ndjson.maxEntries)");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"a":{"b":[1,2,3,4,5]}}})",
		              "line 1: properties.a.b has 5 entries");
		assertRefused(reader,
		              R"({"distinct_id":"u","event":"e","type":"capture","uuid":null,"timestamp":null})",
		              "line 1: the line has 5 entries");
	}

	void testStringBound()
	{
		NdjsonReader::Limits limits;
		limits.maxStringBytes = 12;
		NdjsonReader reader(limits);
		reader.parse(R"({"distinct_id":"123456789012","event":"e"})", 1);
		assertRefused(reader, R"({"distinct_id":"1234567890123","event":"e"})",
		              "line 1: distinct_id is a string of 13 bytes, more than the limit of 12 "
		              "(posthog.ndjson.maxStringBytes)");
		assertRefused(reader,
		              R"({"distinct_id":"u","event":"e","properties":{"list":["ok","far too long!"]}})",
		              "line 1: properties.list[1] is a string of 13 bytes");
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"longer_key_x1":1}})",
		              "line 1: the key of properties.longer_key_x1 is a string of 13 bytes");
	}

	void testLineBound()
	{
		NdjsonReader::Limits limits;
		limits.maxLineBytes = 40;
		NdjsonReader reader(limits);
		std::string ok = R"({"distinct_id":"u","event":"e"})";
		reader.parse(ok, 1);
		std::string longLine = R"({"distinct_id":"u","event":"an event with a long name"})";
		assertRefused(reader, longLine,
		              "line 1: the line is longer than 40 bytes (posthog.ndjson.maxLineBytes)");
		CPPUNIT_ASSERT_EQUAL(
		    std::string("line 9: the line is longer than 40 bytes (posthog.ndjson.maxLineBytes)"),
		    reader.tooLongMessage(9));
	}

	void testDefaultLimits()
	{
		NdjsonReader reader;
		CPPUNIT_ASSERT_EQUAL(std::size_t(1024 * 1024), reader.limits().maxLineBytes);
		CPPUNIT_ASSERT_EQUAL(64u, reader.limits().maxDepth);
		CPPUNIT_ASSERT_EQUAL(std::size_t(10000), reader.limits().maxEntries);
		CPPUNIT_ASSERT_EQUAL(std::size_t(256 * 1024), reader.limits().maxStringBytes);
		// At the default bounds exactly: 64 levels and 10,000 entries pass, one more does not.
		auto nested = [](int levels)
		{
			std::string s = R"({"distinct_id":"u","event":"e","properties":)";
			for (int i = 0; i < levels - 2; ++i)
				s += R"({"a":)";
			s += "{}";
			for (int i = 0; i < levels - 2; ++i)
				s += "}";
			return s + "}";
		};
		reader.parse(nested(64), 1);
		assertRefused(reader, nested(65), "nests deeper than 64 levels");
		auto wide = [](int entries)
		{
			std::string s = R"({"distinct_id":"u","event":"e","properties":{)";
			for (int i = 0; i < entries; ++i)
				s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
			return s + "}}";
		};
		auto r = reader.parse(wide(10000), 1);
		CPPUNIT_ASSERT_EQUAL(std::size_t(10000), r.properties.size());
		assertRefused(reader, wide(10001), "properties has 10001 entries, more than the limit of 10000");
		std::string big(256 * 1024, 'x');
		reader.parse(R"({"distinct_id":"u","event":"e","properties":{"s":")" + big + "\"}}", 1);
		assertRefused(reader, R"({"distinct_id":"u","event":"e","properties":{"s":")" + big + "x\"}}",
		              "properties.s is a string of 262145 bytes");
	}

	void testLimitsFromConfiguration()
	{
		Poco::AutoPtr<Poco::Util::MapConfiguration> config = new Poco::Util::MapConfiguration;
		config->setString("posthog.ndjson.maxLineBytes", "2048");
		config->setString("posthog.ndjson.maxDepth", "8");
		config->setString("posthog.ndjson.maxEntries", "50");
		config->setString("posthog.ndjson.maxStringBytes", "100");
		auto limits = NdjsonReader::Limits::fromConfiguration(*config);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2048), limits.maxLineBytes);
		CPPUNIT_ASSERT_EQUAL(8u, limits.maxDepth);
		CPPUNIT_ASSERT_EQUAL(std::size_t(50), limits.maxEntries);
		CPPUNIT_ASSERT_EQUAL(std::size_t(100), limits.maxStringBytes);
		config->setString("posthog.ndjson.maxDepth", "deep");
		try
		{
			NdjsonReader::Limits::fromConfiguration(*config);
			CPPUNIT_FAIL("a bad limit was accepted");
		}
		catch (ConfigurationException& e)
		{
			CPPUNIT_ASSERT_EQUAL(
			    std::string("posthog.ndjson.maxDepth = 'deep' is not an integer between 2 and 1000"),
			    e.message());
		}
	}

	void testReadLine()
	{
		NdjsonReader::Limits limits;
		limits.maxLineBytes = 10;
		NdjsonReader reader(limits);
		std::istringstream in("first\r\n" + std::string(50, 'x') + "\n0123456789\n\n01234567890\nlast");
		std::string line;
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Line, reader.readLine(in, line));
		CPPUNIT_ASSERT_EQUAL(std::string("first"), line);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::TooLong, reader.readLine(in, line));
		CPPUNIT_ASSERT(line.empty());
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Line, reader.readLine(in, line)); // exactly the limit
		CPPUNIT_ASSERT_EQUAL(std::string("0123456789"), line);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Line, reader.readLine(in, line));
		CPPUNIT_ASSERT(line.empty());
		CPPUNIT_ASSERT(NdjsonReader::isBlank(line));
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::TooLong, reader.readLine(in, line)); // one over
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::Line, reader.readLine(in, line));
		CPPUNIT_ASSERT_EQUAL(std::string("last"), line);
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::End, reader.readLine(in, line));
		CPPUNIT_ASSERT_EQUAL(NdjsonReader::End, reader.readLine(in, line));
		CPPUNIT_ASSERT(NdjsonReader::isBlank(" \t "));
		CPPUNIT_ASSERT(!NdjsonReader::isBlank(" {} "));
	}

	void testSendEveryTypeThroughClient()
	{
		CaptureServer server;
		Client client(testOptions(server.url()));
		NdjsonReader reader;
		const char* lines[] = {
		    R"({"distinct_id":"u1","event":"signed up","properties":{"plan":"pro"},"groups":{"company":"acme"},)"
		    R"("timestamp":"2024-05-01T14:00:00.250+02:00","uuid":"0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a87"})",
		    R"({"type":"identify","distinct_id":"u1","properties":{"email":"a@b.c"},"set_once":{"first_seen":"2024"}})",
		    R"({"type":"alias","distinct_id":"anon-1","alias":"u1"})",
		    R"({"type":"groupidentify","group_type":"company","group_key":"acme","properties":{"seats":5}})",
		    R"({"type":"pageview","distinct_id":"u1","url":"https://example.com/pricing"})",
		};
		std::size_t n = 0;
		for (const char* line : lines)
			CPPUNIT_ASSERT(NdjsonReader::send(client, reader.parse(line, ++n)));
		CPPUNIT_ASSERT(client.flush(Poco::Timespan(10, 0)) == Client::FlushResult::Delivered);
		auto events = server.events();
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), events.size());
		CPPUNIT_ASSERT(server.errors().empty());
		auto e0 = events[0];
		CPPUNIT_ASSERT_EQUAL(std::string("signed up"), e0->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:00.250Z"), e0->getValue<std::string>("timestamp"));
		CPPUNIT_ASSERT_EQUAL(std::string("0190b8c2-6f1a-7cc0-8a4e-3f2d1c0b9a87"),
		                     e0->getValue<std::string>("uuid"));
		CPPUNIT_ASSERT_EQUAL(
		    std::string("acme"),
		    e0->getObject("properties")->getObject("$groups")->getValue<std::string>("company"));
		auto p1 = events[1]->getObject("properties");
		CPPUNIT_ASSERT_EQUAL(std::string("$identify"), events[1]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("a@b.c"), p1->getObject("$set")->getValue<std::string>("email"));
		CPPUNIT_ASSERT_EQUAL(std::string("2024"),
		                     p1->getObject("$set_once")->getValue<std::string>("first_seen"));
		CPPUNIT_ASSERT_EQUAL(std::string("$create_alias"), events[2]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("anon-1"), events[2]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(std::string("u1"),
		                     events[2]->getObject("properties")->getValue<std::string>("alias"));
		CPPUNIT_ASSERT_EQUAL(std::string("$groupidentify"), events[3]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("$company_acme"), events[3]->getValue<std::string>("distinct_id"));
		CPPUNIT_ASSERT_EQUAL(
		    5, events[3]->getObject("properties")->getObject("$group_set")->getValue<int>("seats"));
		CPPUNIT_ASSERT_EQUAL(std::string("$pageview"), events[4]->getValue<std::string>("event"));
		CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/pricing"),
		                     events[4]->getObject("properties")->getValue<std::string>("$current_url"));
	}

	void testClientRejectionsReturnFalse()
	{
		CaptureServer server;
		std::vector<std::string> reasons;
		ClientOptions o = testOptions(server.url());
		o.onError = [&](const ClientError& e) { reasons.push_back(e.message); };
		Client client(o);
		NdjsonReader reader;
		CPPUNIT_ASSERT(!NdjsonReader::send(client, reader.parse(R"({"distinct_id":"","event":"e"})", 1)));
		CPPUNIT_ASSERT(!NdjsonReader::send(client, reader.parse(R"({"distinct_id":"u","event":""})", 2)));
		CPPUNIT_ASSERT(
		    !NdjsonReader::send(client, reader.parse(R"({"type":"alias","distinct_id":"u","alias":""})", 3)));
		CPPUNIT_ASSERT(
		    !NdjsonReader::send(client, reader.parse(R"({"distinct_id":"u","event":"e","uuid":"nope"})", 4)));
		CPPUNIT_ASSERT(!NdjsonReader::send(
		    client, reader.parse(R"({"type":"pageview","distinct_id":"u","url":""})", 5)));
		CPPUNIT_ASSERT(!NdjsonReader::send(
		    client, reader.parse(R"({"type":"groupidentify","group_type":"","group_key":"k"})", 6)));
		CPPUNIT_ASSERT_EQUAL(std::size_t(6), reasons.size());
		CPPUNIT_ASSERT(reasons[3].find("uuid 'nope' is not a UUID") != std::string::npos);
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(6), client.statistics().rejected);
		client.shutdown();
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), server.eventCount());
	}

private:
	static void assertRefused(const NdjsonReader& reader, const std::string& line,
	                          const std::string& expected)
	{
		try
		{
			reader.parse(line, 1);
		}
		catch (InvalidMessageException& e)
		{
			if (e.message().find(expected) == std::string::npos)
				CPPUNIT_FAIL("for " + line.substr(0, 120) + "\n expected a message containing: " + expected +
				             "\n got: " + e.message());
			CPPUNIT_ASSERT(e.message().compare(0, 8, "line 1: ") == 0);
			return;
		}
		CPPUNIT_FAIL("accepted: " + line.substr(0, 200) + " (expected: " + expected + ")");
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(NdjsonReaderTest);
