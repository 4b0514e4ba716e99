//
// DecisionCacheTest.cpp
//
// The pii stage's decision memo on its own: a lookup finds exactly what was stored.
//

#include "DecisionCache.h"
#include <cppunit/extensions/HelperMacros.h>
#include <string>

using PostHog::DecisionCache;

class DecisionCacheTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(DecisionCacheTest);
	CPPUNIT_TEST(testFindsWhatWasStoredAtEveryLength);
	CPPUNIT_TEST(testOneDifferentByteIsAMiss);
	CPPUNIT_TEST(testSlotReplacedByALaterEntry);
	CPPUNIT_TEST(testTwoEntriesOfOnePairBothStay);
	CPPUNIT_TEST(testTooLongIsNotStored);
	CPPUNIT_TEST_SUITE_END();

	static std::string text(std::size_t length, char first)
	{
		std::string s;
		for (std::size_t i = 0; i < length; ++i)
			s.push_back(static_cast<char>(first + i % 23));
		return s;
	}

public:
	void testFindsWhatWasStoredAtEveryLength()
	{
		DecisionCache cache(4096, 80);
		for (std::size_t k = 0; k <= 40; ++k)
		{
			for (std::size_t t = 0; t <= 40; t += 3)
			{
				std::string key = text(k, 'a'), value = text(t, 'A');
				std::size_t h = DecisionCache::hash(value, DecisionCache::hash(key));
				cache.store(h, key, value, static_cast<unsigned char>(1 + (k + t) % 3));
				unsigned char decision = 0;
				CPPUNIT_ASSERT(cache.find(h, key, value, decision));
				CPPUNIT_ASSERT_EQUAL(static_cast<unsigned char>(1 + (k + t) % 3), decision);
			}
		}
	}

	void testOneDifferentByteIsAMiss()
	{
		// The same hash with other bytes (as a collision would give) is never taken for a hit,
		// whichever byte of the key or the text differs.
		DecisionCache cache(64, 80);
		for (std::size_t length = 1; length <= 33; ++length)
		{
			std::string key = text(length, 'a'), value = text(length, 'A');
			std::size_t h = DecisionCache::hash(value, DecisionCache::hash(key));
			cache.store(h, key, value, 1);
			unsigned char decision = 0;
			for (std::size_t at = 0; at < length; ++at)
			{
				std::string otherKey = key, otherValue = value;
				otherKey[at] = '#';
				otherValue[at] = '#';
				CPPUNIT_ASSERT(!cache.find(h, otherKey, value, decision));
				CPPUNIT_ASSERT(!cache.find(h, key, otherValue, decision));
			}
			CPPUNIT_ASSERT(!cache.find(h, key + "x", value, decision));
			CPPUNIT_ASSERT(!cache.find(h, key, value.substr(1), decision));
			// Key and text split elsewhere: the same bytes, another pair.
			CPPUNIT_ASSERT(!cache.find(h, key + value.substr(0, 1), value.substr(1), decision));
			CPPUNIT_ASSERT(cache.find(h, key, value, decision));
		}
	}

	void testSlotReplacedByALaterEntry()
	{
		DecisionCache cache(1, 80); // one slot: every entry replaces the last
		std::size_t h1 = DecisionCache::hash("first"), h2 = DecisionCache::hash("second");
		cache.store(h1, "first", "", 2);
		cache.store(h2, "second", "", 3);
		unsigned char decision = 0;
		CPPUNIT_ASSERT(!cache.find(h1, "first", "", decision));
		CPPUNIT_ASSERT(cache.find(h2, "second", "", decision));
		CPPUNIT_ASSERT_EQUAL(static_cast<unsigned char>(3), decision);
	}

	void testTwoEntriesOfOnePairBothStay()
	{
		// Hashes 4, 5 and 12 pick the same pair of slots in a cache of 8: the first two stay side by
		// side; the third takes the first slot, what that slot held moves to the second, and what the
		// second held goes.
		DecisionCache cache(8, 80);
		cache.store(4, "first", "", 1);
		cache.store(5, "second", "", 2);
		unsigned char decision = 0;
		CPPUNIT_ASSERT(cache.find(4, "first", "", decision));
		CPPUNIT_ASSERT_EQUAL(static_cast<unsigned char>(1), decision);
		CPPUNIT_ASSERT(cache.find(5, "second", "", decision));
		CPPUNIT_ASSERT_EQUAL(static_cast<unsigned char>(2), decision);
		cache.store(12, "third", "", 3);
		CPPUNIT_ASSERT(cache.find(12, "third", "", decision));
		CPPUNIT_ASSERT_EQUAL(static_cast<unsigned char>(3), decision);
		CPPUNIT_ASSERT(cache.find(4, "first", "", decision));
		CPPUNIT_ASSERT(!cache.find(5, "second", "", decision));
	}

	void testTooLongIsNotStored()
	{
		DecisionCache cache(16, 10);
		std::string key = "key", value = "12345678"; // 11 bytes together
		std::size_t h = DecisionCache::hash(value, DecisionCache::hash(key));
		CPPUNIT_ASSERT(!cache.cacheable(key, value));
		cache.store(h, key, value, 1);
		unsigned char decision = 0;
		CPPUNIT_ASSERT(!cache.find(h, key, value, decision));
		CPPUNIT_ASSERT(cache.cacheable(key, "1234567"));
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(DecisionCacheTest);
