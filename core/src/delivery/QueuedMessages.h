//
// QueuedMessages.h
//
// Messages as the queue stores them: compact records packed into recycled blocks.
//

#ifndef PostHog_QueuedMessages_INCLUDED
#define PostHog_QueuedMessages_INCLUDED

#include "PostHog/Message.h"
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace PostHog
{

class MessageQueue;

class QueuedMessages
/// A run of queued messages, in the order they were pushed, as the worker takes them from the
/// MessageQueue. Each message is one record (timestamp, uuid, type, then the event name, the
/// distinct id and the encoded properties bytes back to back) in blocks of kBlockBytes that
/// hold many records; a record larger than a block gets a block of its own. A record is about
/// the size of the event's own bytes plus 41, where a Message with its properties buffer
/// takes 144 bytes plus a separately allocated buffer. next() decodes the records one at a
/// time into a Message the caller keeps (its strings and buffer are reused, so taking a
/// message allocates nothing) and hands every block it has finished back to the queue.
{
public:
	static constexpr std::size_t kBlockBytes = 64 * 1024 - 64;
	/// Bytes of records per block (a block is one allocation just under 64 KiB).

	struct Block
	/// One allocation: this header, then capacity bytes of records.
	{
		Block* next;
		std::size_t used;
		std::size_t capacity;
		char* data() noexcept { return reinterpret_cast<char*>(this + 1); }
	};

	QueuedMessages() = default;
	~QueuedMessages();
	QueuedMessages(const QueuedMessages&) = delete;
	QueuedMessages& operator=(const QueuedMessages&) = delete;

	bool empty() const noexcept { return _count == 0; }
	std::size_t size() const noexcept { return _count; }
	/// Messages not yet taken out with next().

	bool next(Message& message);
	/// Replaces message with the next record (type, event, distinct id, properties, timestamp,
	/// uuid and sequence number); false when there is none left.

	void clear();
	/// Drops the records not taken (their blocks go back to the queue).

	struct Parts
	/// What a record holds, without a Message around it (capture() with no options queues its
	/// event from these, not building a Message it would copy and destroy at once).
	{
		Message::Type type;
		std::string_view event;
		std::string_view distinctId;
		const Properties& properties;
		const Poco::UUID& uuid;
		Poco::Timestamp::TimeVal timestamp;
	};

	static Parts partsOf(const Message& message) noexcept;

	static std::size_t recordSize(const Parts& parts) noexcept;
	/// The bytes a message of these parts takes as a record.
	static void write(char* at, const Parts& parts) noexcept;
	/// Writes the record (recordSize(parts) bytes) at at.
	static Block* allocate(std::size_t capacity);
	static void release(Block* block) noexcept;

private:
	friend class MessageQueue;

	void finishBlock();

	MessageQueue* _queue = nullptr; // takes finished blocks back
	Block* _head = nullptr;
	Block* _tail = nullptr;
	std::size_t _offset = 0; // in _head
	std::size_t _count = 0;
	std::uint64_t _nextSequence = 0;
};

} // namespace PostHog

#endif // PostHog_QueuedMessages_INCLUDED
