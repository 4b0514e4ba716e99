//
// DebugImages.cpp
//

#include "errors/DebugImages.h"
#include "Poco/DigestEngine.h"
#include "PostHog/Properties.h"
#include "errors/StackTrace.h"
#include <algorithm>
#include <cstring>
#include <elf.h>
#include <link.h>
#include <map>
#include <vector>

namespace PostHog
{

namespace
{

struct Image
{
	std::uintptr_t base = 0; /// where the ELF header is mapped (dladdr's dli_fbase)
	std::uintptr_t vmaddr = 0;
	std::uintptr_t size = 0;
	std::string file;
	std::string buildId;
};

std::string hexBytes(const unsigned char* bytes, std::size_t size)
{
	return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes, bytes + size));
}

bool loaded(const dl_phdr_info& info, const ElfW(Phdr) & note)
/// Whether the note segment lies inside a loaded segment (so reading it cannot fault).
{
	for (int i = 0; i < info.dlpi_phnum; ++i)
	{
		const ElfW(Phdr)& segment = info.dlpi_phdr[i];
		if (segment.p_type == PT_LOAD && (segment.p_flags & PF_R) && note.p_vaddr >= segment.p_vaddr &&
		    note.p_vaddr + note.p_memsz <= segment.p_vaddr + segment.p_memsz)
			return true;
	}
	return false;
}

std::string findBuildId(const dl_phdr_info& info)
{
	for (int i = 0; i < info.dlpi_phnum; ++i)
	{
		const ElfW(Phdr)& segment = info.dlpi_phdr[i];
		if (segment.p_type != PT_NOTE || !loaded(info, segment))
			continue;
		const char* p = reinterpret_cast<const char*>(info.dlpi_addr + segment.p_vaddr);
		const char* end = p + segment.p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end)
		{
			ElfW(Nhdr) note;
			std::memcpy(&note, p, sizeof note);
			const char* name = p + sizeof note;
			const char* desc = name + ((note.n_namesz + 3) & ~3u);
			const char* next = desc + ((note.n_descsz + 3) & ~3u);
			if (next > end)
				break;
			if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
				return std::string(desc, note.n_descsz);
			p = next;
		}
	}
	return std::string();
}

int collect(dl_phdr_info* info, std::size_t, void* data)
{
	auto& images = *static_cast<std::vector<Image>*>(data);
	Image image;
	std::uintptr_t low = UINTPTR_MAX, high = 0;
	for (int i = 0; i < info->dlpi_phnum; ++i)
	{
		const ElfW(Phdr)& segment = info->dlpi_phdr[i];
		if (segment.p_type != PT_LOAD)
			continue;
		low = std::min<std::uintptr_t>(low, segment.p_vaddr - segment.p_offset);
		high = std::max<std::uintptr_t>(high, segment.p_vaddr + segment.p_memsz);
	}
	if (high == 0)
		return 0;
	image.base = info->dlpi_addr + low;
	image.vmaddr = low;
	image.size = high - low;
	image.file = info->dlpi_name != nullptr ? info->dlpi_name : "";
	image.buildId = findBuildId(*info);
	images.push_back(std::move(image));
	return 0;
}

const char* architecture()
{
#if defined(__x86_64__)
	return "x86_64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__i386__)
	return "x86";
#elif defined(__arm__)
	return "arm";
#else
	return "";
#endif
}

} // namespace

std::string DebugImages::debugId(const unsigned char* buildId, std::size_t size)
{
	unsigned char id[16] = {};
	std::memcpy(id, buildId, std::min<std::size_t>(size, sizeof id));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	std::reverse(id, id + 4);
	std::reverse(id + 4, id + 6);
	std::reverse(id + 6, id + 8);
#endif
	const std::string hex = hexBytes(id, sizeof id);
	return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
	       "-" + hex.substr(20);
}

Array DebugImages::forFrames(const Array& frames)
{
	std::map<std::string, std::string> wanted; // image_addr -> the frames' module (the file's path)
	for (Value frame : frames)
	{
		Value address = frame["image_addr"];
		Value module = frame["module"];
		if (address.type() == Value::StringType)
			wanted.emplace(address.getString(), module.type() == Value::StringType
			                                        ? std::string(module.getString())
			                                        : std::string());
	}
	Array images;
	if (wanted.empty())
		return images;
	std::vector<Image> loaded;
	::dl_iterate_phdr(collect, &loaded);
	for (const Image& image : loaded)
	{
		const std::string address = StackTrace::hex(image.base);
		auto it = wanted.find(address);
		if (image.buildId.empty() || it == wanted.end())
			continue;
		// The main program's entry has no name: the frames' module (dladdr's) names it.
		const std::string file = image.file.empty() ? it->second : image.file;
		wanted.erase(it);
		const auto* id = reinterpret_cast<const unsigned char*>(image.buildId.data());
		Properties entry{{"type", "elf"},
		                 {"debug_id", debugId(id, image.buildId.size())},
		                 {"code_id", hexBytes(id, image.buildId.size())},
		                 {"image_addr", address},
		                 {"image_vmaddr", StackTrace::hex(image.vmaddr)},
		                 {"image_size", static_cast<std::int64_t>(image.size)}};
		if (!file.empty())
			entry.set("code_file", file);
		if (*architecture())
			entry.set("arch", architecture());
		images.add(entry);
	}
	return images;
}

} // namespace PostHog
