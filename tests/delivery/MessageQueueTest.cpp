//
// MessageQueueTest.cpp
//
// The queue's records give back every field of every message, in order, across blocks; a
// blocked push gives up when the worker takes nothing for the block limit; the worker is woken
// when what its open batch lacks has been queued.
//

#include "delivery/MessageQueue.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/UuidGenerator.h"
#include <cppunit/extensions/HelperMacros.h>
#include <vector>

using namespace PostHog;

namespace
{

Message numbered(int i)
{
	Properties props{{"i", i}, {"name", std::string(static_cast<std::size_t>(i % 50), 'x')}};
	if (i % 7 == 0)
		props.set("nested", Properties{{"deep", true}, {"pi", 3.25}});
	Message m(i % 3 ? Message::Type::Capture : Message::Type::Identify, "event " + std::to_string(i),
	          "user-" + std::to_string(i % 10), std::move(props));
	m.setUuid(UuidGenerator::next());
	m.setTimestamp(Poco::Timestamp(1700000000000000 + i));
	return m;
}

} // namespace

class MessageQueueTest : public CppUnit::TestFixture
{
	CPPUNIT_TEST_SUITE(MessageQueueTest);
	CPPUNIT_TEST(testRecordsKeepEveryFieldInOrder);
	CPPUNIT_TEST(testRecordLargerThanABlock);
	CPPUNIT_TEST(testBlockedPushGivesUpThenWaitsAgainAfterATake);
	CPPUNIT_TEST(testWakeAfterCountsWhatTheOpenBatchLacks);
	CPPUNIT_TEST_SUITE_END();

public:
	void testRecordsKeepEveryFieldInOrder()
	{
		// Enough messages for several blocks, taken in two rounds so blocks are recycled.
		MessageQueue queue(100000, false, 100);
		std::vector<Message> sent;
		for (int round = 0; round < 2; ++round)
		{
			std::size_t first = sent.size();
			for (int i = 0; i < 3000; ++i)
			{
				sent.push_back(numbered(static_cast<int>(sent.size())));
				CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(sent.back()));
			}
			CPPUNIT_ASSERT_EQUAL(std::size_t(3000), queue.size());
			QueuedMessages taken;
			queue.take(taken, 0);
			CPPUNIT_ASSERT_EQUAL(std::size_t(3000), taken.size());
			CPPUNIT_ASSERT_EQUAL(std::size_t(0), queue.size());
			Message m;
			for (std::size_t i = first; i < sent.size(); ++i)
			{
				CPPUNIT_ASSERT(taken.next(m));
				const Message& s = sent[i];
				CPPUNIT_ASSERT(m.type() == s.type());
				CPPUNIT_ASSERT_EQUAL(s.event(), m.event());
				CPPUNIT_ASSERT_EQUAL(s.distinctId(), m.distinctId());
				CPPUNIT_ASSERT(s.properties() == m.properties());
				CPPUNIT_ASSERT_EQUAL(s.properties().size(), m.properties().size());
				CPPUNIT_ASSERT(s.timestamp() == m.timestamp());
				CPPUNIT_ASSERT(s.uuid() == m.uuid());
				CPPUNIT_ASSERT_EQUAL(std::uint64_t(i + 1), PropertiesAccess::sequence(m));
				CPPUNIT_ASSERT_EQUAL(s.toJSON(), m.toJSON());
			}
			CPPUNIT_ASSERT(!taken.next(m));
		}
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(6000), queue.lastSequence());
	}

	void testRecordLargerThanABlock()
	{
		MessageQueue queue(10, false, 1);
		Message small = numbered(1);
		Message big(Message::Type::Capture, "big", "user",
		            Properties{{"blob", std::string(QueuedMessages::kBlockBytes * 2, 'b')}});
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(small));
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(big));
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(small));
		QueuedMessages taken;
		queue.take(taken, 0);
		Message m;
		CPPUNIT_ASSERT(taken.next(m));
		CPPUNIT_ASSERT_EQUAL(small.toJSON(), m.toJSON());
		CPPUNIT_ASSERT(taken.next(m));
		CPPUNIT_ASSERT_EQUAL(big.toJSON(), m.toJSON());
		CPPUNIT_ASSERT(taken.next(m));
		CPPUNIT_ASSERT_EQUAL(small.toJSON(), m.toJSON());
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), PropertiesAccess::sequence(m));
		CPPUNIT_ASSERT(!taken.next(m));
	}

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
		QueuedMessages taken;
		queue.take(taken, 0);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), taken.size());
		CPPUNIT_ASSERT_EQUAL(MessageQueue::Pushed, queue.push(Message()));
		CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), queue.lastSequence());
	}

	void testWakeAfterCountsWhatTheOpenBatchLacks()
	{
		// The worker took 7 of a batch of 10 (its countdown restarted at 10): the 3 that fill
		// the batch must wake it, not wait for 10 more pushes or batch.interval.
		MessageQueue queue(1000, false, 10);
		for (int i = 0; i < 7; ++i)
			queue.push(numbered(i));
		QueuedMessages taken;
		queue.take(taken, 0);
		CPPUNIT_ASSERT_EQUAL(std::size_t(7), taken.size());
		queue.wakeAfter(3);
		queue.push(numbered(7));
		queue.push(numbered(8));
		Poco::Timestamp started;
		queue.take(taken, 300); // two are not enough: waits for the timeout
		CPPUNIT_ASSERT(started.elapsed() >= 250 * 1000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(2), taken.size());
		queue.wakeAfter(1);
		queue.push(numbered(9));
		started.update();
		queue.take(taken, 5000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(1), taken.size());
		CPPUNIT_ASSERT(started.elapsed() < 2500 * 1000);
		// Already enough waiting when the round ends: the next take does not wait.
		for (int i = 10; i < 15; ++i)
			queue.push(numbered(i));
		queue.wakeAfter(4);
		started.update();
		queue.take(taken, 5000);
		CPPUNIT_ASSERT_EQUAL(std::size_t(5), taken.size());
		CPPUNIT_ASSERT(started.elapsed() < 2500 * 1000);
	}
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageQueueTest);
