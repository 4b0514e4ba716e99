//
// Batch.cpp
//

#include "delivery/Batch.h"

namespace PostHog
{

void Batch::split(Batch& second)
{
	splitAt(count() / 2, second);
}

void Batch::splitAt(std::size_t half, Batch& second)
{
	std::uint32_t cut = offsets[half];
	second.events.assign(events, cut, std::string::npos);
	second.offsets.clear();
	for (std::size_t i = half; i < offsets.size(); ++i)
		second.offsets.push_back(offsets[i] - cut);
	second.key = key;
	second.opened = opened;
	second.spooled = spooled;
	second.spoolFirst = spoolFirst + half;
	second.spoolEnd = spoolEnd;
	spoolEnd = second.spoolFirst;
	events.resize(cut - 1); // drop the separating comma
	offsets.resize(half);
}

std::string Batch::eventAt(std::size_t index) const
{
	std::size_t begin = offsets[index];
	std::size_t end = index + 1 < offsets.size() ? offsets[index + 1] - 1 : events.size();
	return events.substr(begin, end - begin);
}

} // namespace PostHog
