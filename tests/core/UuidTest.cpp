//
// UuidTest.cpp
//
// PostHog::Uuid, what capture() and pageview() return: empty or 16 bytes, text on demand.
//

#include "PostHog/Uuid.h"
#include <cppunit/extensions/HelperMacros.h>
#include <sstream>

using PostHog::Uuid;

class UuidTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(UuidTest);
	CPPUNIT_TEST(testEmptyUuidReadsAsEmptyText);
	CPPUNIT_TEST(testUuidReadsAsLowerCaseText);
	CPPUNIT_TEST(testComparisons);
	CPPUNIT_TEST_SUITE_END();

public:
	void testEmptyUuidReadsAsEmptyText()
	{
		Uuid none;
		CPPUNIT_ASSERT(none.empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(0), none.size());
		std::string text = none;
		CPPUNIT_ASSERT_EQUAL(std::string(), text);
		CPPUNIT_ASSERT(none.toPoco() == Poco::UUID::null());
	}

	void testUuidReadsAsLowerCaseText()
	{
		Poco::UUID poco("0190F0C4-8A3B-7C2D-9E1F-0123456789AB");
		Uuid uuid(poco);
		CPPUNIT_ASSERT(!uuid.empty());
		CPPUNIT_ASSERT_EQUAL(std::size_t(36), uuid.size());
		CPPUNIT_ASSERT_EQUAL(std::string("0190f0c4-8a3b-7c2d-9e1f-0123456789ab"), uuid.str());
		std::string text = uuid;
		CPPUNIT_ASSERT_EQUAL(uuid.str(), text);
		std::ostringstream out;
		out << uuid;
		CPPUNIT_ASSERT_EQUAL(uuid.str(), out.str());
		CPPUNIT_ASSERT(uuid.toPoco() == poco);
	}

	void testComparisons()
	{
		Uuid a(Poco::UUID("0190f0c4-8a3b-7c2d-9e1f-0123456789ab"));
		Uuid b(Poco::UUID("0190f0c4-8a3b-7c2d-9e1f-0123456789ac"));
		CPPUNIT_ASSERT(a == Uuid(Poco::UUID("0190f0c4-8a3b-7c2d-9e1f-0123456789ab")));
		CPPUNIT_ASSERT(a != b);
		CPPUNIT_ASSERT(a != Uuid());
		CPPUNIT_ASSERT(Uuid() == Uuid());
		CPPUNIT_ASSERT(a == std::string("0190f0c4-8a3b-7c2d-9e1f-0123456789ab"));
		CPPUNIT_ASSERT(std::string("0190f0c4-8a3b-7c2d-9e1f-0123456789ab") == a);
		CPPUNIT_ASSERT(b != std::string("0190f0c4-8a3b-7c2d-9e1f-0123456789ab"));
		CPPUNIT_ASSERT(Uuid() == std::string());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(UuidTest);
