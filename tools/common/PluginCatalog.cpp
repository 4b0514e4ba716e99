//
// PluginCatalog.cpp
//

#include "PluginCatalog.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/SharedLibrary.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Exceptions.h"
#include "PostHog/Pipeline.h"
#include "PostHog/PluginLibrary.h"
#include <algorithm>
#include <map>
#include <memory>

namespace PostHog
{

namespace
{

bool endsWith(const std::string& s, const std::string& suffix)
{
	return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

std::vector<std::string> PluginCatalog::directories(const Poco::Util::AbstractConfiguration& config)
{
	return Pipeline::pluginDirectories(config);
}

void PluginCatalog::loadClasses(LibraryInfo& info, const std::string& dir, bool allowInsecure)
{
	try
	{
		// One PluginLibrary per library: it unloads the library when it goes, after the
		// instances it created (destroyed at the end of each iteration below).
		PluginLibrary library(info.path, {dir}, allowInsecure);
		for (const auto& className : library.classNames())
		{
			std::unique_ptr<Middleware> instance = library.create(className);
			ClassInfo c;
			c.className = className;
			c.kind = instance->name();
			c.onError = instance->defaultOnError();
			c.options = instance->options();
			info.classes.push_back(std::move(c));
		}
	}
	catch (Poco::Exception& e)
	{
		info.classes.clear();
		info.error = e.message();
	}
	catch (std::exception& e)
	{
		info.classes.clear();
		info.error = e.what();
	}
}

std::vector<PluginCatalog::LibraryInfo> PluginCatalog::scan(const std::vector<std::string>& directories,
                                                            bool allowInsecure)
{
	const std::string suffix = Poco::SharedLibrary::suffix();
	std::vector<LibraryInfo> out;
	std::map<std::string, std::string> firstByName; // file name -> path of the first one found
	for (const auto& dir : directories)
	{
		std::vector<std::string> files;
		try
		{
			Poco::File d(dir);
			if (!d.exists() || !d.isDirectory())
				continue;
			for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
			{
				if (endsWith(it.name(), suffix) && it->isFile())
					files.push_back(it.name());
			}
		}
		catch (Poco::Exception&)
		{
			continue; // an unreadable directory lists nothing, as the loader would find nothing there
		}
		std::sort(files.begin(), files.end());
		for (const auto& name : files)
		{
			LibraryInfo info;
			info.path = Poco::Path(Poco::Path(dir).makeDirectory(), name).toString();
			info.baseName = name.substr(0, name.size() - suffix.size());
			if (info.baseName.compare(0, 3, "lib") == 0)
				info.baseName = info.baseName.substr(3);
			auto first = firstByName.emplace(name, info.path);
			if (!first.second)
			{
				info.shadowedBy = first.first->second;
				out.push_back(std::move(info));
				continue;
			}
			loadClasses(info, dir, allowInsecure);
			out.push_back(std::move(info));
		}
	}
	return out;
}

} // namespace PostHog
