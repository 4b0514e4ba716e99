//
// OtlpWriter.cpp
//

#include "logs/OtlpWriter.h"
#include "Poco/Environment.h"
#include "encoding/JsonWriter.h"
#include <cctype>
#include <cerrno>
#include <cmath>
#include <map>

namespace PostHog
{

namespace
{

void appendKey(std::string& out, std::string_view key, bool& first)
{
	if (!first)
		out += ',';
	first = false;
	out += "{\"key\":";
	JsonWriter::appendString(out, key);
	out += ",\"value\":";
}

void appendStringAttribute(std::string& out, std::string_view key, std::string_view value, bool& first)
{
	appendKey(out, key, first);
	out += "{\"stringValue\":";
	JsonWriter::appendString(out, value);
	out += "}}";
}

// Appends key/value objects for the non-null entries; returns whether the list is still empty.
template<typename Entries>
void appendEntries(std::string& out, const Entries& entries, bool& first)
{
	for (const Entry& e : entries)
	{
		// OpenTelemetry attribute keys are non-empty (a nested JSON object may carry ""): an entry
		// without a key is left out, as a null one is.
		if (e.value.isNull() || e.key.empty())
			continue;
		appendKey(out, e.key, first);
		OtlpWriter::appendAnyValue(out, e.value);
		out += '}';
	}
}

std::string programName()
{
	std::string name = program_invocation_short_name ? program_invocation_short_name : "";
	return name.empty() ? "unknown_service" : "unknown_service:" + name;
}

} // namespace

void OtlpWriter::appendAnyValue(std::string& out, const Value& value)
{
	switch (value.type())
	{
	case Value::NullType:
		out += "{}";
		break;
	case Value::BoolType:
		out += value.getBool() ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
		break;
	case Value::IntType:
		out += "{\"intValue\":\"";
		JsonWriter::appendInt(out, value.getInt());
		out += "\"}";
		break;
	case Value::DoubleType:
	{
		double d = value.getDouble();
		if (std::isnan(d))
			out += "{\"stringValue\":\"NaN\"}";
		else if (std::isinf(d))
			out += d > 0 ? "{\"stringValue\":\"Infinity\"}" : "{\"stringValue\":\"-Infinity\"}";
		else
		{
			out += "{\"doubleValue\":";
			JsonWriter::appendDouble(out, d);
			out += '}';
		}
		break;
	}
	case Value::StringType:
		out += "{\"stringValue\":";
		JsonWriter::appendString(out, value.getString());
		out += '}';
		break;
	case Value::ArrayType:
	{
		out += "{\"arrayValue\":{\"values\":[";
		bool first = true;
		for (const Value& element : value.elements())
		{
			if (!first)
				out += ',';
			first = false;
			appendAnyValue(out, element);
		}
		out += "]}}";
		break;
	}
	case Value::ObjectType:
	{
		out += "{\"kvlistValue\":{\"values\":[";
		bool first = true;
		appendEntries(out, value.entries(), first);
		out += "]}}";
		break;
	}
	}
}

void OtlpWriter::appendUnixNano(std::string& out, std::uint64_t nanos)
{
	out += '"';
	out += std::to_string(nanos);
	out += '"';
}

bool OtlpWriter::isHexId(const std::string& id, std::size_t digits)
{
	if (id.size() != digits)
		return false;
	for (char c : id)
	{
		if (!std::isxdigit(static_cast<unsigned char>(c)))
			return false;
	}
	return true;
}

std::string OtlpWriter::envelopeHead(const LogOptions& options)
{
	std::map<std::string, std::string> resource = options.resourceAttributes;
	resource["service.name"] = options.serviceName.empty() ? programName() : options.serviceName;
	if (!options.serviceVersion.empty())
		resource["service.version"] = options.serviceVersion;
	if (!options.environment.empty())
		resource["deployment.environment"] = options.environment;
	resource["telemetry.sdk.name"] = POSTHOG_LIB_NAME;
	resource["telemetry.sdk.version"] = POSTHOG_VERSION_STRING;
	resource["telemetry.sdk.language"] = "cpp";
	resource["os.name"] = Poco::Environment::osName();
	resource["os.version"] = Poco::Environment::osVersion();

	std::string out = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[";
	bool first = true;
	for (const auto& attribute : resource)
		appendStringAttribute(out, attribute.first, attribute.second, first);
	out += "]},\"scopeLogs\":[{\"scope\":{\"name\":\"" POSTHOG_LIB_NAME
	       "\",\"version\":\"" POSTHOG_VERSION_STRING "\"},\"logRecords\":[";
	return out;
}

const std::string& OtlpWriter::envelopeTail()
{
	static const std::string tail = "]}]}]}";
	return tail;
}

void OtlpWriter::appendRecord(std::string& out, const LogRecord& record)
{
	out += "{\"timeUnixNano\":";
	appendUnixNano(out, record.timeUnixNano);
	out += ",\"observedTimeUnixNano\":";
	appendUnixNano(out, record.timeUnixNano);
	out += ",\"severityNumber\":";
	out += std::to_string(severityNumber(record.level));
	out += ",\"severityText\":\"";
	out += severityText(record.level);
	out += "\",\"body\":{\"stringValue\":";
	JsonWriter::appendString(out, record.body);
	out += "},\"attributes\":[";
	bool first = true;
	if (!record.distinctId.empty() && !record.attributes.has("posthogDistinctId"))
		appendStringAttribute(out, "posthogDistinctId", record.distinctId, first);
	if (!record.sessionId.empty() && !record.attributes.has("sessionId"))
		appendStringAttribute(out, "sessionId", record.sessionId, first);
	appendEntries(out, record.attributes, first);
	out += ']';
	if (isHexId(record.traceId, 32))
	{
		out += ",\"traceId\":";
		JsonWriter::appendString(out, record.traceId);
	}
	if (isHexId(record.spanId, 16))
	{
		out += ",\"spanId\":";
		JsonWriter::appendString(out, record.spanId);
	}
	if (record.flags >= 0)
	{
		out += ",\"flags\":";
		out += std::to_string(record.flags & 0xff);
	}
	out += '}';
}

} // namespace PostHog
