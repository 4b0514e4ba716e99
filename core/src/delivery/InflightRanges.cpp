//
// InflightRanges.cpp
//

#include "delivery/InflightRanges.h"
#include <algorithm>
#include <iterator>

namespace PostHog
{

void InflightRanges::add(std::uint64_t first, std::uint64_t end)
{
	auto it = _ranges.find(first);
	if (it != _ranges.end())
		_total -= it->second - it->first;
	_ranges[first] = end;
	_total += end - first;
}

void InflightRanges::remove(std::uint64_t first, std::uint64_t end)
{
	auto it = _ranges.upper_bound(first);
	if (it == _ranges.begin())
		return;
	--it;
	std::uint64_t b = it->first, e = it->second;
	if (first >= e)
		return;
	_ranges.erase(it);
	_total -= std::min(e, end) - first;
	if (b < first)
		_ranges[b] = first;
	if (end < e)
		_ranges[end] = e;
}

bool InflightRanges::overlaps(std::uint64_t first, std::uint64_t end) const
{
	auto in = _ranges.lower_bound(end);
	return in != _ranges.begin() && std::prev(in)->second > first;
}

std::uint64_t InflightRanges::lowest(std::uint64_t otherwise) const
{
	return _ranges.empty() ? otherwise : std::min(otherwise, _ranges.begin()->first);
}

} // namespace PostHog
