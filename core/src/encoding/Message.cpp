//
// Message.cpp
//

#include "PostHog/Message.h"
#include "encoding/EventSerializer.h"

namespace PostHog
{

namespace
{

// "Now" is sent with millisecond precision; only a timestamp the caller sets keeps microseconds.
void truncateToMilliseconds(Poco::Timestamp& ts) noexcept
{
	ts -= ts.epochMicroseconds() % 1000;
}

} // namespace

Message::Message()
{
	truncateToMilliseconds(_timestamp);
}

Message::Message(Type type, std::string event, std::string distinctId, Properties properties)
    : _type(type), _event(std::move(event)), _distinctId(std::move(distinctId)),
      _properties(std::move(properties))
{
	truncateToMilliseconds(_timestamp);
}

std::string Message::toJSON(bool geoip) const
{
	std::string out;
	out.reserve(estimatedSize());
	EventSerializer::append(out, *this, geoip);
	return out;
}

std::size_t Message::estimatedSize() const noexcept
{
	// Envelope and $lib additions ~200 bytes; strings may grow when escaped, and doubles are
	// 9 bytes encoded but up to 24 written: 3x the encoded size covers the usual case.
	return 200 + 2 * (_event.size() + _distinctId.size()) + 3 * _properties.byteSize();
}

const char* Message::typeName(Type type) noexcept
{
	switch (type)
	{
	case Type::Capture:
		return "capture";
	case Type::Identify:
		return "identify";
	case Type::Alias:
		return "alias";
	case Type::GroupIdentify:
		return "groupidentify";
	}
	return "capture";
}

} // namespace PostHog
