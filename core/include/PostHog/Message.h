//
// Message.h
//
// One record on its way to PostHog: what the Client builds and every middleware stage reads.
//

#ifndef PostHog_Message_INCLUDED
#define PostHog_Message_INCLUDED

#include "Poco/Timestamp.h"
#include "Poco/UUID.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <cstdint>
#include <string>

namespace PostHog
{

class PropertiesAccess;

class PostHog_API Message
/// A capture, identify, alias or group identify, exactly as it will go on the wire:
///
///     {"uuid": ..., "event": ..., "distinct_id": ..., "timestamp": ..., "properties": {...}}
///
/// The Client fills in every field (identify's $set, alias's alias/distinct_id properties,
/// groupIdentify's $group_type/$group_key/$group_set, $groups, $process_person_profile) before
/// the message is queued, so middleware sees the final shape. Three properties are added only
/// when the event is written, unless already present: $lib, $lib_version and $geoip_disable
/// (true unless posthog.geoip is set) — they are the same for every event, and keeping them
/// out of the queued message saves about 60 bytes of memory per queued event.
///
/// Not thread-safe: a message belongs to one thread at a time (the caller, then the worker).
{
public:
	enum class Type : unsigned char
	{
		Capture,      /// any event, $pageview included
		Identify,     /// $identify
		Alias,        /// $create_alias
		GroupIdentify /// $groupidentify
	};

	Message();
	Message(Type type, std::string event, std::string distinctId, Properties properties = Properties());

	Type type() const noexcept { return _type; }
	void setType(Type type) noexcept { _type = type; }

	const std::string& event() const noexcept { return _event; }
	void setEvent(std::string event) { _event = std::move(event); }

	const std::string& distinctId() const noexcept { return _distinctId; }
	void setDistinctId(std::string distinctId) { _distinctId = std::move(distinctId); }

	Properties& properties() noexcept { return _properties; }
	const Properties& properties() const noexcept { return _properties; }

	const Poco::Timestamp& timestamp() const noexcept { return _timestamp; }
	void setTimestamp(const Poco::Timestamp& timestamp) noexcept { _timestamp = timestamp; }

	const Poco::UUID& uuid() const noexcept { return _uuid; }
	void setUuid(const Poco::UUID& uuid) noexcept { _uuid = uuid; }

	std::string toJSON(bool geoip = false) const;
	/// The event's JSON exactly as the batch carries it (with $lib, $lib_version and, unless
	/// geoip is true, $geoip_disable added when absent).

	std::size_t estimatedSize() const noexcept;
	/// A quick estimate of toJSON().size() without writing it (to reserve buffers).

	static const char* typeName(Type type) noexcept;
	/// "capture", "identify", "alias" or "groupidentify".

private:
	friend class PropertiesAccess;

	Type _type = Type::Capture;
	std::string _event;
	std::string _distinctId;
	Properties _properties;
	Poco::Timestamp _timestamp;
	Poco::UUID _uuid;
	std::uint64_t _sequence = 0;
};

} // namespace PostHog

#endif // PostHog_Message_INCLUDED
