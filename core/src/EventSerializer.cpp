//
// EventSerializer.cpp
//

#include "EventSerializer.h"
#include "Encoding.h"
#include "JsonWriter.h"
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
	unsigned char uuid[16];
	message.uuid().copyTo(reinterpret_cast<char*>(uuid));
	out.append("{\"uuid\":");
	JsonWriter::appendUuid(out, uuid);
	out.append(",\"event\":");
	JsonWriter::appendString(out, message.event());
	out.append(",\"distinct_id\":");
	JsonWriter::appendString(out, message.distinctId());
	out.append(",\"timestamp\":");
	JsonWriter::appendTimestamp(out, message.timestamp());
	out.append(",\"properties\":{");

	const std::string& buffer = message.properties().encoded();
	const char* p = buffer.data();
	const char* end = p + buffer.size();
	bool hasLib = false, hasLibVersion = false, hasGeoip = false;
	bool first = true;
	while (p < end)
	{
		if (!first)
			out.push_back(',');
		first = false;
		std::string_view key;
		p = Encoding::decodeKey(p, key);
		if (!key.empty() && key[0] == '$')
		{
			hasLib = hasLib || keyIs(key, "$lib", 4);
			hasLibVersion = hasLibVersion || keyIs(key, "$lib_version", 12);
			hasGeoip = hasGeoip || keyIs(key, "$geoip_disable", 14);
		}
		JsonWriter::appendString(out, key);
		out.push_back(':');
		p = JsonWriter::appendEncodedValue(out, p);
	}
	if (!hasLib)
	{
		out.append(first ? "" : ",");
		out.append("\"$lib\":\"" POSTHOG_LIB_NAME "\"");
		first = false;
	}
	if (!hasLibVersion)
	{
		out.append(first ? "" : ",");
		out.append("\"$lib_version\":\"" POSTHOG_VERSION_STRING "\"");
		first = false;
	}
	if (!geoip && !hasGeoip)
	{
		out.append(first ? "" : ",");
		out.append("\"$geoip_disable\":true");
	}
	out.append("}}");
}

} // namespace PostHog
