//
// RetryPolicyTest.cpp
//
// Which statuses are retried, the backoff and its caps, Retry-After.
//

#include "delivery/RetryPolicy.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/Timestamp.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;

class RetryPolicyTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(RetryPolicyTest);
	CPPUNIT_TEST(testClassify);
	CPPUNIT_TEST(testBackoffDoublesWithJitterAndCap);
	CPPUNIT_TEST(testRetryAfterIsALowerBoundWithACap);
	CPPUNIT_TEST(testExhaustedUnlessPersistent);
	CPPUNIT_TEST(testParseRetryAfter);
	CPPUNIT_TEST_SUITE_END();

public:
	void testClassify()
	{
		using V = RetryPolicy::Verdict;
		for (int s : {200, 201, 204, 299})
			CPPUNIT_ASSERT(RetryPolicy::classify(s) == V::Delivered);
		CPPUNIT_ASSERT(RetryPolicy::classify(413) == V::Split);
		for (int s : {0, 408, 429, 500, 502, 503, 504, 599})
			CPPUNIT_ASSERT(RetryPolicy::classify(s) == V::Retry);
		for (int s : {100, 301, 302, 400, 401, 403, 404, 409, 422})
			CPPUNIT_ASSERT(RetryPolicy::classify(s) == V::Refused);
	}

	void testBackoffDoublesWithJitterAndCap()
	{
		RetryPolicy p(Poco::Timespan(100 * Poco::Timespan::MILLISECONDS), 10);
		// jitter 0 gives half the backoff, jitter 1 all of it.
		CPPUNIT_ASSERT_EQUAL(50L, p.delayMilliseconds(0, -1, 0.0));
		CPPUNIT_ASSERT_EQUAL(100L, p.delayMilliseconds(0, -1, 1.0));
		CPPUNIT_ASSERT_EQUAL(200L, p.delayMilliseconds(1, -1, 1.0));
		CPPUNIT_ASSERT_EQUAL(400L, p.delayMilliseconds(2, -1, 1.0));
		CPPUNIT_ASSERT_EQUAL(75L, p.delayMilliseconds(0, -1, 0.5));
		// Capped at kMaxBackoffMs, however many attempts.
		CPPUNIT_ASSERT_EQUAL(RetryPolicy::kMaxBackoffMs, p.delayMilliseconds(7, -1, 1.0));
		CPPUNIT_ASSERT_EQUAL(RetryPolicy::kMaxBackoffMs, p.delayMilliseconds(60, -1, 1.0));
		CPPUNIT_ASSERT_EQUAL(RetryPolicy::kMaxBackoffMs / 2, p.delayMilliseconds(60, -1, 0.0));
		// Out-of-range jitter is clamped.
		CPPUNIT_ASSERT_EQUAL(100L, p.delayMilliseconds(0, -1, 7.0));
		CPPUNIT_ASSERT_EQUAL(50L, p.delayMilliseconds(0, -1, -1.0));
	}

	void testRetryAfterIsALowerBoundWithACap()
	{
		RetryPolicy p(Poco::Timespan(100 * Poco::Timespan::MILLISECONDS), 10);
		CPPUNIT_ASSERT_EQUAL(3000L, p.delayMilliseconds(0, 3000, 0.0));
		CPPUNIT_ASSERT_EQUAL(400L, p.delayMilliseconds(2, 10, 1.0)); // shorter than the backoff
		CPPUNIT_ASSERT_EQUAL(RetryPolicy::kMaxRetryAfterMs, p.delayMilliseconds(0, 3600 * 1000, 0.0));
	}

	void testExhaustedUnlessPersistent()
	{
		RetryPolicy p(Poco::Timespan(0), 2);
		CPPUNIT_ASSERT(!p.exhausted(0, false));
		CPPUNIT_ASSERT(!p.exhausted(1, false));
		CPPUNIT_ASSERT(p.exhausted(2, false));
		CPPUNIT_ASSERT(!p.exhausted(1000, true));
		CPPUNIT_ASSERT(RetryPolicy(Poco::Timespan(0), 0).exhausted(0, false));
		CPPUNIT_ASSERT_EQUAL(2, p.maxRetries());
	}

	void testParseRetryAfter()
	{
		CPPUNIT_ASSERT_EQUAL(120000L, RetryPolicy::parseRetryAfter("120"));
		CPPUNIT_ASSERT_EQUAL(0L, RetryPolicy::parseRetryAfter(" 0 "));
		CPPUNIT_ASSERT_EQUAL(-1L, RetryPolicy::parseRetryAfter("-5"));
		CPPUNIT_ASSERT_EQUAL(-1L, RetryPolicy::parseRetryAfter("soon"));
		CPPUNIT_ASSERT_EQUAL(-1L, RetryPolicy::parseRetryAfter(""));
		CPPUNIT_ASSERT_EQUAL(24L * 3600 * 1000, RetryPolicy::parseRetryAfter("999999999"));
		CPPUNIT_ASSERT_EQUAL(0L, RetryPolicy::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
		Poco::Timestamp later;
		later += 30 * Poco::Timespan::SECONDS;
		long ms = RetryPolicy::parseRetryAfter(
		    Poco::DateTimeFormatter::format(later, Poco::DateTimeFormat::HTTP_FORMAT));
		CPPUNIT_ASSERT(ms > 25000 && ms <= 30000);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetryPolicyTest);
