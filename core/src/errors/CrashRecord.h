//
// CrashRecord.h
//
// The file a fatal signal leaves behind, written without allocating and read on the next start.
//

#ifndef PostHog_CrashRecord_INCLUDED
#define PostHog_CrashRecord_INCLUDED

#include "PostHog/Array.h"
#include <cstdint>
#include <string>
#include <vector>

namespace PostHog
{

struct CrashRecord
/// One crash, as text:
///
///     posthog-crash 1
///     signal 11
///     time 1735689600123456      (microseconds since the epoch)
///     pc 0x55d0c2a01234          (one line a frame, innermost first)
///     maps                       (then /proc/self/maps of the crashed process, verbatim)
///
/// write() runs inside a signal handler: it uses only open/write/close/read and fixed buffers
/// (async-signal-safe). read() and frames() run on the next start: frames() finds each program
/// counter's module in the recorded map and, when the same file is mapped in this process,
/// names the function with dladdr at the corresponding address.
{
	static constexpr const char* kExtension = ".phcrash";
	static constexpr int kMaxFrames = 64;

	int signal = 0;
	std::int64_t timeMicros = 0;
	std::vector<std::uintptr_t> pcs;
	std::string maps;

	static bool write(const char* path, int signal, void* const* pcs, int count) noexcept;
	/// Creates path (O_EXCL) and writes the record. Async-signal-safe.

	static bool read(const std::string& path, CrashRecord& record, std::string& uuid);
	/// False for a file that is not a crash record. uuid: a name-based UUID of the file's
	/// content, the same every time the record is read.

	Array frames() const;
	/// PostHog frames, outermost first (see StackTrace::describe).

	static std::string signalName(int signal);
	/// "SIGSEGV" and so on; "SIG<n>" for others.
	static std::string signalDescription(int signal);
	/// "Segmentation fault" (strsignal).
};

} // namespace PostHog

#endif // PostHog_CrashRecord_INCLUDED
