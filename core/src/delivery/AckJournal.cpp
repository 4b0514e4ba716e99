//
// AckJournal.cpp
//

#include "delivery/AckJournal.h"
#include "delivery/SpoolFile.h"
#include "delivery/SpoolRecord.h"
#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

namespace PostHog
{

AckJournal::AckJournal(std::string file) : _file(std::move(file)) {}

AckJournal::~AckJournal()
{
	close();
}

bool AckJournal::append(std::uint32_t begin, std::uint32_t end)
{
	if (_fd < 0)
		_fd = ::open(_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (_fd < 0)
		return false;
	std::string entry;
	SpoolRecord::putU32(entry, begin);
	SpoolRecord::putU32(entry, end);
	SpoolRecord::putU32(entry, begin ^ end ^ kCheck);
	return SpoolFile::writeAll(_fd, entry.data(), entry.size());
}

void AckJournal::close()
{
	if (_fd >= 0)
		::close(_fd);
	_fd = -1;
}

void AckJournal::remove()
{
	close();
	::unlink(_file.c_str());
}

std::vector<AckJournal::Range> AckJournal::load(const std::string& file, std::uint32_t records)
{
	std::vector<Range> ranges;
	std::string data;
	if (!SpoolFile::readFile(file, data))
		return ranges;
	for (std::size_t p = 0; p + kEntryBytes <= data.size(); p += kEntryBytes)
	{
		std::uint32_t b = SpoolRecord::getU32(&data[p]), e = SpoolRecord::getU32(&data[p + 4]);
		if (SpoolRecord::getU32(&data[p + 8]) != (b ^ e ^ kCheck) || b >= e || e > records)
			continue;
		ranges.emplace_back(b, e);
	}
	std::sort(ranges.begin(), ranges.end());
	std::vector<Range> merged;
	for (const auto& r : ranges)
	{
		if (!merged.empty() && r.first <= merged.back().second)
			merged.back().second = std::max(merged.back().second, r.second);
		else
			merged.push_back(r);
	}
	return merged;
}

std::uint64_t AckJournal::count(const std::vector<Range>& ranges)
{
	std::uint64_t n = 0;
	for (const auto& r : ranges)
		n += r.second - r.first;
	return n;
}

bool AckJournal::contains(const std::vector<Range>& ranges, std::uint64_t index)
{
	if (ranges.empty())
		return false;
	auto it = std::upper_bound(ranges.begin(), ranges.end(),
	                           std::make_pair(static_cast<std::uint32_t>(index), UINT32_MAX));
	if (it == ranges.begin())
		return false;
	--it;
	return index >= it->first && index < it->second;
}

} // namespace PostHog
