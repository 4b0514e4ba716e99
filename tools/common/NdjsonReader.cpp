//
// NdjsonReader.cpp
//

#include "NdjsonReader.h"
#include "config/ConfigReader.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/Format.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/JSONException.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/RegularExpression.h"
#include "Poco/UTF8Encoding.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <istream>

namespace PostHog
{

namespace
{

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// The message types each field applies to (a bit per Record::Type).
constexpr unsigned bit(NdjsonReader::Record::Type t)
{
	return 1u << t;
}
constexpr unsigned kAll = 0x1f;
constexpr unsigned kEventTypes = bit(NdjsonReader::Record::Capture) | bit(NdjsonReader::Record::Identify) |
                                 bit(NdjsonReader::Record::Pageview);

struct FieldRule
{
	const char* name;
	unsigned appliesTo;
};

const FieldRule fieldRules[] = {
    {"type", kAll},
    {"distinct_id", kAll},
    {"event", bit(NdjsonReader::Record::Capture)},
    {"properties", kEventTypes | bit(NdjsonReader::Record::GroupIdentify)},
    {"alias", bit(NdjsonReader::Record::Alias)},
    {"group_type", bit(NdjsonReader::Record::GroupIdentify)},
    {"group_key", bit(NdjsonReader::Record::GroupIdentify)},
    {"url", bit(NdjsonReader::Record::Pageview)},
    {"groups", kEventTypes},
    {"set", kEventTypes},
    {"set_once", kEventTypes},
    {"timestamp", kAll},
    {"uuid", kAll},
};

std::string knownFields()
{
	std::string out;
	for (const auto& rule : fieldRules)
	{
		if (!out.empty())
			out += ", ";
		out += rule.name;
	}
	return out;
}

std::string typesOf(unsigned mask)
{
	std::string out;
	for (int t = NdjsonReader::Record::Capture; t <= NdjsonReader::Record::Pageview; ++t)
	{
		if (mask & (1u << t))
		{
			if (!out.empty())
				out += ", ";
			out += NdjsonReader::Record::typeName(static_cast<NdjsonReader::Record::Type>(t));
		}
	}
	return out;
}

std::string jsonTypeOf(const Var& v)
{
	if (v.isEmpty())
		return "null";
	if (v.type() == typeid(Object::Ptr))
		return "an object";
	if (v.type() == typeid(Poco::JSON::Array::Ptr))
		return "an array";
	if (v.isBoolean())
		return "a boolean";
	if (v.isNumeric())
		return "a number";
	if (v.isString())
		return "a string";
	return "a value";
}

class LineError
/// Builds the "line <n>: ..." InvalidMessageException.
{
public:
	explicit LineError(std::size_t line) : _prefix("line " + std::to_string(line) + ": ") {}
	[[noreturn]] void operator()(const std::string& what) const
	{
		throw InvalidMessageException(_prefix + what);
	}

private:
	std::string _prefix;
};

std::string excerpt(const std::string& text)
{
	std::string cut = text.size() <= 40 ? text : text.substr(0, 37) + "...";
	// Control characters (a key spelt "a\nb" in JSON) are shown escaped: an error stays one
	// line (found by NdjsonFuzz).
	std::string out;
	for (char c : cut)
	{
		auto u = static_cast<unsigned char>(c);
		if (u >= 0x20 && u != 0x7f)
			out.push_back(c);
		else if (c == '\n')
			out += "\\n";
		else if (c == '\r')
			out += "\\r";
		else if (c == '\t')
			out += "\\t";
		else
			out += Poco::format("\\u%04x", static_cast<unsigned>(u));
	}
	return out;
}

void checkUtf8(const std::string& line, const LineError& fail)
{
	static const Poco::UTF8Encoding utf8;
	const auto* bytes = reinterpret_cast<const unsigned char*>(line.data());
	std::size_t n = line.size();
	for (std::size_t i = 0; i < n;)
	{
		if (bytes[i] < 0x80)
		{
			++i;
			continue;
		}
		int remaining = static_cast<int>(std::min<std::size_t>(n - i, 8));
		int length = utf8.sequenceLength(bytes + i, remaining);
		// queryConvert() refuses overlong forms, surrogates and code points past U+10FFFF.
		if (length <= 0 || length > remaining || utf8.queryConvert(bytes + i, length) < 0)
			fail("not valid UTF-8 (byte " + std::to_string(i + 1) + ")");
		i += static_cast<std::size_t>(length);
	}
}

bool isDigit(char c)
{
	return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Poco's JSON parser silently wraps integers past 64 bits (18446744073709551616 parses as 0,
// -9223372036854775809 as the smallest int64; measured with Poco 1.11 here) and names NaN only
// as "unexpected byte 'N'". One pass over the tokens outside strings catches both before it runs.
void checkNumbers(const std::string& line, const LineError& fail)
{
	std::size_t n = line.size();
	bool inString = false;
	for (std::size_t i = 0; i < n; ++i)
	{
		char c = line[i];
		if (inString)
		{
			if (c == '\\')
				++i;
			else if (c == '"')
				inString = false;
			continue;
		}
		if (c == '"')
		{
			inString = true;
		}
		else if (c == '-' || isDigit(c))
		{
			std::size_t j = i + 1;
			bool integer = true;
			while (j < n && (isDigit(line[j]) || line[j] == '.' || line[j] == 'e' || line[j] == 'E' ||
			                 line[j] == '+' || line[j] == '-'))
			{
				if (!isDigit(line[j]))
					integer = false;
				++j;
			}
			std::string token = line.substr(i, j - i);
			if (token != "-")
			{
				if (integer)
				{
					// strtoll reports overflow exactly (Poco's tryParse64 accepted -9223372036854775809).
					errno = 0;
					char* end = nullptr;
					std::strtoll(token.c_str(), &end, 10);
					if (errno == ERANGE && end == token.c_str() + token.size())
						fail("the integer " + excerpt(token) +
						     " does not fit in 64 bits (write it as a string to keep its digits, or with an "
						     "exponent, "
						     "e.g. 1.8e19, to send it as a double)");
				}
				else
				{
					errno = 0;
					char* end = nullptr;
					double d = std::strtod(token.c_str(), &end);
					if (end == token.c_str() + token.size() && (std::isinf(d) || (errno == ERANGE && d != 0)))
						fail("the number " + excerpt(token) + " is too large for a double");
				}
			}
			i = j - 1;
		}
		else if (isAlpha(c))
		{
			std::size_t j = i;
			while (j < n && isAlpha(line[j]))
				++j;
			std::string word = line.substr(i, j - i);
			if (word == "NaN" || word == "nan" || word == "Infinity" || word == "infinity" || word == "inf" ||
			    word == "Inf")
				fail(word + " is not a JSON number (JSON has no NaN or Infinity)");
			i = j - 1;
		}
	}
}

// Entries per object or array and bytes per string, on the parsed tree (depth is bounded by
// the parser itself).
void checkBounds(const Var& v, const std::string& path, const NdjsonReader::Limits& limits,
                 const LineError& fail)
{
	auto entries = [&](std::size_t count)
	{
		if (count > limits.maxEntries)
			fail((path.empty() ? std::string("the line") : path) + " has " + std::to_string(count) +
			     " entries, more than the limit of " + std::to_string(limits.maxEntries) +
			     " (posthog.ndjson.maxEntries)");
	};
	auto string = [&](const std::string& s, const std::string& where)
	{
		if (s.size() > limits.maxStringBytes)
			fail(where + " is a string of " + std::to_string(s.size()) + " bytes, more than the limit of " +
			     std::to_string(limits.maxStringBytes) + " (posthog.ndjson.maxStringBytes)");
	};
	if (v.type() == typeid(Object::Ptr))
	{
		const auto& object = v.extract<Object::Ptr>();
		if (!object)
			return;
		entries(object->size());
		for (const auto& member : *object)
		{
			std::string childPath = path.empty() ? member.first : path + "." + member.first;
			string(member.first, "the key of " + childPath);
			checkBounds(member.second, childPath, limits, fail);
		}
	}
	else if (v.type() == typeid(Poco::JSON::Array::Ptr))
	{
		const auto& array = v.extract<Poco::JSON::Array::Ptr>();
		if (!array)
			return;
		entries(array->size());
		for (std::size_t i = 0; i < array->size(); ++i)
			checkBounds(array->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]", limits,
			            fail);
	}
	else if (v.isString())
	{
		string(v.extract<std::string>(), path);
	}
}

Poco::Timestamp parseTimestamp(const std::string& text, const LineError& fail)
{
	// Poco's DateTimeParser is lenient ("garbage" parses as year 0, a missing offset as UTC), so
	// the shape is checked first; the parser then checks ranges and applies the offset.
	static const Poco::RegularExpression shape(
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt "
	    "][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$");
	if (!shape.match(text))
		fail("\"timestamp\" '" + excerpt(text) +
		     "' is not an ISO 8601 date-time with seconds and a UTC offset (e.g. 2024-05-01T12:00:00Z or "
		     "2024-05-01T14:00:00.250+02:00)");
	Poco::DateTime dateTime;
	int tzd = 0;
	std::string normalised = text;
	normalised[10] = 'T';
	if (normalised.back() == 'z')
		normalised.back() = 'Z';
	if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, normalised, dateTime, tzd))
		fail("\"timestamp\" '" + text + "' is not a valid date and time (a field is out of range)");
	dateTime.makeUTC(tzd);
	return dateTime.timestamp();
}

} // namespace

NdjsonReader::Limits NdjsonReader::Limits::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigReader r(config);
	Limits l;
	l.maxLineBytes = static_cast<std::size_t>(r.getInt(
	    "posthog.ndjson.maxLineBytes", static_cast<Poco::Int64>(l.maxLineBytes), 2, 1024LL * 1024 * 1024));
	l.maxDepth = static_cast<unsigned>(r.getInt("posthog.ndjson.maxDepth", l.maxDepth, 2, 1000));
	l.maxEntries = static_cast<std::size_t>(
	    r.getInt("posthog.ndjson.maxEntries", static_cast<Poco::Int64>(l.maxEntries), 1, 100000000));
	l.maxStringBytes = static_cast<std::size_t>(r.getInt("posthog.ndjson.maxStringBytes",
	                                                     static_cast<Poco::Int64>(l.maxStringBytes), 1,
	                                                     1024LL * 1024 * 1024));
	return l;
}

const char* NdjsonReader::Record::typeName(Type type) noexcept
{
	switch (type)
	{
	case Capture:
		return "capture";
	case Identify:
		return "identify";
	case Alias:
		return "alias";
	case GroupIdentify:
		return "groupidentify";
	case Pageview:
		return "pageview";
	}
	return "capture";
}

NdjsonReader::NdjsonReader() = default;

NdjsonReader::NdjsonReader(const Limits& limits) : _limits(limits) {}

NdjsonReader::LineStatus NdjsonReader::readLine(std::istream& in, std::string& line) const
{
	line.clear();
	std::streambuf* buf = in.rdbuf();
	if (!buf || !in.good())
		return End;
	bool any = false;
	bool tooLong = false;
	for (;;)
	{
		int c = buf->sbumpc();
		if (c == std::char_traits<char>::eof())
		{
			in.setstate(std::ios::eofbit);
			if (!any)
				return End;
			break;
		}
		any = true;
		if (c == '\n')
			break;
		if (tooLong)
			continue;
		if (line.size() >= _limits.maxLineBytes + 1) // +1: room for a '\r' before the '\n'
		{
			tooLong = true;
			line.clear();
			line.shrink_to_fit();
			continue;
		}
		line.push_back(static_cast<char>(c));
	}
	if (tooLong)
		return TooLong;
	if (!line.empty() && line.back() == '\r')
		line.pop_back();
	if (line.size() > _limits.maxLineBytes)
	{
		line.clear();
		return TooLong;
	}
	return Line;
}

std::string NdjsonReader::tooLongMessage(std::size_t lineNumber) const
{
	return "line " + std::to_string(lineNumber) + ": the line is longer than " +
	       std::to_string(_limits.maxLineBytes) + " bytes (posthog.ndjson.maxLineBytes)";
}

bool NdjsonReader::isBlank(const std::string& line) noexcept
{
	for (char c : line)
	{
		if (c != ' ' && c != '\t' && c != '\r')
			return false;
	}
	return true;
}

NdjsonReader::Record NdjsonReader::parse(const std::string& line, std::size_t lineNumber) const
{
	LineError fail(lineNumber);
	if (line.size() > _limits.maxLineBytes)
		fail("the line is longer than " + std::to_string(_limits.maxLineBytes) +
		     " bytes (posthog.ndjson.maxLineBytes)");
	checkUtf8(line, fail);

	std::size_t first = line.find_first_not_of(" \t\r");
	if (first == std::string::npos)
		fail("the line is empty (expected a JSON object)");
	char c = line[first];
	if (c != '{')
	{
		std::string rest = line.substr(first);
		auto startsWith = [&](const char* word) { return rest.compare(0, std::strlen(word), word) == 0; };
		std::string found = c == '['                                      ? "an array"
		                    : c == '"'                                    ? "a string"
		                    : (c == '-' || isDigit(c))                    ? "a number"
		                    : (startsWith("true") || startsWith("false")) ? "a boolean"
		                    : startsWith("null")                          ? "null"
		                                                                  : "no JSON value";
		fail("expected a JSON object, found " + found);
	}
	checkNumbers(line, fail);

	Object::Ptr object;
	try
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		parser.setDepth(_limits.maxDepth);
		Var parsed = parser.parse(line);
		if (parsed.type() != typeid(Object::Ptr))
			fail("expected a JSON object");
		object = parsed.extract<Object::Ptr>();
	}
	catch (InvalidMessageException&)
	{
		throw;
	}
	catch (Poco::Exception& e)
	{
		std::string why = e.message();
		if (why.find("Maximum depth exceeded") != std::string::npos)
			fail("the JSON nests deeper than " + std::to_string(_limits.maxDepth) +
			     " levels (posthog.ndjson.maxDepth)");
		fail("not valid JSON (" + why + ")");
	}
	checkBounds(object, std::string(), _limits, fail);

	Record record;
	record.line = lineNumber;

	// The type first: it decides which fields apply.
	if (object->has("type") && !object->get("type").isEmpty())
	{
		Var t = object->get("type");
		if (!t.isString())
			fail("\"type\" must be a string, not " + jsonTypeOf(t));
		std::string name = t.extract<std::string>();
		bool found = false;
		for (int i = Record::Capture; i <= Record::Pageview; ++i)
		{
			if (name == Record::typeName(static_cast<Record::Type>(i)))
			{
				record.type = static_cast<Record::Type>(i);
				found = true;
			}
		}
		if (!found)
			fail("unknown type '" + excerpt(name) +
			     "' (expected capture, identify, alias, groupidentify or pageview)");
	}
	const char* typeName = Record::typeName(record.type);
	std::string aType =
	    std::string(record.type == Record::Identify || record.type == Record::Alias ? "an " : "a ") +
	    typeName;

	for (const auto& member : *object)
	{
		const FieldRule* rule = nullptr;
		for (const auto& r : fieldRules)
		{
			if (member.first == r.name)
				rule = &r;
		}
		if (!rule)
			fail("unknown field \"" + excerpt(member.first) + "\" (known: " + knownFields() + ")");
		if (!(rule->appliesTo & bit(record.type)) && !member.second.isEmpty())
			fail("field \"" + member.first + "\" does not apply to " + aType + " (only to " +
			     typesOf(rule->appliesTo) + ")");
	}

	auto present = [&](const char* name) { return object->has(name) && !object->get(name).isEmpty(); };
	auto getString = [&](const char* name, bool required) -> std::string
	{
		if (!present(name))
		{
			if (required)
				fail(aType + " needs \"" + name + "\"" + (object->has(name) ? " (it is null)" : ""));
			return std::string();
		}
		Var v = object->get(name);
		if (!v.isString())
			fail("\"" + std::string(name) + "\" must be a string, not " + jsonTypeOf(v));
		return v.extract<std::string>();
	};
	auto getObject = [&](const char* name) -> Object::Ptr
	{
		if (!present(name))
			return Object::Ptr();
		Var v = object->get(name);
		if (v.type() != typeid(Object::Ptr))
			fail("\"" + std::string(name) + "\" must be an object, not " + jsonTypeOf(v));
		return v.extract<Object::Ptr>();
	};
	auto toProperties = [&](const Object::Ptr& o, const char* name) -> Properties
	{
		if (!o)
			return Properties();
		try
		{
			return Properties::fromVar(o, _limits.maxDepth + 1);
		}
		catch (Poco::Exception& e)
		{
			fail("\"" + std::string(name) + "\": " + e.message());
		}
	};

	bool needsId = record.type != Record::GroupIdentify;
	record.distinctId = getString("distinct_id", needsId);
	record.event = getString("event", record.type == Record::Capture);
	record.alias = getString("alias", record.type == Record::Alias);
	record.groupType = getString("group_type", record.type == Record::GroupIdentify);
	record.groupKey = getString("group_key", record.type == Record::GroupIdentify);
	record.url = getString("url", record.type == Record::Pageview);
	record.properties = toProperties(getObject("properties"), "properties");
	record.options.set = toProperties(getObject("set"), "set");
	record.options.setOnce = toProperties(getObject("set_once"), "set_once");
	if (Object::Ptr groups = getObject("groups"))
	{
		for (const auto& name : groups->getNames())
		{
			Var key = groups->get(name);
			if (!key.isString())
				fail("\"groups\".\"" + excerpt(name) + "\" must be a string (the group key), not " +
				     jsonTypeOf(key));
			record.options.groups.emplace_back(name, key.extract<std::string>());
		}
	}
	std::string timestamp = getString("timestamp", false);
	if (present("timestamp"))
		record.options.timestamp = parseTimestamp(timestamp, fail);
	record.options.uuid = getString("uuid", false);
	return record;
}

bool NdjsonReader::send(Client& client, Record record)
{
	try
	{
		switch (record.type)
		{
		case Record::Capture:
			return !client
			            .capture(record.distinctId, record.event, std::move(record.properties),
			                     record.options)
			            .empty();
		case Record::Identify:
			return client.identify(record.distinctId, std::move(record.properties), record.options);
		case Record::Alias:
			return client.alias(record.distinctId, record.alias, record.options);
		case Record::GroupIdentify:
			return client.groupIdentify(record.groupType, record.groupKey, std::move(record.properties),
			                            record.options, record.distinctId);
		case Record::Pageview:
			return !client
			            .pageview(record.distinctId, record.url, std::move(record.properties), record.options)
			            .empty();
		}
	}
	catch (...)
	{
	}
	return false;
}

} // namespace PostHog
