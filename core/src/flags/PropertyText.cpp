//
// PropertyText.cpp
//

#include "flags/PropertyText.h"
#include "Poco/UTF8String.h"
#include "PostHog/Properties.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace PostHog
{

namespace
{

const int kMaxDepth = 64;

bool equalsIgnoreCase(std::string_view text, std::string_view lowerWord) noexcept
{
	if (text.size() != lowerWord.size())
		return false;
	for (std::size_t i = 0; i < text.size(); ++i)
	{
		char c = text[i];
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
		if (c != lowerWord[i])
			return false;
	}
	return true;
}

} // namespace

void PropertyText::appendNumber(double value, std::string& out)
{
	if (std::isnan(value))
	{
		out += "NaN";
		return;
	}
	if (std::isinf(value))
	{
		out += value < 0 ? "-Infinity" : "Infinity";
		return;
	}
	char buffer[40];
	if (value == std::floor(value) && std::fabs(value) < 1e21)
	{
		std::snprintf(buffer, sizeof(buffer), "%.0f", value);
		out += (value == 0) ? "0" : buffer;
		return;
	}
	// The shortest form that reads back as the same double, as JavaScript prints.
	for (int precision = 1; precision <= 17; ++precision)
	{
		std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
		if (std::strtod(buffer, nullptr) == value)
			break;
	}
	std::string text(buffer);
	const std::size_t e = text.find('e');
	if (e != std::string::npos)
	{
		// C writes 1e-07, JavaScript 1e-7 (and 1e+21).
		std::string mantissa = text.substr(0, e);
		std::string exponent = text.substr(e + 1);
		char sign = '+';
		if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-'))
		{
			sign = exponent[0];
			exponent.erase(0, 1);
		}
		exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
		const int exp10 = std::atoi(exponent.c_str()) * (sign == '-' ? -1 : 1);
		if (exp10 >= -7 && exp10 < 21)
		{
			std::snprintf(buffer, sizeof(buffer), "%.17f", value);
			text = buffer;
			text.erase(text.find_last_not_of('0') + 1);
			if (!text.empty() && text.back() == '.')
				text.pop_back();
		}
		else
			text = mantissa + "e" + sign + exponent;
	}
	out += text;
}

void PropertyText::appendString(const Value& value, std::string& out)
{
	switch (value.type())
	{
	case Value::NullType:
		out += "null";
		break;
	case Value::BoolType:
		out += value.getBool() ? "true" : "false";
		break;
	case Value::IntType:
		out += std::to_string(value.getInt());
		break;
	case Value::DoubleType:
		appendNumber(value.getDouble(), out);
		break;
	case Value::StringType:
		out += value.getString();
		break;
	case Value::ArrayType:
	{
		bool first = true;
		for (const Value& element : value.elements())
		{
			if (!first)
				out += ',';
			first = false;
			if (!element.isNull())
				appendString(element, out);
		}
		break;
	}
	case Value::ObjectType:
		out += "[object Object]";
		break;
	}
}

void PropertyText::appendJsonString(std::string_view text, std::string& out)
{
	out += '"';
	for (char c : text)
	{
		const unsigned char u = static_cast<unsigned char>(c);
		switch (c)
		{
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\b':
			out += "\\b";
			break;
		case '\f':
			out += "\\f";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		case '\t':
			out += "\\t";
			break;
		default:
			if (u < 0x20)
			{
				char buffer[8];
				std::snprintf(buffer, sizeof(buffer), "\\u%04x", u);
				out += buffer;
			}
			else
				out += c;
		}
	}
	out += '"';
}

bool PropertyText::appendJson(const Value& value, std::string& out, int depth)
{
	if (depth > kMaxDepth)
		return false;
	switch (value.type())
	{
	case Value::NullType:
	case Value::BoolType:
	case Value::IntType:
		appendString(value, out);
		return true;
	case Value::DoubleType:
	{
		const double d = value.getDouble();
		if (!std::isfinite(d) || d == std::floor(d))
			return false;
		appendNumber(d, out);
		return true;
	}
	case Value::StringType:
		appendJsonString(value.getString(), out);
		return true;
	case Value::ArrayType:
	{
		out += '[';
		bool first = true;
		for (const Value& element : value.elements())
		{
			if (!first)
				out += ',';
			first = false;
			if (!appendJson(element, out, depth + 1))
				return false;
		}
		out += ']';
		return true;
	}
	case Value::ObjectType:
		return appendJsonObject(value, out, depth);
	}
	return false;
}

bool PropertyText::appendJsonObject(const Value& value, std::string& out, int depth)
{
	std::vector<std::pair<std::string_view, Value>> entries;
	for (const Entry& entry : value.entries())
		entries.emplace_back(entry.key, entry.value);
	std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
	out += '{';
	bool first = true;
	for (const auto& entry : entries)
	{
		if (!first)
			out += ',';
		first = false;
		appendJsonString(entry.first, out);
		out += ':';
		if (!appendJson(entry.second, out, depth + 1))
			return false;
	}
	out += '}';
	return true;
}

bool PropertyText::exactText(const Value& value, std::string& out)
{
	out.clear();
	if (value.isString())
	{
		out.assign(value.getString());
		return true;
	}
	return appendJson(value, out, 0);
}

void PropertyText::asciiLower(std::string& text) noexcept
{
	for (char& c : text)
	{
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	}
}

bool PropertyText::isAscii(std::string_view text) noexcept
{
	for (char c : text)
	{
		if (static_cast<unsigned char>(c) > 0x7f)
			return false;
	}
	return true;
}

std::string PropertyText::lower(std::string_view text)
{
	std::string result(text);
	if (isAscii(text))
		asciiLower(result);
	else
		Poco::UTF8::toLowerInPlace(result);
	return result;
}

bool PropertyText::parseFloat(std::string_view text, double& out) noexcept
{
	std::size_t i = 0;
	while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
		++i;
	const std::size_t start = i;
	if (i < text.size() && (text[i] == '+' || text[i] == '-'))
		++i;
	std::size_t digits = 0;
	while (i < text.size() && text[i] >= '0' && text[i] <= '9')
		++i, ++digits;
	if (i < text.size() && text[i] == '.')
	{
		++i;
		while (i < text.size() && text[i] >= '0' && text[i] <= '9')
			++i, ++digits;
	}
	if (digits == 0)
		return false;
	if (i < text.size() && (text[i] == 'e' || text[i] == 'E'))
	{
		std::size_t j = i + 1;
		if (j < text.size() && (text[j] == '+' || text[j] == '-'))
			++j;
		if (j < text.size() && text[j] >= '0' && text[j] <= '9')
		{
			while (j < text.size() && text[j] >= '0' && text[j] <= '9')
				++j;
			i = j;
		}
	}
	char buffer[64];
	std::string longText;
	const char* number = buffer;
	const std::size_t length = i - start;
	if (length < sizeof(buffer))
	{
		text.copy(buffer, length, start);
		buffer[length] = '\0';
	}
	else
	{
		longText.assign(text.substr(start, length));
		number = longText.c_str();
	}
	out = std::strtod(number, nullptr);
	return std::isfinite(out);
}

bool PropertyText::truthyOrFalsy(const Value& value) noexcept
{
	switch (value.type())
	{
	case Value::BoolType:
		return true;
	case Value::StringType:
		return equalsIgnoreCase(value.getString(), "true") || equalsIgnoreCase(value.getString(), "false");
	case Value::ArrayType:
		for (const Value& element : value.elements())
		{
			if (!truthyOrFalsy(element))
				return false;
		}
		return true;
	default:
		return false;
	}
}

bool PropertyText::truthy(const Value& value) noexcept
{
	switch (value.type())
	{
	case Value::BoolType:
		return value.getBool();
	case Value::StringType:
		return equalsIgnoreCase(value.getString(), "true");
	case Value::ArrayType:
		for (const Value& element : value.elements())
		{
			if (!truthy(element))
				return false;
		}
		return true;
	default:
		return false;
	}
}

} // namespace PostHog
