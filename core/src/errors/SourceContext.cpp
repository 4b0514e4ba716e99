//
// SourceContext.cpp
//

#include "errors/SourceContext.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/Mutex.h"
#include "PostHog/Array.h"
#include <map>

namespace PostHog
{

namespace
{

Poco::FastMutex& cacheMutex()
{
	static Poco::FastMutex* const mutex = new Poco::FastMutex; // never destroyed, as the cache
	return *mutex;
}

} // namespace

std::shared_ptr<const SourceContext::Lines> SourceContext::read(const std::string& path)
{
	try
	{
		Poco::File file(path);
		if (!file.exists() || !file.isFile() || file.getSize() > kMaxFileBytes)
			return nullptr;
		Poco::FileInputStream in(path);
		auto lines = std::make_shared<Lines>();
		std::string line;
		while (std::getline(in, line))
		{
			if (!line.empty() && line.back() == '\r')
				line.pop_back();
			if (line.size() > kMaxLineBytes)
				line.resize(kMaxLineBytes);
			lines->push_back(line);
		}
		return lines;
	}
	catch (const Poco::Exception&)
	{
		return nullptr;
	}
}

std::shared_ptr<const SourceContext::Lines> SourceContext::lines(const std::string& path)
{
	// Never destroyed: an exception may be captured while static objects are being destroyed.
	static auto* const files = new std::map<std::string, std::shared_ptr<const Lines>>;
	auto& cache = *files;
	{
		Poco::FastMutex::ScopedLock lock(cacheMutex());
		auto it = cache.find(path);
		if (it != cache.end())
			return it->second;
	}
	std::shared_ptr<const Lines> lines = read(path); // outside the lock: a slow disk blocks no other capture
	Poco::FastMutex::ScopedLock lock(cacheMutex());
	if (cache.size() >= kMaxFiles)
		cache.clear();
	cache.emplace(path, lines); // an unreadable file is remembered too (null)
	return lines;
}

void SourceContext::attach(Properties& frame, const std::string& path, int lineno, int window)
{
	if (window <= 0 || lineno <= 0 || path.empty())
		return;
	std::shared_ptr<const Lines> file = lines(path);
	const std::size_t index = static_cast<std::size_t>(lineno) - 1;
	if (!file || index >= file->size())
		return;
	const std::size_t span = static_cast<std::size_t>(window);
	Array pre;
	for (std::size_t i = index > span ? index - span : 0; i < index; ++i)
		pre.add((*file)[i]);
	Array post;
	for (std::size_t i = index + 1; i < file->size() && i <= index + span; ++i)
		post.add((*file)[i]);
	frame.set("context_line", (*file)[index]);
	frame.set("pre_context", pre);
	frame.set("post_context", post);
}

} // namespace PostHog
