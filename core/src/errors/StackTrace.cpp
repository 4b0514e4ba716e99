//
// StackTrace.cpp
//

#include "errors/StackTrace.h"
#include "PostHog/Properties.h"
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>

namespace PostHog
{

std::vector<std::uintptr_t> StackTrace::capture(int skip)
{
	void* frames[kMaxFrames];
	int n = ::backtrace(frames, kMaxFrames);
	std::vector<std::uintptr_t> pcs;
	for (int i = 1 + skip; i < n; ++i)
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

Array StackTrace::describe(const std::vector<std::uintptr_t>& innermostFirst)
{
	Array frames;
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
