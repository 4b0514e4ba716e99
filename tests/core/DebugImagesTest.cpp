//
// DebugImagesTest.cpp
//
// The debug id of an ELF build id, as symbol uploads compute it (posthog-cli, through the
// symbolic library): the first 16 bytes, zero-padded, as a UUID with its first three fields
// byte-swapped on a little-endian target.
//

#include "errors/DebugImages.h"
#include <cppunit/extensions/HelperMacros.h>

using PostHog::DebugImages;

class DebugImagesTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(DebugImagesTest);
	CPPUNIT_TEST(testDebugIdOfAnElfBuildId);
	CPPUNIT_TEST_SUITE_END();

public:
	void testDebugIdOfAnElfBuildId()
	{
		unsigned char sha1[20];
		for (unsigned char i = 0; i < 20; ++i)
			sha1[i] = i;
		CPPUNIT_ASSERT_EQUAL(std::string("03020100-0504-0706-0809-0a0b0c0d0e0f"),
		                     DebugImages::debugId(sha1, 20));
		const unsigned char shortId[] = {0xab, 0xcd, 0xef, 0x01, 0x23};
		CPPUNIT_ASSERT_EQUAL(std::string("01efcdab-0023-0000-0000-000000000000"),
		                     DebugImages::debugId(shortId, sizeof shortId));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(DebugImagesTest);
