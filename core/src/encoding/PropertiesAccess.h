//
// PropertiesAccess.h
//
// The library's own access to the encoded form of Properties, Array, Value and Message.
//

#ifndef PostHog_PropertiesAccess_INCLUDED
#define PostHog_PropertiesAccess_INCLUDED

#include "PostHog/Array.h"
#include "PostHog/Message.h"
#include "PostHog/Properties.h"
#include "PostHog/Value.h"
#include <cmath>
#include <cstdint>
#include <string>

namespace PostHog
{

class PropertiesAccess
/// The one door from the library's code to the internals of the public data types: the
/// encoded buffer of Properties and Array (see Encoding.h), the raw bytes a Value points
/// at, and the sequence number the queue gives each Message. These stay out of the public
/// headers' API so that an application or plugin never depends on the encoding; the public
/// classes name this class as a friend, and only code under core/src (and white-box tests)
/// includes this header. Every function is inline and costs nothing over a member call.
{
public:
	static const std::string& encoded(const Properties& properties) noexcept { return properties._buffer; }
	static const std::string& encoded(const Array& array) noexcept { return array._buffer; }
	static std::uint32_t count(const Properties& properties) noexcept { return properties._count; }
	static void assign(Properties& properties, const char* data, std::size_t size, std::uint32_t count)
	/// Replaces the encoded entries with size bytes at data holding count entries (the buffer's
	/// capacity is kept).
	{
		properties._buffer.assign(data, size);
		properties._count = count;
	}

	static const char* rawData(const Value& value) noexcept { return value._data; }
	static std::size_t rawSize(const Value& value) noexcept { return value._size; }
	static Value fromRaw(Value::Type type, const char* data, std::size_t size, std::uint32_t count) noexcept
	{
		return Value::fromRaw(type, data, size, count);
	}
	static Value fromInt(std::int64_t value) noexcept { return Value::fromInt(value); }
	static void setNull(Value& value) noexcept { setFields(value, Value::NullType, nullptr, 0, 0); }
	static void setBool(Value& value, bool b) noexcept
	{
		setFields(value, Value::BoolType, nullptr, 0, 0);
		value._bool = b;
	}
	static void setInt(Value& value, std::int64_t i) noexcept
	{
		setFields(value, Value::IntType, nullptr, 0, 0);
		value._int = i;
	}
	static void setDouble(Value& value, double d) noexcept
	/// As Value(double): a value that is not finite is null.
	{
		setFields(value, std::isfinite(d) ? Value::DoubleType : Value::NullType, nullptr, 0, 0);
		if (value._type == Value::DoubleType)
			value._double = d;
	}
	static void setRaw(Value& value, Value::Type type, const char* data, std::size_t size,
	                   std::uint32_t count) noexcept
	/// A string (count 0), array or object view of size bytes at data, as fromRaw() makes.
	{
		setFields(value, type, data, size, count);
	}

	static std::uint64_t sequence(const Message& message) noexcept { return message._sequence; }
	/// The order in which the Client accepted the message (used by flush()).
	static void setSequence(Message& message, std::uint64_t sequence) noexcept
	{
		message._sequence = sequence;
	}
	static Poco::UUID& uuid(Message& message) noexcept { return message._uuid; }
	/// The message's uuid, to be written in place.
	static void assign(Message& message, Message::Type type, const char* event, std::size_t eventSize,
	                   const char* distinctId, std::size_t distinctIdSize)
	/// Sets the type, event and distinct id, reusing the strings' storage.
	{
		message._type = type;
		message._event.assign(event, eventSize);
		message._distinctId.assign(distinctId, distinctIdSize);
	}

private:
	static void setFields(Value& value, Value::Type type, const char* data, std::size_t size,
	                      std::uint32_t count) noexcept
	{
		value._type = type;
		value._count = count;
		value._int = 0;
		value._data = data;
		value._size = size;
	}
};

} // namespace PostHog

#endif // PostHog_PropertiesAccess_INCLUDED
