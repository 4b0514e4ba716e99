//
// CrashRecord.cpp
//

#include "errors/CrashRecord.h"
#include "Poco/FileStream.h"
#include "Poco/NumberParser.h"
#include "Poco/StreamCopier.h"
#include "Poco/UUIDGenerator.h"
#include "PostHog/Properties.h"
#include "errors/StackTrace.h"
#include <csignal>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <sstream>
#include <sys/time.h>
#include <unistd.h>

namespace PostHog
{

namespace
{

// Fixed-buffer formatting for the signal handler: no allocation, no locale, no stdio.
struct RawWriter
{
	int fd;
	char buf[512];
	std::size_t used = 0;

	void flush() noexcept
	{
		std::size_t done = 0;
		while (done < used)
		{
			ssize_t n = ::write(fd, buf + done, used - done);
			if (n <= 0)
				break;
			done += static_cast<std::size_t>(n);
		}
		used = 0;
	}
	void put(const char* s, std::size_t n) noexcept
	{
		for (std::size_t i = 0; i < n; ++i)
		{
			if (used == sizeof buf)
				flush();
			buf[used++] = s[i];
		}
	}
	void text(const char* s) noexcept { put(s, std::strlen(s)); }
	void number(std::uint64_t v, unsigned base) noexcept
	{
		char digits[24];
		int n = 0;
		do
		{
			digits[n++] = "0123456789abcdef"[v % base];
			v /= base;
		} while (v != 0);
		while (n > 0)
			put(&digits[--n], 1);
	}
};

struct Mapping
{
	std::uintptr_t start = 0, end = 0, offset = 0;
	std::string path;
};

std::vector<Mapping> parseMaps(const std::string& maps)
{
	std::vector<Mapping> result;
	std::istringstream in(maps);
	std::string line;
	while (std::getline(in, line))
	{
		std::istringstream fields(line);
		std::string range, perms, offset, dev, inode, path;
		fields >> range >> perms >> offset >> dev >> inode;
		std::getline(fields >> std::ws, path);
		std::string::size_type dash = range.find('-');
		Poco::UInt64 s = 0, e = 0, o = 0;
		if (dash == std::string::npos || path.empty() || path[0] != '/' ||
		    !Poco::NumberParser::tryParseHex64(range.substr(0, dash), s) ||
		    !Poco::NumberParser::tryParseHex64(range.substr(dash + 1), e) ||
		    !Poco::NumberParser::tryParseHex64(offset, o))
			continue;
		result.push_back(Mapping{static_cast<std::uintptr_t>(s), static_cast<std::uintptr_t>(e),
		                         static_cast<std::uintptr_t>(o), path});
	}
	return result;
}

std::string readFile(const std::string& path)
{
	Poco::FileInputStream in(path);
	std::string content;
	Poco::StreamCopier::copyToString(in, content);
	return content;
}

} // namespace

bool CrashRecord::write(const char* path, int signal, void* const* pcs, int count) noexcept
{
	int fd = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	RawWriter w{fd, {}, 0};
	struct timeval now;
	::gettimeofday(&now, nullptr);
	w.text("posthog-crash 1\nsignal ");
	w.number(static_cast<std::uint64_t>(signal), 10);
	w.text("\ntime ");
	w.number(static_cast<std::uint64_t>(now.tv_sec) * 1000000u + static_cast<std::uint64_t>(now.tv_usec), 10);
	w.text("\n");
	for (int i = 0; i < count; ++i)
	{
		w.text("pc 0x");
		w.number(reinterpret_cast<std::uintptr_t>(pcs[i]), 16);
		w.text("\n");
	}
	w.text("maps\n");
	w.flush();
	int maps = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (maps >= 0)
	{
		ssize_t n;
		while ((n = ::read(maps, w.buf, sizeof w.buf)) > 0)
		{
			w.used = static_cast<std::size_t>(n);
			w.flush();
		}
		::close(maps);
	}
	::fsync(fd);
	::close(fd);
	return true;
}

bool CrashRecord::read(const std::string& path, CrashRecord& record, std::string& uuid)
{
	std::string content;
	try
	{
		content = readFile(path);
	}
	catch (Poco::Exception&)
	{
		return false;
	}
	std::istringstream in(content);
	std::string line;
	if (!std::getline(in, line) || line != "posthog-crash 1")
		return false;
	while (std::getline(in, line) && line != "maps")
	{
		std::string::size_type space = line.find(' ');
		std::string key = line.substr(0, space),
		            value = space == std::string::npos ? "" : line.substr(space + 1);
		Poco::UInt64 pc = 0;
		if (key == "signal")
			Poco::NumberParser::tryParse(value, record.signal);
		else if (key == "time")
			Poco::NumberParser::tryParse64(value, record.timeMicros);
		else if (key == "pc" && value.compare(0, 2, "0x") == 0 &&
		         Poco::NumberParser::tryParseHex64(value.substr(2), pc))
			record.pcs.push_back(static_cast<std::uintptr_t>(pc));
	}
	std::string::size_type at = content.find("\nmaps\n");
	if (at != std::string::npos)
		record.maps = content.substr(at + 6);
	uuid = Poco::UUIDGenerator().createFromName(Poco::UUID::oid(), content).toString();
	return record.signal > 0;
}

Array CrashRecord::frames() const
{
	std::vector<Mapping> then = parseMaps(maps);
	std::vector<Mapping> now = parseMaps(readFile("/proc/self/maps"));
	Array frames;
	for (auto it = pcs.rbegin(); it != pcs.rend(); ++it)
	{
		std::uintptr_t pc = *it;
		Properties frame{{"platform", "custom"}, {"lang", "cpp"}, {"instruction_addr", StackTrace::hex(pc)}};
		std::string module, function;
		for (const Mapping& m : then)
		{
			if (pc < m.start || pc >= m.end)
				continue;
			module = m.path;
			std::uintptr_t fileOffset = pc - m.start + m.offset;
			frame.set("module_offset", StackTrace::hex(fileOffset));
			for (const Mapping& n : now)
			{
				if (n.path != m.path || fileOffset < n.offset || fileOffset >= n.offset + (n.end - n.start))
					continue;
				Dl_info info;
				std::memset(&info, 0, sizeof info);
				void* here = reinterpret_cast<void*>(n.start + (fileOffset - n.offset) - 1);
				if (::dladdr(here, &info) != 0 && info.dli_sname != nullptr)
					function = StackTrace::demangle(info.dli_sname);
				break;
			}
			break;
		}
		frame.set("function", function.empty() ? "?" : function);
		if (!module.empty())
			frame.set("module", module);
		frame.set("in_app", StackTrace::isInApp(module));
		frame.set("resolved", !function.empty());
		frames.add(frame);
	}
	return frames;
}

std::string CrashRecord::signalName(int signal)
{
	switch (signal)
	{
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGFPE:
		return "SIGFPE";
	case SIGILL:
		return "SIGILL";
	case SIGABRT:
		return "SIGABRT";
	default:
		return "SIG" + std::to_string(signal);
	}
}

std::string CrashRecord::signalDescription(int signal)
{
	const char* text = ::strsignal(signal);
	return text != nullptr ? text : "fatal signal";
}

} // namespace PostHog
