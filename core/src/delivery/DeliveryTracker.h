//
// DeliveryTracker.h
//
// Knows which queued messages are resolved, so flush() can wait for exactly its own.
//

#ifndef PostHog_DeliveryTracker_INCLUDED
#define PostHog_DeliveryTracker_INCLUDED

#include "Poco/Condition.h"
#include "Poco/Mutex.h"
#include "Poco/Timespan.h"
#include <cstdint>
#include <map>

namespace PostHog
{

class DeliveryTracker
/// Messages carry increasing sequence numbers. The worker handles them in order and puts
/// them into batches in order, so each batch covers a contiguous range of sequence numbers
/// (messages a stage dropped in between are resolved already). The low watermark, below
/// which every message is resolved (delivered, dropped or failed), is then
///
///     min(processed, first sequence of the oldest unresolved batch - 1)
///
/// which stays exact when batches complete out of order (several connections, retries).
{
public:
	void processed(std::uint64_t sequence);
	/// The worker has handled every message up to sequence (dropped it or put it in a batch).

	void batchOpened(std::uint64_t firstSequence);
	void batchSplit(std::uint64_t firstSequence);
	/// A batch was split in two (413): it now resolves when both halves do.
	void batchResolved(std::uint64_t firstSequence);

	std::uint64_t watermark() const;
	bool waitFor(std::uint64_t sequence, Poco::Timespan timeout);
	/// Waits until watermark() >= sequence; false on timeout.

	void abandon();
	/// Shutdown: resolves everything (what was left is reported as failed) and wakes waiters.

private:
	std::uint64_t watermarkLocked() const;

	mutable Poco::FastMutex _mutex;
	Poco::Condition _changed;
	std::uint64_t _processed = 0;
	std::map<std::uint64_t, int> _open; // first sequence -> unresolved pieces
	bool _abandoned = false;
};

} // namespace PostHog

#endif // PostHog_DeliveryTracker_INCLUDED
