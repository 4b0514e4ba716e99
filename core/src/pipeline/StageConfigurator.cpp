//
// StageConfigurator.cpp
//

#include "pipeline/StageConfigurator.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "Poco/Util/LayeredConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/ConfigMap.h"
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

bool StageConfigurator::isReservedKey(const std::string& key)
{
	return key == "library" || key == "class" || key == "onError";
}

void StageConfigurator::checkKeys(const std::string& where, const OptionTable& table,
                                  const Poco::Util::AbstractConfiguration::Ptr& stageConfig)
{
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
		ConfigMap::checkValue(where, *spec, stageConfig->getString(name));
	}
}

Poco::AutoPtr<Poco::Util::AbstractConfiguration>
StageConfigurator::prepare(const std::string& stage, const OptionTable& table,
                           const Poco::Util::AbstractConfiguration::Ptr& stageConfig)
{
	std::string where = "stage '" + stage + "'";
	checkKeys(where, table, stageConfig);
	Poco::AutoPtr<Poco::Util::MapConfiguration> defaults = new Poco::Util::MapConfiguration;
	Poco::AutoPtr<Poco::Util::MapConfiguration> lists = new Poco::Util::MapConfiguration;
	for (const auto& spec : table)
	{
		if (spec.required && Poco::trim(stageConfig->getString(spec.name, "")).empty())
			throw ConfigurationException(where + ": option '" + spec.name + "' is required (" +
			                             spec.description + ") but not set");
		if (spec.type != OptionSpec::Prefix)
			defaults->setString(spec.name, spec.defaultValue);
		// A JSON array (JSONConfiguration) reaches the stage as the comma-separated list the
		// other formats give.
		if (spec.type == OptionSpec::List && stageConfig->has(spec.name))
		{
			std::string raw = stageConfig->getRawString(spec.name);
			std::vector<std::string> items = ConfigMap::splitList(raw);
			if (Poco::trimLeft(raw).compare(0, 1, "[") == 0)
				lists->setString(spec.name, Poco::cat(std::string(", "), items.begin(), items.end()));
		}
	}
	Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered = new Poco::Util::LayeredConfiguration;
	layered->add(Poco::Util::AbstractConfiguration::Ptr(lists.get(), true), -100);
	layered->add(stageConfig, 0);
	layered->add(Poco::Util::AbstractConfiguration::Ptr(defaults.get(), true), 100);
	return Poco::AutoPtr<Poco::Util::AbstractConfiguration>(layered.get(), true);
}

} // namespace PostHog
