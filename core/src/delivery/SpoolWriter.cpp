//
// SpoolWriter.cpp
//

#include "delivery/SpoolWriter.h"
#include "delivery/SpoolFile.h"
#include "delivery/SpoolRecord.h"
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace PostHog
{

SpoolWriter::SpoolWriter(ClientOptions::SpoolFsync fsync, Poco::Timespan interval)
    : _fsync(fsync), _interval(interval)
{
}

SpoolWriter::~SpoolWriter()
{
	close(false);
}

bool SpoolWriter::open(const std::string& file, int& error)
{
	int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
	{
		error = errno;
		return false;
	}
	_fd = fd;
	_buffer.assign(SpoolRecord::kMagic, SpoolRecord::kMagicBytes);
	if (_fsync == ClientOptions::SpoolFsync::Batch)
	{
		auto slash = file.rfind('/');
		SpoolFile::syncDirectory(slash == std::string::npos ? "."
		                                                    : file.substr(0, slash)); // the new entry too
	}
	return true;
}

void SpoolWriter::add(const char* data, std::size_t length)
{
	SpoolRecord::encode(_buffer, data, length);
}

bool SpoolWriter::flush(std::uint64_t fileBytes, int& error)
{
	error = 0;
	if (_fd < 0)
	{
		error = EBADF;
		return false;
	}
	if (_buffer.empty())
		return true;
	std::size_t written = SpoolFile::write(_fd, _buffer.data(), _buffer.size(), error);
	struct stat st;
	if (error == 0 && ::fstat(_fd, &st) == 0 && st.st_nlink == 0)
		error = ENOENT;
	if (error != 0)
	{
		if (written > 0 && ::ftruncate(_fd, static_cast<off_t>(fileBytes)) != 0)
		{
			// Cannot cut back: the tail is torn, and recovery reads past it (see SpoolRecord::resync).
		}
		return false;
	}
	_buffer.clear();
	_dirty = true;
	return true;
}

int SpoolWriter::syncDue()
{
	if (!_dirty || _fd < 0 || _fsync == ClientOptions::SpoolFsync::Never)
		return -1;
	Poco::Timestamp now;
	if (_fsync == ClientOptions::SpoolFsync::Interval && now - _lastSync < _interval.totalMicroseconds())
		return -1;
	_dirty = false;
	_lastSync = now;
	return _fd;
}

void SpoolWriter::discard(bool keepHeader)
{
	_buffer.clear();
	if (keepHeader)
		_buffer.assign(SpoolRecord::kMagic, SpoolRecord::kMagicBytes);
}

void SpoolWriter::close(bool sync)
{
	if (_fd < 0)
		return;
	if (sync && _fsync != ClientOptions::SpoolFsync::Never)
		SpoolFile::sync(_fd);
	::close(_fd);
	_fd = -1;
	_dirty = false;
}

void SpoolWriter::detach()
{
	if (_fd >= 0)
		::close(_fd);
	_fd = -1;
	_buffer.clear();
}

} // namespace PostHog
