//
// SpoolFile.h
//
// POSIX file calls of the spool.
//

#ifndef PostHog_SpoolFile_INCLUDED
#define PostHog_SpoolFile_INCLUDED

#include <cstddef>
#include <cstdint>
#include <string>

namespace PostHog
{

class SpoolFile
/// The few POSIX calls the spool needs where Poco has no equivalent (positioned reads, writes
/// that report how far they got, fdatasync, ftruncate), retried on EINTR. Stateless.
{
public:
	static bool writeAll(int fd, const char* data, std::size_t length);
	/// Writes everything or returns false with errno set (a prefix may have been written).

	static std::size_t write(int fd, const char* data, std::size_t length, int& error);
	/// Writes as much as it can; returns the bytes written and sets error (0 when all were).

	static bool readAt(int fd, std::string& out, std::size_t length, std::uint64_t offset);
	/// Reads length bytes at offset into out (resized to what was read); false when fewer.

	static bool readFile(const std::string& path, std::string& out);
	/// The whole file; false (errno set) when it cannot be opened.

	static void sync(int fd);
	/// fdatasync, when fd is open.

	static void syncDirectory(const std::string& path);
	/// fsync of a directory, so entries created in it survive a crash.

	static std::string errorText(int error);
	/// strerror.
};

} // namespace PostHog

#endif // PostHog_SpoolFile_INCLUDED
