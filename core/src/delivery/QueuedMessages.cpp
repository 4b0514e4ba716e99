//
// QueuedMessages.cpp
//

#include "delivery/QueuedMessages.h"
#include "delivery/MessageQueue.h"
#include "encoding/PropertiesAccess.h"
#include <cstring>
#include <new>

namespace PostHog
{

namespace
{

// Record layout (native byte order; the record never leaves the process):
//   0 timestamp (int64, microseconds)   8 uuid (16 bytes)
//  24 event size   28 distinct id size   32 properties size   36 properties count (uint32 each)
//  40 type (1 byte), then the event, the distinct id and the properties bytes. Records follow
// each other unaligned: every field is read and written with memcpy.
constexpr std::size_t kHeader = 41;

void put32(char* at, std::size_t value) noexcept
{
	std::uint32_t v = static_cast<std::uint32_t>(value);
	std::memcpy(at, &v, sizeof v);
}

std::uint32_t get32(const char* at) noexcept
{
	std::uint32_t v;
	std::memcpy(&v, at, sizeof v);
	return v;
}

} // namespace

QueuedMessages::~QueuedMessages()
{
	clear();
}

QueuedMessages::Parts QueuedMessages::partsOf(const Message& message) noexcept
{
	return Parts{message.type(),       message.event(), message.distinctId(),
	             message.properties(), message.uuid(),  message.timestamp().epochMicroseconds()};
}

std::size_t QueuedMessages::recordSize(const Parts& parts) noexcept
{
	return kHeader + parts.event.size() + parts.distinctId.size() +
	       PropertiesAccess::encoded(parts.properties).size();
}

void QueuedMessages::write(char* at, const Parts& parts) noexcept
{
	const std::string& props = PropertiesAccess::encoded(parts.properties);
	Poco::Timestamp::TimeVal ts = parts.timestamp;
	std::memcpy(at, &ts, sizeof ts);
	parts.uuid.copyTo(at + 8);
	put32(at + 24, parts.event.size());
	put32(at + 28, parts.distinctId.size());
	put32(at + 32, props.size());
	put32(at + 36, PropertiesAccess::count(parts.properties));
	at[40] = static_cast<char>(parts.type);
	char* o = at + kHeader;
	std::memcpy(o, parts.event.data(), parts.event.size());
	o += parts.event.size();
	std::memcpy(o, parts.distinctId.data(), parts.distinctId.size());
	o += parts.distinctId.size();
	std::memcpy(o, props.data(), props.size());
}

bool QueuedMessages::next(Message& message)
{
	if (_count == 0)
		return false;
	if (_offset >= _head->used)
		finishBlock();
	const char* at = _head->data() + _offset;
	Poco::Timestamp::TimeVal ts;
	std::memcpy(&ts, at, sizeof ts);
	std::uint32_t eventSize = get32(at + 24);
	std::uint32_t idSize = get32(at + 28);
	std::uint32_t propsSize = get32(at + 32);
	const char* text = at + kHeader;
	PropertiesAccess::assign(message, static_cast<Message::Type>(static_cast<unsigned char>(at[40])), text,
	                         eventSize, text + eventSize, idSize);
	PropertiesAccess::assign(message.properties(), text + eventSize + idSize, propsSize, get32(at + 36));
	message.setTimestamp(Poco::Timestamp(ts));
	PropertiesAccess::uuid(message).copyFrom(at + 8);
	PropertiesAccess::setSequence(message, _nextSequence++);
	_offset += kHeader + eventSize + idSize + propsSize;
	--_count;
	if (_count == 0)
		clear();
	return true;
}

void QueuedMessages::finishBlock()
{
	Block* done = _head;
	_head = done->next;
	if (!_head)
		_tail = nullptr;
	_offset = 0;
	if (_queue)
		_queue->recycle(done);
	else
		release(done);
}

void QueuedMessages::clear()
{
	while (_head)
		finishBlock();
	_count = 0;
	_offset = 0;
}

QueuedMessages::Block* QueuedMessages::allocate(std::size_t capacity)
{
	void* memory = ::operator new(sizeof(Block) + capacity);
	return new (memory) Block{nullptr, 0, capacity};
}

void QueuedMessages::release(Block* block) noexcept
{
	::operator delete(static_cast<void*>(block));
}

} // namespace PostHog
