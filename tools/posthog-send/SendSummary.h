//
// SendSummary.h
//
// posthog-send's closing line and exit status, from the client's statistics.
//

#ifndef PostHogSend_SendSummary_INCLUDED
#define PostHogSend_SendSummary_INCLUDED

#include "PostHog/ClientStatistics.h"
#include <cstddef>
#include <string>

namespace PostHogSend
{

class SendSummary
/// Sorts what happened to the messages of one run: drops by a validation stage are invalid
/// input, drops by any other stage (sampling) are deliberate, everything else the client
/// dropped or failed to deliver is lost. It reads the stages' structured counters (name, kind,
/// dropped), never a reason text:
///
///     posthog-send: read 324, invalid 0, dropped by the pipeline 0, delivered 324, failed 0
{
public:
	SendSummary(const PostHog::ClientStatistics& stats, const std::string& dryRunStage);

	static bool isValidation(const PostHog::Pipeline::StageStatistics& stage);
	/// True for a stage whose drops mean invalid input (its kind is "validation").

	std::string line(std::size_t read, std::size_t invalidLines, bool dryRun, std::size_t batches) const;
	/// The summary; invalidLines counts lines refused before the pipeline (malformed, rejected).

	std::size_t invalidByStage = 0; /// dropped by a validation stage
	std::size_t dropped = 0;        /// dropped on purpose by another stage
	std::size_t wouldSend = 0;      /// reached the dry-run stage
	std::size_t lost = 0;           /// failed, or dropped outside the pipeline (queue full, too large)
	std::uint64_t delivered = 0;
	std::string dropDetail; /// "sampling 3, strict 1"
};

} // namespace PostHogSend

#endif // PostHogSend_SendSummary_INCLUDED
