//
// PluginList.cpp
//

#include "PluginList.h"
#include "Poco/NumberFormatter.h"
#include "PostHog/ClientKeys.h"
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

void PluginList::printOption(std::ostream& out, const PostHog::OptionSpec& spec, const std::string& prefix,
                             const std::string& indent)
{
	std::string name = prefix + spec.name + (spec.type == PostHog::OptionSpec::Prefix ? ".<name>" : "");
	out << indent << name << "  " << typeOf(spec);
	if (spec.required)
		out << ", required";
	else if (spec.type != PostHog::OptionSpec::Prefix)
		out << ", default \"" << spec.defaultValue << "\"";
	out << "\n" << indent << "    " << spec.description << "\n";
}

void PluginList::printKeys(std::ostream& out)
{
	for (const auto& section : PostHog::ClientKeys::sections())
	{
		out << section.prefix << ".*: " << section.title << "\n";
		for (const auto& o : section.options)
			printOption(out, o, section.prefix + ".", "  ");
		out << "\n";
	}
	out << "posthog.pipeline.<stage>.*: a stage's options (see --list-plugins), and library, class, "
	       "onError\n";
}

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
			for (const auto& o : c.options)
				printOption(out, o, "", "    ");
		}
	}
	if (libraries.empty())
		out << "\nNo plugin libraries found.\n";
	else
		out << "\n" << stages << " loadable stage" << (stages == 1 ? "" : "s") << ".\n";
}

} // namespace PostHogSend
