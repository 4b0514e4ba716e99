//
// MessageQueueTest.cpp
//
// A blocked push gives up when the worker takes nothing for the block limit.
//

#include "delivery/MessageQueue.h"
#include <cppunit/extensions/HelperMacros.h>

using namespace PostHog;

class MessageQueueTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(MessageQueueTest);
	CPPUNIT_TEST(testBlockedPushGivesUpThenWaitsAgainAfterATake);
	CPPUNIT_TEST_SUITE_END();

public:
	void testBlockedPushGivesUpThenWaitsAgainAfterATake()
	{
		MessageQueue queue(2, true, 1);
		queue.setBlockLimit(Poco::Timespan(50 * 1000));
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(Message()));
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(Message()));
		// Full and nobody takes: the push waits for the limit, then gives up.
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Full, queue.push(Message()));
		// Stalled: later pushes do not wait again until the worker takes something.
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Full, queue.push(Message()));
		std::deque<Message> taken;
		queue.take(taken, 0);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), taken.size());
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(Message()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), queue.lastSequence());
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageQueueTest);
