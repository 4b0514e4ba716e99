//
// WriteFaultShim.cpp
//
// An LD_PRELOAD library that makes write(2) fail on chosen files, for the storage fault tests.
//
// While the file named by POSTHOG_FAULT_CONTROL exists, every write() to a file whose path
// contains POSTHOG_FAULT_PATH fails with the errno named in POSTHOG_FAULT_ERRNO (EIO, EDQUOT,
// ENOSPC or EROFS; EIO when unset). With POSTHOG_FAULT_PARTIAL set, a write of more than one
// byte first writes half of what it was given, as a disk that fills mid-write does; the next
// write fails. Every other write goes to the C library unchanged.
//

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <unistd.h>

namespace
{

using WriteFunction = ssize_t (*)(int, const void*, size_t);

WriteFunction realWrite()
{
	static WriteFunction function = reinterpret_cast<WriteFunction>(dlsym(RTLD_NEXT, "write"));
	return function;
}

int configuredErrno()
{
	const char* name = std::getenv("POSTHOG_FAULT_ERRNO");
	if (!name || std::strcmp(name, "EIO") == 0)
		return EIO;
	if (std::strcmp(name, "EDQUOT") == 0)
		return EDQUOT;
	if (std::strcmp(name, "ENOSPC") == 0)
		return ENOSPC;
	if (std::strcmp(name, "EROFS") == 0)
		return EROFS;
	return EIO;
}

bool faulty(int fd)
{
	const char* control = std::getenv("POSTHOG_FAULT_CONTROL");
	const char* match = std::getenv("POSTHOG_FAULT_PATH");
	if (!control || !match || ::access(control, F_OK) != 0)
		return false;
	char link[64];
	char path[4096];
	std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = ::readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	return std::strstr(path, match) != nullptr;
}

thread_local bool partialDone = false;

} // namespace

extern "C" ssize_t write(int fd, const void* data, size_t length)
{
	if (!faulty(fd))
	{
		partialDone = false;
		return realWrite()(fd, data, length);
	}
	if (std::getenv("POSTHOG_FAULT_PARTIAL") && length > 1 && !partialDone)
	{
		partialDone = true;
		return realWrite()(fd, data, length / 2);
	}
	partialDone = false;
	errno = configuredErrno();
	return -1;
}
