//
// PluginDocs.cpp
//

#include "PluginDocs.h"
#include "Poco/Environment.h"
#include "Poco/FileStream.h"
#include "Poco/NumberFormatter.h"
#include "Poco/String.h"
#include <cmath>

namespace PostHogTest
{

namespace
{

std::string bound(double v)
{
	if (std::floor(v) == v && std::fabs(v) < 1e15)
		return Poco::NumberFormatter::format(static_cast<Poco::Int64>(v));
	return Poco::NumberFormatter::format(v);
}

} // namespace

std::string PluginDocs::optionRow(const PostHog::OptionSpec& spec)
{
	std::string type = PostHog::OptionSpec::typeName(spec.type);
	if (spec.type == PostHog::OptionSpec::Enum)
		type += " (" + Poco::replace(spec.choices, ",", ", ") + ")";
	if ((spec.type == PostHog::OptionSpec::Int || spec.type == PostHog::OptionSpec::Double) &&
	    std::isfinite(spec.min) && std::isfinite(spec.max))
		type += " " + bound(spec.min) + ".." + bound(spec.max);
	std::string name = spec.type == PostHog::OptionSpec::Prefix ? spec.name + ".<name>" : spec.name;
	std::string value = spec.required               ? "(required)"
	                    : spec.defaultValue.empty() ? "(empty)"
	                                                : "`" + spec.defaultValue + "`";
	// Markdown would take <event> for an HTML tag.
	std::string description = Poco::replace(Poco::replace(spec.description, "<", "&lt;"), ">", "&gt;");
	return "| `" + name + "` | " + type + " | " + value + " | " + description + " |";
}

std::string PluginDocs::missingRows(const std::string& plugin, const std::vector<std::string>& rows)
{
	std::string text = section(plugin);
	if (text.empty())
		return "README.md has no '### " + plugin + "' section\n";
	std::string missing;
	for (const auto& row : rows)
	{
		if (text.find(row + "\n") == std::string::npos)
			missing += row + "\n";
	}
	return missing;
}

std::string PluginDocs::section(const std::string& plugin)
{
	std::string root = Poco::Environment::get("POSTHOG_SOURCE_DIR", POSTHOG_TEST_SOURCE_DIR);
	Poco::FileInputStream in(root + "/README.md");
	std::string line, text;
	bool inside = false;
	while (std::getline(in, line))
	{
		bool heading3 = line.compare(0, 4, "### ") == 0;
		bool heading2 = line.compare(0, 3, "## ") == 0;
		if (heading2 || heading3)
		{
			if (inside)
				break;
			inside = heading3 && Poco::trim(line.substr(4)) == plugin;
		}
		if (inside)
			text += line + "\n";
	}
	return text;
}

} // namespace PostHogTest
