//
// DeliverySummary.cpp
//

#include "DeliverySummary.h"

namespace PostHog
{

DeliverySummary::DeliverySummary(std::uint64_t read, std::uint64_t invalid, std::uint64_t droppedByPipeline,
                                 const ClientStatistics& s)
    : _read(read), _replayed(s.replayed), _invalid(invalid), _dropped(droppedByPipeline),
      _delivered(s.delivered), _spooled(s.persisted), _failed(s.failed)
{
	// Drops that are not a stage's decision (a full queue or spool, too large, after shutdown)
	// are events the run could not place: failed, with their reason in the error output.
	for (const auto& reason : s.droppedByReason)
	{
		if (reason.first.compare(0, 6, "stage:") != 0)
			_failed += reason.second;
	}
}

std::string DeliverySummary::text(const std::string& dropDetail) const
{
	std::string line = "read " + std::to_string(_read);
	if (_replayed)
		line += " and " + std::to_string(_replayed) + " from the spool";
	line += ", invalid " + std::to_string(_invalid) + ", dropped by the pipeline " + std::to_string(_dropped);
	if (!dropDetail.empty())
		line += " (" + dropDetail + ")";
	line += ", delivered " + std::to_string(_delivered) + ", spooled " + std::to_string(_spooled) +
	        ", failed " + std::to_string(_failed);
	return line;
}

} // namespace PostHog
