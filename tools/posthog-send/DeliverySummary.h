//
// DeliverySummary.h
//
// posthog-send's last line: where every line read went.
//

#ifndef PostHog_DeliverySummary_INCLUDED
#define PostHog_DeliverySummary_INCLUDED

#include "PostHog/ClientStatistics.h"
#include <cstdint>
#include <string>

namespace PostHog
{

class DeliverySummary
/// Accounts for every event of a posthog-send run after the client shut down:
///
///     read R, invalid I, dropped by the pipeline D, delivered X, spooled S, failed F
///
/// with R = I + D + X + S + F. `spooled` counts events really written to the spool and left
/// there for the next run (safe, not failed); `failed` counts events given up on (final HTTP
/// errors, retries exhausted, shutdown timeout, a full queue or spool, a spool file lost, too
/// large). When the spool held events of an earlier run, the line says how many were read from
/// it ("read R and P from the spool"), and the identity is R + P = I + D + X + S + F.
{
public:
	DeliverySummary(std::uint64_t read, std::uint64_t invalid, std::uint64_t droppedByPipeline,
	                const ClientStatistics& statistics);

	std::string text(const std::string& dropDetail) const;
	/// The line, without the "posthog-send: " prefix; dropDetail ("sampling 3") follows D.

	std::uint64_t failed() const noexcept { return _failed; }
	std::uint64_t spooled() const noexcept { return _spooled; }
	std::uint64_t delivered() const noexcept { return _delivered; }

private:
	std::uint64_t _read;
	std::uint64_t _replayed;
	std::uint64_t _invalid;
	std::uint64_t _dropped;
	std::uint64_t _delivered;
	std::uint64_t _spooled;
	std::uint64_t _failed;
};

} // namespace PostHog

#endif // PostHog_DeliverySummary_INCLUDED
