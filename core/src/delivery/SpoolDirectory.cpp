//
// SpoolDirectory.cpp
//

#include "delivery/SpoolDirectory.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/Logger.h"
#include "Poco/NumberFormatter.h"
#include "Poco/NumberParser.h"
#include "Poco/Path.h"
#include "PostHog/Exceptions.h"
#include "delivery/SpoolFile.h"
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace PostHog
{

SpoolDirectory::SpoolDirectory(std::string path, Poco::Logger& logger) : _path(std::move(path))
{
	create(logger);
	lock();
}

SpoolDirectory::~SpoolDirectory()
{
	unlock();
}

void SpoolDirectory::create(Poco::Logger& logger)
{
	Poco::Path path(_path);
	path.makeDirectory();
	// Create each missing level owner-only (Poco::File::createDirectories would use 0777 & umask).
	std::string current = path.isAbsolute() ? "/" : "";
	for (int i = 0; i < path.depth(); ++i)
	{
		current += path[i] + "/";
		if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST)
			throw ConfigurationException("posthog.spool.path = '" + _path + "' cannot be created: " +
			                             current + ": " + SpoolFile::errorText(errno));
	}
	struct stat st;
	if (::stat(_path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
		throw ConfigurationException("posthog.spool.path = '" + _path + "' is not a directory");
	if (st.st_mode & 077)
		logger.warning("the spool directory " + _path +
		               " is readable by other users; spooled events may contain personal data");
}

void SpoolDirectory::lock()
{
	std::string lockPath = Poco::Path(_path, "lock").toString();
	_lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (_lockFd < 0)
		throw ConfigurationException("posthog.spool.path = '" + _path + "': cannot open " + lockPath + ": " +
		                             SpoolFile::errorText(errno));
	if (::flock(_lockFd, LOCK_EX | LOCK_NB) != 0)
	{
		int err = errno;
		std::string holder;
		SpoolFile::readAt(_lockFd, holder, 32, 0);
		while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0'))
			holder.pop_back();
		::close(_lockFd);
		_lockFd = -1;
		if (err == EWOULDBLOCK)
			throw ConfigurationException("posthog.spool.path = '" + _path +
			                             "' is in use by another live process" +
			                             (holder.empty() ? std::string() : " (pid " + holder + ")") +
			                             "; give each client its own spool directory");
		throw ConfigurationException("posthog.spool.path = '" + _path +
		                             "' cannot be locked: " + SpoolFile::errorText(err));
	}
	std::string pid = std::to_string(::getpid()) + "\n";
	if (::ftruncate(_lockFd, 0) == 0)
		(void)!::pwrite(_lockFd, pid.data(), pid.size(), 0);
}

std::vector<std::uint64_t> SpoolDirectory::segmentIds() const
{
	std::vector<std::uint64_t> ids;
	for (Poco::DirectoryIterator it(_path), end; it != end; ++it)
	{
		const std::string& name = it.name();
		if (name.size() != 4 + 16 + 4 || name.compare(0, 4, "seg-") != 0 || name.compare(20, 4, ".log") != 0)
			continue;
		Poco::UInt64 id;
		if (Poco::NumberParser::tryParseUnsigned64(name.substr(4, 16), id))
			ids.push_back(id);
	}
	std::sort(ids.begin(), ids.end());
	return ids;
}

std::string SpoolDirectory::segmentFile(std::uint64_t id, const char* extension) const
{
	return Poco::Path(_path, "seg-" + Poco::NumberFormatter::format0(id, 16) + extension).toString();
}

void SpoolDirectory::unlock()
{
	if (_lockFd >= 0)
	{
		::flock(_lockFd, LOCK_UN);
		::close(_lockFd);
		_lockFd = -1;
	}
}

void SpoolDirectory::recreate(Poco::Logger& logger)
{
	struct stat st;
	if (::stat(_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
		return;
	create(logger);
	detach(); // the old lock file went with the directory
	lock();
}

void SpoolDirectory::detach()
{
	if (_lockFd >= 0)
		::close(_lockFd);
	_lockFd = -1;
}

} // namespace PostHog
