//
// NdjsonReader.cpp
//

#include "NdjsonReader.h"
#include "NdjsonSyntax.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/JSONException.h"
#include "Poco/JSON/Object.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/Exceptions.h"
#include <cstring>
#include <istream>

namespace PostHog
{

namespace
{

using Poco::Dynamic::Var;
using Poco::JSON::Object;
using LineError = NdjsonSyntax::LineError;

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

NdjsonReader::Record::Type recordType(const Object& object, const LineError& fail)
{
	if (!object.has("type") || object.get("type").isEmpty())
		return NdjsonReader::Record::Capture;
	Var t = object.get("type");
	if (!t.isString())
		fail("\"type\" must be a string, not " + NdjsonSyntax::jsonTypeOf(t));
	std::string name = t.extract<std::string>();
	for (int i = NdjsonReader::Record::Capture; i <= NdjsonReader::Record::Pageview; ++i)
	{
		auto type = static_cast<NdjsonReader::Record::Type>(i);
		if (name == NdjsonReader::Record::typeName(type))
			return type;
	}
	fail("unknown type '" + NdjsonSyntax::excerpt(name) +
	     "' (expected capture, identify, alias, groupidentify or pageview)");
}

// Every field is known and applies to the message's type.
void checkFields(const Object& object, NdjsonReader::Record::Type type, const std::string& aType,
                 const LineError& fail)
{
	for (const auto& member : object)
	{
		const FieldRule* rule = nullptr;
		for (const auto& r : fieldRules)
		{
			if (member.first == r.name)
				rule = &r;
		}
		if (!rule)
			fail("unknown field \"" + NdjsonSyntax::excerpt(member.first) + "\" (known: " + knownFields() +
			     ")");
		if (!(rule->appliesTo & bit(type)) && !member.second.isEmpty())
			fail("field \"" + member.first + "\" does not apply to " + aType + " (only to " +
			     typesOf(rule->appliesTo) + ")");
	}
}

class FieldReader
/// Typed reads of a line's fields; a wrong type or a missing required field fails the line.
{
public:
	FieldReader(const Object::Ptr& object, const std::string& aType, const NdjsonReader::Limits& limits,
	            const LineError& fail)
	    : _object(object), _aType(aType), _limits(limits), _fail(fail)
	{
	}

	bool present(const char* name) const { return _object->has(name) && !_object->get(name).isEmpty(); }

	std::string string(const char* name, bool required) const
	{
		if (!present(name))
		{
			if (required)
				_fail(_aType + " needs \"" + name + "\"" + (_object->has(name) ? " (it is null)" : ""));
			return std::string();
		}
		Var v = _object->get(name);
		if (!v.isString())
			_fail("\"" + std::string(name) + "\" must be a string, not " + NdjsonSyntax::jsonTypeOf(v));
		return v.extract<std::string>();
	}

	Object::Ptr object(const char* name) const
	{
		if (!present(name))
			return Object::Ptr();
		Var v = _object->get(name);
		if (v.type() != typeid(Object::Ptr))
			_fail("\"" + std::string(name) + "\" must be an object, not " + NdjsonSyntax::jsonTypeOf(v));
		return v.extract<Object::Ptr>();
	}

	Properties properties(const char* name) const
	{
		Object::Ptr o = object(name);
		if (!o)
			return Properties();
		try
		{
			return Properties::fromVar(o, _limits.maxDepth + 1);
		}
		catch (Poco::Exception& e)
		{
			_fail("\"" + std::string(name) + "\": " + e.message());
		}
	}

private:
	const Object::Ptr& _object;
	const std::string& _aType;
	const NdjsonReader::Limits& _limits;
	const LineError& _fail;
};

} // namespace

NdjsonReader::Limits NdjsonReader::Limits::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigMap r = ClientKeys::read(config, "posthog.ndjson");
	Limits l;
	l.maxLineBytes = static_cast<std::size_t>(r.getInt("maxLineBytes"));
	l.maxDepth = static_cast<unsigned>(r.getInt("maxDepth"));
	l.maxEntries = static_cast<std::size_t>(r.getInt("maxEntries"));
	l.maxStringBytes = static_cast<std::size_t>(r.getInt("maxStringBytes"));
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
	Object::Ptr object = NdjsonSyntax::parseObject(line, _limits, fail);
	Record record;
	record.line = lineNumber;
	record.type = recordType(*object, fail); // the type first: it decides which fields apply
	std::string aType =
	    std::string(record.type == Record::Identify || record.type == Record::Alias ? "an " : "a ") +
	    Record::typeName(record.type);
	checkFields(*object, record.type, aType, fail);

	FieldReader fields(object, aType, _limits, fail);
	bool needsId = record.type != Record::GroupIdentify;
	record.distinctId = fields.string("distinct_id", needsId);
	record.event = fields.string("event", record.type == Record::Capture);
	record.alias = fields.string("alias", record.type == Record::Alias);
	record.groupType = fields.string("group_type", record.type == Record::GroupIdentify);
	record.groupKey = fields.string("group_key", record.type == Record::GroupIdentify);
	record.url = fields.string("url", record.type == Record::Pageview);
	record.properties = fields.properties("properties");
	record.options.set = fields.properties("set");
	record.options.setOnce = fields.properties("set_once");
	if (Object::Ptr groups = fields.object("groups"))
	{
		for (const auto& name : groups->getNames())
		{
			Var key = groups->get(name);
			if (!key.isString())
				fail("\"groups\".\"" + NdjsonSyntax::excerpt(name) +
				     "\" must be a string (the group key), not " + NdjsonSyntax::jsonTypeOf(key));
			record.options.groups.emplace_back(name, key.extract<std::string>());
		}
	}
	std::string timestamp = fields.string("timestamp", false);
	if (fields.present("timestamp"))
		record.options.timestamp = NdjsonSyntax::parseTimestamp(timestamp, fail);
	record.options.uuid = fields.string("uuid", false);
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
