//
// SharedFileCache.cpp
//

#include "flags/SharedFileCache.h"
#include "Poco/File.h"
#include "Poco/Process.h"
#include "Poco/Timestamp.h"
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace PostHog
{

FlagDefinitionsCache::~FlagDefinitionsCache() = default;

SharedFileCache::SharedFileCache(std::string path, Poco::Timespan maxAge)
    : _path(std::move(path)), _maxAge(maxAge)
{
}

SharedFileCache::~SharedFileCache()
{
	release();
}

bool SharedFileCache::load(Entry& entry)
{
	std::ifstream in(_path, std::ios::binary);
	if (!in)
		return false;
	std::string header, etag;
	if (!std::getline(in, header) || header != kHeader || !std::getline(in, etag))
		return false;
	std::ostringstream body;
	body << in.rdbuf();
	entry.definitions = body.str();
	entry.etag = etag;
	entry.version = version();
	return !entry.definitions.empty();
}

std::string SharedFileCache::version()
{
	struct stat st;
	if (::stat(_path.c_str(), &st) != 0)
		return std::string();
	return std::to_string(static_cast<long long>(st.st_mtim.tv_sec)) + "." +
	       std::to_string(static_cast<long long>(st.st_mtim.tv_nsec)) + ":" +
	       std::to_string(static_cast<long long>(st.st_size)) + ":" +
	       std::to_string(static_cast<long long>(st.st_ino));
}

bool SharedFileCache::shouldFetch()
{
	if (_lockFd < 0)
	{
		_lockFd = ::open((_path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (_lockFd < 0)
			return false;
	}
	if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0)
		return false;
	struct stat st;
	if (::stat(_path.c_str(), &st) == 0)
	{
		Poco::Timestamp modified = Poco::Timestamp::fromEpochTime(st.st_mtim.tv_sec) +
		                           static_cast<Poco::Timestamp::TimeDiff>(st.st_mtim.tv_nsec / 1000);
		// Fresh enough: someone fetched within the interval (a little slack for timer drift).
		if (Poco::Timestamp() - modified < _maxAge.totalMicroseconds() * 9 / 10)
		{
			::flock(_lockFd, LOCK_UN);
			return false;
		}
	}
	return true;
}

void SharedFileCache::store(const Entry& entry)
{
	std::string temp = _path + ".tmp." + std::to_string(Poco::Process::id());
	{
		std::ofstream out(temp, std::ios::binary | std::ios::trunc);
		out << kHeader << '\n' << entry.etag << '\n' << entry.definitions;
		if (!out.flush())
		{
			::unlink(temp.c_str());
			return;
		}
	}
	if (::rename(temp.c_str(), _path.c_str()) != 0)
		::unlink(temp.c_str());
}

void SharedFileCache::clear()
{
	::unlink(_path.c_str());
}

void SharedFileCache::release()
{
	if (_lockFd >= 0)
	{
		::flock(_lockFd, LOCK_UN);
		::close(_lockFd);
		_lockFd = -1;
	}
}

} // namespace PostHog
