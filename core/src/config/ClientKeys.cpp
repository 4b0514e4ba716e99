//
// ClientKeys.cpp
//
// The one list of the client's configuration sections. A subsystem adds its keys here with
// one line (see ClientKeys.h).
//

#include "PostHog/ClientKeys.h"
#include "Poco/String.h"
#include "PostHog/Exceptions.h"
#include "config/ClientOptionTables.h"
#include "errors/ExceptionOptions.h"
#include "flags/FlagsOptions.h"
#include "logs/LogOptions.h"

namespace PostHog
{

const std::vector<ClientKeys::Section>& ClientKeys::sections()
{
	static const std::vector<Section> all = {
	    {"posthog", "the client", ClientOptionTables::client()},
	    {"posthog.batch", "batching", ClientOptionTables::batch()},
	    {"posthog.queue", "the queue", ClientOptionTables::queue()},
	    {"posthog.http", "HTTP delivery", ClientOptionTables::http()},
	    {"posthog.spool", "the disk spool", ClientOptionTables::spool()},
	    {"posthog.pipeline", "the middleware pipeline", ClientOptionTables::pipeline()},
	    {"posthog.ndjson", "posthog-send's input bounds", ClientOptionTables::ndjson()},
	    {"posthog", "feature flags", FlagsOptions::table()},
	    {"posthog.exceptions", "error tracking", ExceptionOptions::table()},
	    {"posthog.logs", "PostHog Logs", LogOptions::table()},
	};
	return all;
}

OptionTable ClientKeys::table(const std::string& prefix)
{
	OptionTable out;
	for (const auto& section : sections())
	{
		if (section.prefix == prefix)
			out.insert(out.end(), section.options.begin(), section.options.end());
	}
	return out;
}

ConfigMap ClientKeys::read(const Poco::Util::AbstractConfiguration& config, const std::string& prefix)
{
	return ConfigMap(config, table(prefix), prefix);
}

OptionSpec ClientKeys::spec(const std::string& key)
{
	for (const auto& section : sections())
	{
		for (const auto& option : section.options)
		{
			if (section.prefix + "." + option.name == key)
			{
				OptionSpec full(option);
				full.name = key;
				return full;
			}
		}
	}
	throw Poco::NotFoundException("no configuration key " + key + " is declared");
}

std::vector<std::string> ClientKeys::names()
{
	std::vector<std::string> out;
	for (const auto& section : sections())
	{
		for (const auto& option : section.options)
			out.push_back(section.prefix + "." + option.name +
			              (option.type == OptionSpec::Prefix ? ".<name>" : ""));
	}
	return out;
}

namespace
{

// Every leaf key under prefix, as full dotted names. (JSONConfiguration gives an object a value
// too: its JSON text; only the keys inside it count.)
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& out)
{
	Poco::Util::AbstractConfiguration::Keys keys;
	config.keys(prefix, keys);
	for (const auto& k : keys)
	{
		std::string full = prefix + "." + k;
		Poco::Util::AbstractConfiguration::Keys sub;
		config.keys(full, sub);
		if (sub.empty())
			out.push_back(full);
		else
			collectKeys(config, full, out);
	}
}

bool isSectionPrefix(const std::string& key)
{
	for (const auto& section : ClientKeys::sections())
	{
		if (section.prefix == key)
			return true;
	}
	return false;
}

// True when a section declares key: a plain option, a sub-key of a Prefix option, or (for a
// configuration that ignores case, like IniFileConfiguration) a declared key that config finds
// under its declared spelling.
bool isDeclared(const Poco::Util::AbstractConfiguration& config, const std::string& key)
{
	for (const auto& section : ClientKeys::sections())
	{
		std::size_t n = section.prefix.size();
		if (key.size() <= n + 1 || key.compare(0, n, section.prefix) != 0 || key[n] != '.')
			continue;
		std::string rest = key.substr(n + 1);
		for (const auto& option : section.options)
		{
			if (rest == option.name)
				return true;
			if (option.type == OptionSpec::Prefix &&
			    rest.compare(0, option.name.size() + 1, option.name + ".") == 0)
				return true;
			if (Poco::icompare(rest, option.name) == 0 && config.has(section.prefix + "." + option.name))
				return true;
		}
	}
	return false;
}

} // namespace

void ClientKeys::check(const Poco::Util::AbstractConfiguration& config)
{
	std::vector<std::string> keys;
	collectKeys(config, "posthog", keys);
	for (const auto& key : keys)
	{
		if (isDeclared(config, key))
			continue;
		// An empty element that only opens a section (<batch/>) sets nothing.
		if (isSectionPrefix(key) && Poco::trim(config.getRawString(key, "")).empty())
			continue;
		// posthog.pipeline.<stage>.*: the stage's own options, checked by Pipeline::build().
		if (key.compare(0, 17, "posthog.pipeline.") == 0)
			continue;
		std::string hint = ConfigMap::nearest(key, names());
		throw ConfigurationException(key + " is not a configuration key; " +
		                             (hint.empty() ? std::string("posthog-send --list-options lists them all")
		                                           : "did you mean " + hint + "?"));
	}
}

} // namespace PostHog
