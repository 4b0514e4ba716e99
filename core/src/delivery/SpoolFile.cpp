//
// SpoolFile.cpp
//

#include "delivery/SpoolFile.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace PostHog
{

std::size_t SpoolFile::write(int fd, const char* data, std::size_t length, int& error)
{
	std::size_t done = 0;
	error = 0;
	while (done < length)
	{
		ssize_t n = ::write(fd, data + done, length - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
		{
			error = n < 0 ? errno : ENOSPC;
			break;
		}
		done += static_cast<std::size_t>(n);
	}
	return done;
}

bool SpoolFile::writeAll(int fd, const char* data, std::size_t length)
{
	int error;
	bool ok = write(fd, data, length, error) == length;
	if (!ok)
		errno = error;
	return ok;
}

bool SpoolFile::readAt(int fd, std::string& out, std::size_t length, std::uint64_t offset)
{
	out.resize(length);
	std::size_t done = 0;
	while (done < length)
	{
		ssize_t n = ::pread(fd, &out[done], length - done, static_cast<off_t>(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += static_cast<std::size_t>(n);
	}
	out.resize(done);
	return done == length;
}

bool SpoolFile::readFile(const std::string& path, std::string& out)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = ::fstat(fd, &st) == 0;
	if (ok)
		readAt(fd, out, static_cast<std::size_t>(st.st_size), 0);
	int error = errno;
	::close(fd);
	errno = error;
	return ok;
}

void SpoolFile::sync(int fd)
{
	if (fd >= 0)
		::fdatasync(fd);
}

void SpoolFile::syncDirectory(const std::string& path)
{
	int dir = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0)
	{
		::fsync(dir);
		::close(dir);
	}
}

std::string SpoolFile::errorText(int error)
{
	return std::strerror(error);
}

} // namespace PostHog
