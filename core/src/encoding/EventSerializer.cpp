//
// EventSerializer.cpp
//

#include "encoding/EventSerializer.h"
#include "encoding/Encoding.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/UuidGenerator.h"
#include <cstring>

namespace PostHog
{

namespace
{

bool keyIs(std::string_view key, const char* literal, std::size_t length)
{
	return key.size() == length && std::memcmp(key.data(), literal, length) == 0;
}

} // namespace

void EventSerializer::append(std::string& out, const Message& message, bool geoip)
{
	// Written through a pointer into room reserved once (see JsonWriter's raw writers), then
	// appended to out in one copy.
	const std::string& buffer = PropertiesAccess::encoded(message.properties());
	std::size_t bound =
	    256 + JsonWriter::kSlack +
	    JsonWriter::kExpansion * (message.event().size() + message.distinctId().size() + buffer.size());
	char* const base = JsonWriter::scratch(bound);
	char* o = base;
	auto literal = [&o](const char* text, std::size_t length)
	{
		std::memcpy(o, text, length);
		o += length;
	};
	literal("{\"uuid\":\"", 9);
	UuidGenerator::format(message.uuid(), o); // the 36 characters writeUuid() writes (SSE2 where built)
	o += 36;
	*o++ = '"';
	literal(",\"event\":", 9);
	o = JsonWriter::writeString(o, message.event());
	literal(",\"distinct_id\":", 15);
	o = JsonWriter::writeString(o, message.distinctId());
	literal(",\"timestamp\":", 13);
	o = JsonWriter::writeTimestamp(o, message.timestamp());
	literal(",\"properties\":{", 15);

	const char* p = buffer.data();
	const char* end = p + buffer.size();
	bool hasLib = false, hasLibVersion = false, hasGeoip = false;
	bool first = p == end;
	auto noteKey = [&](std::string_view key)
	{
		if (!key.empty() && key[0] == '$')
		{
			hasLib = hasLib || keyIs(key, "$lib", 4);
			hasLibVersion = hasLibVersion || keyIs(key, "$lib_version", 12);
			hasGeoip = hasGeoip || keyIs(key, "$geoip_disable", 14);
		}
	};
	o = JsonWriter::writeEncodedMembers(o, p, end, noteKey);
	static const char lib[] = "\"$lib\":\"" POSTHOG_LIB_NAME "\"";
	static const char libVersion[] = "\"$lib_version\":\"" POSTHOG_VERSION_STRING "\"";
	static const char geoipDisable[] = "\"$geoip_disable\":true";
	auto member = [&](const char* text, std::size_t length)
	{
		if (!first)
			*o++ = ',';
		literal(text, length);
		first = false;
	};
	if (!hasLib)
		member(lib, sizeof lib - 1);
	if (!hasLibVersion)
		member(libVersion, sizeof libVersion - 1);
	if (!geoip && !hasGeoip)
		member(geoipDisable, sizeof geoipDisable - 1);
	literal("}}", 2);
	out.append(base, static_cast<std::size_t>(o - base));
}

} // namespace PostHog
