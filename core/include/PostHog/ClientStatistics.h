//
// ClientStatistics.h
//
// The counters of a client, readable at any time.
//

#ifndef PostHog_ClientStatistics_INCLUDED
#define PostHog_ClientStatistics_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Pipeline.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace PostHog
{

struct PostHog_API RouteStatistics
/// The counters of a route that has its own queue beside the events': logs (/i/v1/logs) and
/// AI events (/i/v0/ai/batch/). Counts are of records.
{
	std::uint64_t enqueued = 0; /// accepted by a call and queued
	std::uint64_t queued = 0;   /// waiting in the route's queue right now
	std::uint64_t sent = 0;     /// acknowledged by PostHog with a 2xx
	std::uint64_t dropped = 0;  /// refused by a gate or evicted from a full queue (see droppedByReason)
	std::uint64_t failed = 0;   /// given up on: final HTTP error, retries exhausted, shutdown
	std::uint64_t requests = 0; /// HTTP requests sent, retries included
	std::uint64_t retried = 0;  /// requests that were retried
	std::map<std::string, std::uint64_t> droppedByReason;
	/// Logs: "opted_out", "empty_body", "before_send", "before_send_error", "rate_limited",
	/// "queue_full", "shutdown". AI events: "queue_full", "too_large", "shutdown".
};

struct PostHog_API ClientStatistics
/// A snapshot of Client::statistics(). Counts are of messages unless said otherwise.
///
/// Every event accepted by a call, and every event found in the spool at start, is in exactly
/// one state: queued, in the worker's open batch or hand-off, persisted (on disk), in flight,
/// delivered, dropped (by a stage or a limit) or failed. When the client is idle (after
/// flush() returned Delivered, or after shutdown()) the states sum up:
///
///     enqueued + replayed == queued + persisted + inFlight + delivered
///                            + (dropped - droppedByReason["queue_full"] - droppedByReason["shutdown"])
///                            + failed
///
/// (queue_full and shutdown drops were offered, never enqueued).
{
	std::uint64_t enqueued = 0;  /// accepted by a call and queued
	std::uint64_t rejected = 0;  /// refused by a call for bad input (never queued)
	std::uint64_t dropped = 0;   /// queued or offered, then dropped (see droppedByReason)
	std::uint64_t delivered = 0; /// acknowledged by PostHog with a 2xx
	std::uint64_t failed = 0;    /// given up on: final HTTP error, retries exhausted, shutdown
	std::uint64_t retried = 0;   /// request attempts that were retried (a batch may count several times)
	std::uint64_t requests = 0;  /// HTTP requests sent, retries included
	std::uint64_t queued = 0;    /// messages waiting in the queue right now
	std::uint64_t spooled = 0;      /// events written to the spool (posthog.spool.path) by this client
	std::uint64_t replayed = 0;     /// events an earlier process left in the spool, found at start
	std::uint64_t spoolPending = 0; /// events in the spool not yet acknowledged by PostHog
	std::uint64_t spoolBytes = 0;   /// bytes of the spool's segment files
	std::uint64_t persisted = 0;    /// events in the spool's files, not acknowledged and not in flight
	std::uint64_t inFlight = 0;     /// events in a request to PostHog or waiting for a retry
	std::uint64_t flagPolls = 0;          /// definitions requests sent to PostHog
	std::uint64_t flagPollsNotModified = 0; /// of which PostHog answered 304 Not Modified
	std::uint64_t flagRemoteRequests = 0; /// remote flag evaluation requests (POST /flags/), retries included
	std::uint64_t flagDefinitions = 0;    /// flags in the definitions held now
	std::int64_t flagDefinitionsAgeMs = -1; /// since the definitions held were fetched or confirmed; -1: none
	std::string flagLastPollError;        /// the last poll's error, or empty when it succeeded
	std::map<std::string, std::uint64_t> droppedByReason;
	/// "queue_full", "spool_full", "too_large", "stage:<name>" (a pipeline stage dropped it), "disabled".
	std::map<std::string, std::uint64_t> failedByReason;
	/// Why `failed` events were given up on: "shutdown", "retries_exhausted", "refused",
	/// "too_large" (413 on one event), "spool_lost" (a spool file removed or damaged under the
	/// client), "queued_at_shutdown".
	std::vector<Pipeline::StageStatistics> stages;
	RouteStatistics logs; /// Client::captureLog() and the LogChannel
	RouteStatistics ai;   /// Client::captureAi()
};

} // namespace PostHog

#endif // PostHog_ClientStatistics_INCLUDED
