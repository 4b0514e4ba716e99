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
///     posthog-send: read R, invalid I, dropped by the pipeline D, delivered X, spooled S, failed F
///
/// with R = I + D + X + S + F. `spooled` counts events really written to the spool and left
/// there for the next run (safe, not failed); `failed` counts events given up on (final HTTP
/// errors, retries exhausted, shutdown timeout, a full queue or spool, a spool file lost, too
/// large). When the spool held events of an earlier run, the line says how many were read from
/// it ("read R and P from the spool"), and the identity is R + P = I + D + X + S + F.
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
	std::uint64_t spooled = 0;  /// persisted in the spool for the next run
	std::uint64_t replayed = 0; /// read from the spool, left there by an earlier run
	std::string dropDetail;     /// "sampling 3, strict 1"
};

} // namespace PostHogSend

#endif // PostHogSend_SendSummary_INCLUDED
