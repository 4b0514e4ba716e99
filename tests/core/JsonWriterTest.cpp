//
// JsonWriterTest.cpp
//
// Timestamps, uuids and UTF-8 handling of the hand-written JSON writer.
//

#include "encoding/JsonWriter.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "PostHog/Message.h"
#include "encoding/UuidGenerator.h"
#include <cppunit/extensions/HelperMacros.h>
#include <set>

using namespace PostHog;

class JsonWriterTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(JsonWriterTest);
	CPPUNIT_TEST(testTimestampMatchesPoco);
	CPPUNIT_TEST(testTimestampKeepsMicroseconds);
	CPPUNIT_TEST(testUuidV7Shape);
	CPPUNIT_TEST(testUuidParse);
	CPPUNIT_TEST(testUuidTextMatchesPocoAndCarriesTheTime);
	CPPUNIT_TEST(testUtf8Validation);
	CPPUNIT_TEST_SUITE_END();

public:
	void testTimestampMatchesPoco()
	{
		// Compare with Poco's formatter over a spread of instants, leap days included.
		for (Poco::Int64 s : {0LL, 951782400LL, 1735689600LL, 1709164799LL, 4102444799LL, 1234567890LL})
		{
			for (int ms : {0, 7, 999})
			{
				Poco::Timestamp ts = Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(s)) + ms * 1000;
				std::string mine;
				JsonWriter::appendTimestamp(mine, ts);
				std::string poco = "\"" + Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ") + "\"";
				CPPUNIT_ASSERT_EQUAL(poco, mine);
			}
		}
	}

	void testTimestampKeepsMicroseconds()
	{
		// capture/spec.md: sub-second precision the caller gave is kept.
		Poco::Timestamp ts = Poco::Timestamp::fromEpochTime(1735689600) + 123456;
		std::string out;
		JsonWriter::appendTimestamp(out, ts);
		CPPUNIT_ASSERT_EQUAL(std::string("\"2025-01-01T00:00:00.123456Z\""), out);
		out.clear();
		JsonWriter::appendTimestamp(out, Poco::Timestamp::fromEpochTime(1735689600) + 7);
		CPPUNIT_ASSERT_EQUAL(std::string("\"2025-01-01T00:00:00.000007Z\""), out);
		Message message(Message::Type::Capture, "e", "d");
		CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), message.timestamp().epochMicroseconds() % 1000);
	}

	void testUuidV7Shape()
	{
		std::set<std::string> seen;
		std::string previous;
		for (int i = 0; i < 1000; ++i)
		{
			std::string s = UuidGenerator::toString(UuidGenerator::next());
			CPPUNIT_ASSERT_EQUAL(std::size_t(36), s.size());
			CPPUNIT_ASSERT_EQUAL('7', s[14]);
			CPPUNIT_ASSERT(std::string("89ab").find(s[19]) != std::string::npos);
			CPPUNIT_ASSERT(seen.insert(s).second);
			// Time-ordered: the 48-bit millisecond prefix never goes backwards.
			if (!previous.empty())
				CPPUNIT_ASSERT(s.substr(0, 13) >= previous.substr(0, 13));
			previous = s;
		}
	}

	void testUuidParse()
	{
		Poco::UUID u;
		CPPUNIT_ASSERT(UuidGenerator::parse("0190A3B2-1C4D-7E5F-8A6B-7C8D9E0F1A2B", u));
		CPPUNIT_ASSERT_EQUAL(std::string("0190a3b2-1c4d-7e5f-8a6b-7c8d9e0f1a2b"), UuidGenerator::toString(u));
		CPPUNIT_ASSERT(!UuidGenerator::parse("not-a-uuid", u));
		CPPUNIT_ASSERT(!UuidGenerator::parse("0190a3b2-1c4d-7e5f-8a6b-7c8d9e0f1a2", u));
		CPPUNIT_ASSERT(!UuidGenerator::parse("0190a3b2x1c4d-7e5f-8a6b-7c8d9e0f1a2b", u));
	}

	void testUuidTextMatchesPocoAndCarriesTheTime()
	{
		// Every byte value in every position: the text is Poco's, the first 48 bits the time.
		Poco::Timestamp now(Poco::Timestamp::TimeVal(1733616000123456));
		for (int i = 0; i < 4096; ++i)
		{
			Poco::UUID u = UuidGenerator::next(now);
			CPPUNIT_ASSERT_EQUAL(u.toString(), UuidGenerator::toString(u));
			CPPUNIT_ASSERT_EQUAL(std::string("0193a390-dc7b-7"), u.toString().substr(0, 15));
			char raw[16];
			for (int b = 0; b < 16; ++b)
				raw[b] = static_cast<char>((i + 17 * b) & 0xFF);
			Poco::UUID any;
			any.copyFrom(raw);
			CPPUNIT_ASSERT_EQUAL(any.toString(), UuidGenerator::toString(any));
		}
	}

	void testUtf8Validation()
	{
		CPPUNIT_ASSERT(JsonWriter::isValidUtf8("plain"));
		CPPUNIT_ASSERT(JsonWriter::isValidUtf8("Am\xC3\xA9lie \xF0\x9F\x8E\xAC"));
		CPPUNIT_ASSERT(!JsonWriter::isValidUtf8("\xC0\xAF"));         // overlong
		CPPUNIT_ASSERT(!JsonWriter::isValidUtf8("\xED\xA0\x80"));     // surrogate
		CPPUNIT_ASSERT(!JsonWriter::isValidUtf8("\xF4\x90\x80\x80")); // > U+10FFFF
		CPPUNIT_ASSERT(!JsonWriter::isValidUtf8("abc\xE2\x82"));      // truncated
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonWriterTest);
