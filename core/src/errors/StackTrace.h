//
// StackTrace.h
//
// The frames of the calling thread, symbolised with dladdr and the C++ demangler.
//

#ifndef PostHog_StackTrace_INCLUDED
#define PostHog_StackTrace_INCLUDED

#include "PostHog/Array.h"
#include <cstdint>
#include <string>
#include <vector>

namespace PostHog
{

class StackTrace
/// Captures and describes native stacks. capture() reads the program counters of the calling
/// thread with backtrace() (glibc's unwinder); describe() turns program counters into PostHog
/// frames: function (demangled with abi::__cxa_demangle), module (the shared object or
/// executable), instruction_addr, and in_app, which is false for frames in libc, libstdc++,
/// libgcc, Poco and posthog-cpp itself. Function names come from the dynamic symbol table, so a
/// function of the executable is named only when it is linked with -rdynamic. When the library
/// is built with libdw (Debian libdw-dev, found at configure time), DWARF adds filename and
/// lineno and names the functions dladdr cannot see. Frames are ordered entry point first, the capture
/// site last, as the $exception_list format expects.
///
/// Symbolising (dladdr, demangling) is the expensive part; it is paid only when an exception
/// is captured, never on the event path.
{
public:
	static constexpr int kMaxFrames = 64;

	static std::vector<std::uintptr_t> capture(const void* site);
	/// The program counters of the calling thread, innermost first, from the frame that site
	/// returns into: a library entry point passes its own __builtin_return_address(0), so the
	/// stack starts at its caller however many library frames lie between. When no frame
	/// matches, every frame from capture()'s caller on.

	static Array describe(const std::vector<std::uintptr_t>& innermostFirst, int contextLines = 0);
	/// PostHog frames, outermost (entry point) first; with contextLines > 0, a frame whose file
	/// and line are known and whose source file is readable also gets that many lines of source
	/// around its line (see SourceContext).

	static std::string demangle(const char* name);
	/// abi::__cxa_demangle, or name itself when it is not a mangled C++ name.

	static bool isInApp(const std::string& module);
	/// false for the C and C++ runtimes, Poco and posthog-cpp (by the module's file name).

	static void prime();
	/// Calls backtrace() once, so that the unwinder is loaded before a signal handler needs it.

	static std::string hex(std::uintptr_t value);
	/// "0x" and lower-case hex digits.
};

} // namespace PostHog

#endif // PostHog_StackTrace_INCLUDED
