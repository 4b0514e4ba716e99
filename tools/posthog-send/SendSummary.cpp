//
// SendSummary.cpp
//

#include "SendSummary.h"

namespace PostHogSend
{

namespace
{

std::string plural(std::size_t n, const char* one, const char* many)
{
	return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

SendSummary::SendSummary(const PostHog::ClientStatistics& stats, const std::string& dryRunStage)
    : delivered(stats.delivered), spooled(stats.persisted), replayed(stats.replayed)
{
	std::uint64_t byStages = 0;
	for (const auto& stage : stats.stages)
	{
		byStages += stage.dropped;
		if (stage.name == dryRunStage)
			wouldSend = static_cast<std::size_t>(stage.dropped);
		else if (isValidation(stage))
			invalidByStage += static_cast<std::size_t>(stage.dropped);
		else if (stage.dropped)
		{
			dropped += static_cast<std::size_t>(stage.dropped);
			dropDetail += (dropDetail.empty() ? "" : ", ") + stage.name + " " + std::to_string(stage.dropped);
		}
	}
	// Every drop is counted once in stats.dropped: those no stage made were lost on the way.
	std::uint64_t elsewhere = stats.dropped > byStages ? stats.dropped - byStages : 0;
	lost = static_cast<std::size_t>(stats.failed + elsewhere);
}

bool SendSummary::isValidation(const PostHog::Pipeline::StageStatistics& stage)
{
	return stage.kind == "validation";
}

std::string SendSummary::line(std::size_t read, std::size_t invalidLines, bool dryRun,
                              std::size_t batches) const
{
	std::string summary = "posthog-send: ";
	if (dryRun)
		summary += "dry run: ";
	summary += "read " + std::to_string(read);
	if (replayed && !dryRun)
		summary += " and " + std::to_string(replayed) + " from the spool";
	summary += ", invalid " + std::to_string(invalidLines + invalidByStage) + ", dropped by the pipeline " +
	           std::to_string(dropped);
	if (!dropDetail.empty())
		summary += " (" + dropDetail + ")";
	if (dryRun)
		summary += ", would send " + std::to_string(wouldSend) + " in " +
		           plural(batches, "batch", "batches") + "; nothing was sent";
	else
		summary += ", delivered " + std::to_string(delivered) + ", spooled " + std::to_string(spooled) +
		           ", failed " + std::to_string(lost);
	return summary;
}

} // namespace PostHogSend
