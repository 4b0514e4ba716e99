//
// PluginList.cpp
//

#include "PluginList.h"
#include "Poco/NumberFormatter.h"
#include <algorithm>
#include <cmath>
#include <ostream>

namespace PostHogSend
{

namespace
{

std::string number(double v)
{
	if (std::floor(v) == v && std::fabs(v) < 1e15)
		return std::to_string(static_cast<long long>(v));
	return Poco::NumberFormatter::format(v);
}

std::string typeOf(const PostHog::OptionSpec& spec)
{
	std::string type = PostHog::OptionSpec::typeName(spec.type);
	if (spec.type == PostHog::OptionSpec::Enum)
		type += " (" + spec.choices + ")";
	else if ((spec.type == PostHog::OptionSpec::Int || spec.type == PostHog::OptionSpec::Double) &&
	         (std::isfinite(spec.min) || std::isfinite(spec.max)))
		type += " (" + (std::isfinite(spec.min) ? number(spec.min) : std::string("..")) + ".." +
		        (std::isfinite(spec.max) ? number(spec.max) : std::string("")) + ")";
	return type;
}

} // namespace

void PluginList::print(std::ostream& out, const std::vector<std::string>& directories,
                       const std::vector<PostHog::PluginCatalog::LibraryInfo>& libraries)
{
	out << "Plugin directories (searched in this order):\n";
	for (const auto& d : directories)
		out << "  " << d << "\n";
	std::size_t stages = 0;
	for (const auto& library : libraries)
	{
		out << "\n" << library.baseName << "  (" << library.path << ")\n";
		if (!library.shadowedBy.empty())
		{
			out << "  not loaded: " << library.shadowedBy << " comes first in the search path\n";
			continue;
		}
		if (!library.error.empty())
		{
			out << "  cannot be loaded: " << library.error << "\n";
			continue;
		}
		for (const auto& c : library.classes)
		{
			++stages;
			out << "  class " << c.className << ": stage kind '" << c.kind
			    << "', onError = " << (c.onError == PostHog::Middleware::OnError::Drop ? "drop" : "pass")
			    << " by default\n";
			out << "    posthog.pipeline.<stage>.library = " << library.baseName << "\n";
			out << "    posthog.pipeline.<stage>.class = " << c.className << "\n";
			if (c.options.empty())
			{
				out << "    (no options)\n";
				continue;
			}
			std::size_t nameWidth = 6, typeWidth = 4, defaultWidth = 7;
			for (const auto& o : c.options)
			{
				nameWidth =
				    std::max(nameWidth, o.name.size() + (o.type == PostHog::OptionSpec::Prefix ? 2 : 0));
				typeWidth = std::max(typeWidth, typeOf(o).size());
				defaultWidth = std::max(defaultWidth, o.defaultValue.empty() ? 2 : o.defaultValue.size() + 2);
			}
			auto pad = [](const std::string& s, std::size_t width)
			{ return s + std::string(width > s.size() ? width - s.size() : 0, ' '); };
			out << "    " << pad("option", nameWidth) << "  " << pad("type", typeWidth) << "  "
			    << pad("default", defaultWidth) << "  description\n";
			for (const auto& o : c.options)
			{
				std::string name = o.name + (o.type == PostHog::OptionSpec::Prefix ? ".*" : "");
				std::string deflt = "\"" + o.defaultValue + "\"";
				out << "    " << pad(name, nameWidth) << "  " << pad(typeOf(o), typeWidth) << "  "
				    << pad(deflt, defaultWidth) << "  " << o.description << "\n";
			}
		}
	}
	if (libraries.empty())
		out << "\nNo plugin libraries found.\n";
	else
		out << "\n" << stages << " loadable stage" << (stages == 1 ? "" : "s") << ".\n";
}

} // namespace PostHogSend
