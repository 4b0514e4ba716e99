//
// NdjsonSyntax.cpp
//

#include "NdjsonSyntax.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/Format.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/RegularExpression.h"
#include "Poco/UTF8Encoding.h"
#include "PostHog/Exceptions.h"
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace PostHog
{

using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace
{

bool isDigit(char c)
{
	return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace

NdjsonSyntax::LineError::LineError(std::size_t line) : _prefix("line " + std::to_string(line) + ": ") {}

void NdjsonSyntax::LineError::operator()(const std::string& what) const
{
	throw InvalidMessageException(_prefix + what);
}

std::string NdjsonSyntax::jsonTypeOf(const Var& v)
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

std::string NdjsonSyntax::excerpt(const std::string& text)
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

void NdjsonSyntax::checkUtf8(const std::string& line, const LineError& fail)
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

void NdjsonSyntax::checkNumber(const std::string& token, bool integer, const LineError& fail)
{
	if (token == "-")
		return;
	if (integer)
	{
		// strtoll reports overflow exactly (Poco's tryParse64 accepted -9223372036854775809).
		errno = 0;
		char* end = nullptr;
		std::strtoll(token.c_str(), &end, 10);
		if (errno == ERANGE && end == token.c_str() + token.size())
			fail("the integer " + excerpt(token) +
			     " does not fit in 64 bits (write it as a string to keep its digits, or with an exponent, "
			     "e.g. 1.8e19, to send it as a double)");
		return;
	}
	errno = 0;
	char* end = nullptr;
	double d = std::strtod(token.c_str(), &end);
	if (end == token.c_str() + token.size() && (std::isinf(d) || (errno == ERANGE && d != 0)))
		fail("the number " + excerpt(token) + " is too large for a double");
}

// Poco's JSON parser silently wraps integers past 64 bits (18446744073709551616 parses as 0,
// -9223372036854775809 as the smallest int64; measured with Poco 1.11 here) and names NaN only
// as "unexpected byte 'N'". One pass over the tokens outside strings catches both before it runs.
void NdjsonSyntax::checkNumbers(const std::string& line, const LineError& fail)
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
			checkNumber(line.substr(i, j - i), integer, fail);
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
void NdjsonSyntax::checkBounds(const Var& v, const std::string& path, const NdjsonReader::Limits& limits,
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

Poco::Timestamp NdjsonSyntax::parseTimestamp(const std::string& text, const LineError& fail)
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

void NdjsonSyntax::checkStart(const std::string& line, const LineError& fail)
{
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
}

Object::Ptr NdjsonSyntax::parseObject(const std::string& line, const NdjsonReader::Limits& limits,
                                      const LineError& fail)
{
	if (line.size() > limits.maxLineBytes)
		fail("the line is longer than " + std::to_string(limits.maxLineBytes) +
		     " bytes (posthog.ndjson.maxLineBytes)");
	checkUtf8(line, fail);

	checkStart(line, fail);
	checkNumbers(line, fail);

	Object::Ptr object;
	try
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		parser.setDepth(limits.maxDepth);
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
			fail("the JSON nests deeper than " + std::to_string(limits.maxDepth) +
			     " levels (posthog.ndjson.maxDepth)");
		fail("not valid JSON (" + why + ")");
	}
	checkBounds(object, std::string(), limits, fail);
	return object;
}

} // namespace PostHog
