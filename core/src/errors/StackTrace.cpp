//
// StackTrace.cpp
//

#include "errors/StackTrace.h"
#include "Poco/Mutex.h"
#include "Poco/Path.h"
#include "PostHog/Properties.h"
#include "errors/SourceContext.h"
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <unistd.h>
#ifdef POSTHOG_HAVE_LIBDW
#include <elfutils/libdwfl.h>
#endif

namespace PostHog
{

namespace
{

#ifdef POSTHOG_HAVE_LIBDW
// One DWARF session over this process's modules, for file and line (and names dladdr cannot
// see, such as static functions), built on first use and kept: building it reads every module's
// debug information. It is rebuilt when an address falls in no module it knows (a library
// loaded since). Lookups are serialised: libdwfl is not thread-safe.
class SourceLines
{
public:
	SourceLines() : _lock(mutex()) {}

	void annotate(std::uintptr_t pc, Properties& frame, bool& named, std::string& file, int& lineno)
	{
		Dwfl_Module* module = session() != nullptr ? dwfl_addrmodule(session(), pc) : nullptr;
		if (module == nullptr && !_refreshed)
		{
			_refreshed = true;
			reset();
			module = session() != nullptr ? dwfl_addrmodule(session(), pc) : nullptr;
		}
		if (module == nullptr)
			return;
		if (!named)
		{
			if (const char* name = dwfl_module_addrname(module, pc))
			{
				frame.set("function", StackTrace::demangle(name));
				named = true;
			}
		}
		Dwfl_Line* line = dwfl_module_getsrc(module, pc);
		const char* source =
		    line != nullptr ? dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr) : nullptr;
		if (source != nullptr && lineno > 0)
		{
			file = source;
			// A relative name (a compiler cache may make them so) is relative to the
			// compilation directory.
			const char* dir = source[0] != '/' ? dwfl_line_comp_dir(line) : nullptr;
			if (dir != nullptr && dir[0] == '/')
				file = Poco::Path(Poco::Path(dir).makeDirectory(), Poco::Path(source)).toString();
			frame.set("filename", file);
			frame.set("lineno", lineno);
		}
	}

private:
	static Poco::FastMutex& mutex()
	{
		static Poco::FastMutex m;
		return m;
	}
	static Dwfl*& slot()
	{
		static Dwfl* dwfl = nullptr;
		return dwfl;
	}
	static Dwfl* session()
	{
		Dwfl*& dwfl = slot();
		if (dwfl != nullptr)
			return dwfl;
		static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo,
		                                         nullptr, nullptr};
		dwfl = dwfl_begin(&callbacks);
		if (dwfl != nullptr &&
		    (dwfl_linux_proc_report(dwfl, ::getpid()) != 0 || dwfl_report_end(dwfl, nullptr, nullptr) != 0))
			reset();
		return dwfl;
	}
	static void reset()
	{
		if (slot() != nullptr)
			dwfl_end(slot());
		slot() = nullptr;
	}

	Poco::FastMutex::ScopedLock _lock;
	bool _refreshed = false;
};
#else
// Without libdw there is no file and line.
class SourceLines
{
public:
	void annotate(std::uintptr_t, Properties&, bool&, std::string&, int&) {}
};
#endif

} // namespace

__attribute__((noinline)) std::vector<std::uintptr_t> StackTrace::capture(const void* site)
{
	void* frames[kMaxFrames];
	int n = ::backtrace(frames, kMaxFrames);
	// The frames are cut by address, not by count: inlining decides how many library frames lie
	// between here and the entry point, and a sanitizer's backtrace() interceptor adds one.
	void* caller = __builtin_return_address(0);
	int first = n;
	int callerIndex = 1;
	for (int i = 0; i < n; ++i)
	{
		if (frames[i] == site)
		{
			first = i;
			break;
		}
		if (frames[i] == caller)
			callerIndex = i;
	}
	if (first == n)
		first = callerIndex;
	std::vector<std::uintptr_t> pcs;
	for (int i = first; i < n; ++i)
		pcs.push_back(reinterpret_cast<std::uintptr_t>(frames[i]));
	return pcs;
}

void StackTrace::prime()
{
	void* frames[4];
	::backtrace(frames, 4);
}

std::string StackTrace::demangle(const char* name)
{
	if (name == nullptr)
		return std::string();
	int status = 0;
	char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
	if (status != 0 || out == nullptr)
		return name;
	std::string result(out);
	std::free(out);
	return result;
}

bool StackTrace::isInApp(const std::string& module)
{
	std::string::size_type slash = module.rfind('/');
	std::string file = slash == std::string::npos ? module : module.substr(slash + 1);
	static const char* const runtime[] = {"libc.so",    "libc-",    "libstdc++", "libgcc_s",   "libm.so",
	                                      "libpthread", "ld-linux", "libPoco",   "libPostHog", "linux-vdso"};
	for (const char* prefix : runtime)
	{
		if (file.compare(0, std::strlen(prefix), prefix) == 0)
			return false;
	}
	return true;
}

std::string StackTrace::hex(std::uintptr_t value)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 + 2 * sizeof value];
	int n = 0;
	do
	{
		buf[sizeof buf - 1 - n++] = digits[value & 15];
		value >>= 4;
	} while (value != 0);
	return "0x" + std::string(buf + sizeof buf - n, static_cast<std::size_t>(n));
}

Array StackTrace::describe(const std::vector<std::uintptr_t>& innermostFirst, int contextLines)
{
	Array frames;
	SourceLines lines;
	for (auto it = innermostFirst.rbegin(); it != innermostFirst.rend(); ++it)
	{
		// A return address points after the call: look up the call instruction itself.
		std::uintptr_t pc = *it;
		Properties frame{{"platform", "custom"}, {"lang", "cpp"}, {"instruction_addr", hex(pc)}};
		Dl_info info;
		std::memset(&info, 0, sizeof info);
		std::string module;
		bool named = false;
		if (::dladdr(reinterpret_cast<void*>(pc > 0 ? pc - 1 : pc), &info) != 0)
		{
			if (info.dli_fname != nullptr)
				module = info.dli_fname;
			if (info.dli_fbase != nullptr)
				frame.set("image_addr", hex(reinterpret_cast<std::uintptr_t>(info.dli_fbase)));
			if (info.dli_sname != nullptr)
			{
				frame.set("function", demangle(info.dli_sname));
				named = true;
			}
		}
		std::string file;
		int lineno = 0;
		lines.annotate(pc > 0 ? pc - 1 : pc, frame, named, file, lineno);
		SourceContext::attach(frame, file, lineno, contextLines);
		if (!named)
			frame.set("function", "?");
		if (!module.empty())
			frame.set("module", module);
		frame.set("in_app", isInApp(module));
		frame.set("resolved", named);
		frames.add(frame);
	}
	return frames;
}

} // namespace PostHog
