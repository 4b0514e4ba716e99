//
// StageConfigurator.cpp
//

#include "pipeline/StageConfigurator.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Parser.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "Poco/Util/LayeredConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/Exceptions.h"
#include <functional>

namespace PostHog
{

namespace
{

const OptionSpec* findSpec(const OptionTable& table, const std::string& name)
{
	for (const auto& spec : table)
	{
		if (spec.name == name)
			return &spec;
	}
	return nullptr;
}

std::string knownOptions(const OptionTable& table)
{
	if (table.empty())
		return "this stage takes no options";
	std::string names;
	for (const auto& spec : table)
	{
		if (!names.empty())
			names += ", ";
		names += spec.name;
	}
	return "known options: " + names;
}

bool parseBool(const std::string& value, bool& result)
{
	std::string v = Poco::toLower(Poco::trim(value));
	if (v == "true" || v == "yes" || v == "on" || v == "1")
	{
		result = true;
		return true;
	}
	if (v == "false" || v == "no" || v == "off" || v == "0")
	{
		result = false;
		return true;
	}
	return false;
}

// Every leaf key of config under prefix (empty prefix: all), as full dotted names.
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& out)
{
	Poco::Util::AbstractConfiguration::Keys keys;
	config.keys(prefix, keys);
	for (const auto& k : keys)
	{
		std::string full = prefix.empty() ? k : prefix + "." + k;
		Poco::Util::AbstractConfiguration::Keys sub;
		config.keys(full, sub);
		if (sub.empty() || config.has(full))
			out.push_back(full);
		if (!sub.empty())
			collectKeys(config, full, out);
	}
}

} // namespace

std::string StageConfigurator::joinJsonArray(const std::string& value, const std::string& separator)
{
	std::string v = Poco::trim(value);
	if (v.empty() || v[0] != '[')
		return value;
	try
	{
		Poco::JSON::Parser parser;
		Poco::JSON::Array::Ptr array = parser.parse(v).extract<Poco::JSON::Array::Ptr>();
		std::string out;
		for (std::size_t i = 0; i < array->size(); ++i)
		{
			if (i)
				out += separator;
			out += array->get(static_cast<unsigned>(i)).toString();
		}
		return out;
	}
	catch (Poco::Exception&)
	{
		return value;
	}
}

bool StageConfigurator::isReservedKey(const std::string& key)
{
	return key == "library" || key == "class" || key == "onError";
}

void StageConfigurator::checkValue(const std::string& where, const OptionSpec& spec, const std::string& value)
{
	auto fail = [&]()
	{
		throw ConfigurationException(where + ": option '" + spec.name + "' = '" + value + "' is not " +
		                             spec.expected());
	};
	std::string v = Poco::trim(value);
	switch (spec.type)
	{
	case OptionSpec::Int:
	{
		Poco::Int64 n;
		if (!Poco::NumberParser::tryParse64(v, n) || static_cast<double>(n) < spec.min ||
		    static_cast<double>(n) > spec.max)
			fail();
		break;
	}
	case OptionSpec::Double:
	{
		double d;
		if (!Poco::NumberParser::tryParseFloat(v, d) || !(d >= spec.min && d <= spec.max))
			fail();
		break;
	}
	case OptionSpec::Bool:
	{
		bool b;
		if (!parseBool(v, b))
			fail();
		break;
	}
	case OptionSpec::Enum:
	{
		Poco::StringTokenizer choices(
		    spec.choices, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		bool ok = false;
		for (const auto& c : choices)
			ok = ok || Poco::icompare(c, v) == 0;
		if (!ok)
			fail();
		break;
	}
	default:
		break;
	}
}

Poco::AutoPtr<Poco::Util::AbstractConfiguration>
StageConfigurator::prepare(const std::string& stage, const OptionTable& table,
                           const Poco::Util::AbstractConfiguration::Ptr& stageConfig)
{
	std::string where = "stage '" + stage + "'";
	std::vector<std::string> keys;
	collectKeys(*stageConfig, "", keys);
	for (const auto& key : keys)
	{
		std::string head = key.substr(0, key.find('.'));
		if (isReservedKey(key))
			continue;
		const OptionSpec* spec = findSpec(table, head);
		if (spec && spec->type == OptionSpec::Prefix)
			continue;
		std::string name = key;
		std::string hint;
		if (!spec && head == key)
		{
			// A configuration that ignores case (IniFileConfiguration) lists keys as written
			// but answers to any spelling: a key that differs from a declared name only in
			// case is that option when the configuration finds it under the declared name.
			// Elsewhere it is unknown, with a hint.
			bool reserved = false;
			for (const char* r : {"library", "class", "onError"})
				reserved = reserved || (Poco::icompare(key, std::string(r)) == 0 && stageConfig->has(r));
			if (reserved)
				continue;
			for (const auto& candidate : table)
			{
				if (candidate.type == OptionSpec::Prefix || Poco::icompare(candidate.name, key) != 0)
					continue;
				if (stageConfig->has(candidate.name))
				{
					spec = &candidate;
					name = candidate.name;
				}
				else
					hint = "did you mean '" + candidate.name + "'? ";
			}
		}
		if (!spec || head != key)
		{
			std::string value = stageConfig->has(key) ? stageConfig->getRawString(key, "") : "";
			throw ConfigurationException(where + ": unknown option '" + key + "' = '" + value + "' (" + hint +
			                             knownOptions(table) + ")");
		}
		checkValue(where, *spec, stageConfig->getString(name));
	}

	Poco::AutoPtr<Poco::Util::MapConfiguration> defaults = new Poco::Util::MapConfiguration;
	Poco::AutoPtr<Poco::Util::MapConfiguration> lists = new Poco::Util::MapConfiguration;
	for (const auto& spec : table)
	{
		if (spec.type != OptionSpec::Prefix)
			defaults->setString(spec.name, spec.defaultValue);
		// A JSON array (JSONConfiguration) reaches the stage as the comma-separated list the
		// other formats give.
		if (spec.type == OptionSpec::List && stageConfig->has(spec.name))
		{
			std::string raw = stageConfig->getRawString(spec.name);
			std::string joined = joinJsonArray(raw, ", ");
			if (joined != raw)
				lists->setString(spec.name, joined);
		}
	}
	Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered = new Poco::Util::LayeredConfiguration;
	layered->add(Poco::Util::AbstractConfiguration::Ptr(lists.get(), true), -100);
	layered->add(stageConfig, 0);
	layered->add(Poco::Util::AbstractConfiguration::Ptr(defaults.get(), true), 100);
	return Poco::AutoPtr<Poco::Util::AbstractConfiguration>(layered.get(), true);
}

} // namespace PostHog
