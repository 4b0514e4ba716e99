//
// ConfigMap.cpp
//

#include "PostHog/ConfigMap.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Parser.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "PostHog/Exceptions.h"
#include <algorithm>

namespace PostHog
{

namespace
{

// The JSON array a JSONConfiguration returns for ["a", "b"], as its elements; false for any
// other text.
bool jsonArray(const std::string& text, std::vector<std::string>& out)
{
	if (text.empty() || text[0] != '[')
		return false;
	try
	{
		Poco::JSON::Parser parser;
		Poco::JSON::Array::Ptr array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
		for (std::size_t i = 0; i < array->size(); ++i)
			out.push_back(Poco::trim(array->get(static_cast<unsigned>(i)).toString()));
		return true;
	}
	catch (Poco::Exception&)
	{
		return false;
	}
}

std::size_t editDistance(const std::string& a, const std::string& b)
{
	std::vector<std::size_t> row(b.size() + 1);
	for (std::size_t j = 0; j <= b.size(); ++j)
		row[j] = j;
	for (std::size_t i = 1; i <= a.size(); ++i)
	{
		std::size_t diagonal = row[0];
		row[0] = i;
		for (std::size_t j = 1; j <= b.size(); ++j)
		{
			std::size_t above = row[j];
			bool same = Poco::Ascii::toLower(a[i - 1]) == Poco::Ascii::toLower(b[j - 1]);
			row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
			diagonal = above;
		}
	}
	return row[b.size()];
}

} // namespace

ConfigMap::ConfigMap(const Poco::Util::AbstractConfiguration& config, const OptionTable& table,
                     std::string prefix, std::string where)
    : _config(config), _table(table), _prefix(std::move(prefix)), _where(std::move(where))
{
}

const OptionSpec& ConfigMap::spec(const std::string& name) const
{
	for (const auto& s : _table)
	{
		if (s.name == name)
			return s;
	}
	throw Poco::NotFoundException("no option '" + name + "' is declared under '" + _prefix + "'");
}

std::string ConfigMap::key(const std::string& name) const
{
	return _prefix.empty() ? name : _prefix + "." + name;
}

bool ConfigMap::isSet(const std::string& name) const
{
	return _config.has(key(name));
}

std::string ConfigMap::raw(const std::string& name) const
{
	return _config.getString(key(name), spec(name).defaultValue);
}

std::string ConfigMap::checked(const std::string& name) const
{
	const OptionSpec& s = spec(name);
	std::string value = raw(name);
	if (_where.empty())
	{
		OptionSpec full(s);
		full.name = key(s.name);
		checkValue("", full, value);
	}
	else
		checkValue(_where, s, value);
	return value;
}

std::string ConfigMap::getString(const std::string& name) const
{
	return raw(name);
}

Poco::Int64 ConfigMap::getInt(const std::string& name) const
{
	std::string value = checked(name);
	Poco::Int64 n = 0;
	Poco::NumberParser::tryParse64(Poco::trim(value), n);
	return n;
}

double ConfigMap::getDouble(const std::string& name) const
{
	std::string value = checked(name);
	double d = 0;
	Poco::NumberParser::tryParseFloat(Poco::trim(value), d);
	return d;
}

bool ConfigMap::getBool(const std::string& name) const
{
	std::string value = checked(name);
	bool b = false;
	parseBool(value, b);
	return b;
}

std::string ConfigMap::getEnum(const std::string& name) const
{
	std::string value = checked(name);
	return Poco::toLower(Poco::trim(value));
}

Poco::Timespan ConfigMap::getMilliseconds(const std::string& name) const
{
	return Poco::Timespan(getInt(name) * Poco::Timespan::MILLISECONDS);
}

std::vector<std::string> ConfigMap::getList(const std::string& name, const std::string& separators) const
{
	return splitList(raw(name), separators);
}

ConfigMap::Pairs ConfigMap::getPairs(const std::string& name, const std::string& form) const
{
	std::string text = raw(name);
	std::string owner = _prefix.empty() ? "option '" + name + "'" : key(name);
	Pairs out;
	for (const auto& entry : splitList(text, ","))
	{
		std::size_t colon = entry.rfind(':');
		if (colon == std::string::npos)
			throw ConfigurationException(owner + " = '" + text + "': entry '" + entry + "' is not " + form);
		out.emplace_back(Poco::trim(entry.substr(0, colon)), Poco::trim(entry.substr(colon + 1)));
	}
	return out;
}

ConfigMap::Pairs ConfigMap::getPrefix(const std::string& name) const
{
	Pairs out;
	// Depth first, in key order: properties.a.b, properties.c. Only leaves count (JSONConfiguration
	// gives an object a value too: its JSON text).
	std::vector<std::pair<std::string, std::string>> pending{{key(name), ""}};
	while (!pending.empty())
	{
		auto next = pending.back();
		pending.pop_back();
		Poco::Util::AbstractConfiguration::Keys keys;
		_config.keys(next.first, keys);
		for (auto it = keys.rbegin(); it != keys.rend(); ++it)
			pending.emplace_back(next.first + "." + *it, next.second.empty() ? *it : next.second + "." + *it);
		if (!next.second.empty() && keys.empty() && _config.has(next.first))
			out.emplace_back(next.second, _config.getString(next.first));
	}
	return out;
}

bool ConfigMap::parseBool(const std::string& text, bool& value)
{
	std::string v = Poco::toLower(Poco::trim(text));
	if (v == "true" || v == "yes" || v == "on" || v == "1")
		value = true;
	else if (v == "false" || v == "no" || v == "off" || v == "0")
		value = false;
	else
		return false;
	return true;
}

std::vector<std::string> ConfigMap::splitList(const std::string& text, const std::string& separators)
{
	std::vector<std::string> out;
	std::vector<std::string> items;
	if (!jsonArray(Poco::trim(text), items))
	{
		Poco::StringTokenizer tok(text, separators,
		                          Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		items.assign(tok.begin(), tok.end());
	}
	for (auto& item : items)
	{
		if (!item.empty())
			out.push_back(std::move(item));
	}
	return out;
}

void ConfigMap::checkValue(const std::string& where, const OptionSpec& spec, const std::string& value)
{
	std::string v = Poco::trim(value);
	bool ok = true;
	switch (spec.type)
	{
	case OptionSpec::Int:
	{
		Poco::Int64 n;
		ok = Poco::NumberParser::tryParse64(v, n) && static_cast<double>(n) >= spec.min &&
		     static_cast<double>(n) <= spec.max;
		break;
	}
	case OptionSpec::Double:
	{
		double d;
		ok = Poco::NumberParser::tryParseFloat(v, d) && d >= spec.min && d <= spec.max;
		break;
	}
	case OptionSpec::Bool:
	{
		bool b;
		ok = parseBool(v, b);
		break;
	}
	case OptionSpec::Enum:
	{
		Poco::StringTokenizer choices(
		    spec.choices, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		ok = std::any_of(choices.begin(), choices.end(),
		                 [&](const std::string& c) { return Poco::icompare(c, v) == 0; });
		break;
	}
	default:
		break;
	}
	if (ok)
		return;
	if (where.empty())
		throw ConfigurationException(spec.name + " = '" + value + "' is not " + spec.expected());
	throw ConfigurationException(where + ": option '" + spec.name + "' = '" + value + "' is not " +
	                             spec.expected());
}

std::string ConfigMap::nearest(const std::string& word, const std::vector<std::string>& candidates)
{
	std::string best;
	std::size_t bestDistance = std::string::npos;
	for (const auto& c : candidates)
	{
		std::size_t d = editDistance(word, c);
		if (d < bestDistance)
		{
			bestDistance = d;
			best = c;
		}
	}
	// A likely misspelling: at most a third of the word's letters differ (at least 2 allowed).
	std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
	return bestDistance <= allowed ? best : std::string();
}

} // namespace PostHog
