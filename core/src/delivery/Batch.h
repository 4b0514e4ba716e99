//
// Batch.h
//
// Events serialised for one request.
//

#ifndef PostHog_Batch_INCLUDED
#define PostHog_Batch_INCLUDED

#include "Poco/Timestamp.h"
#include <cstdint>
#include <string>
#include <vector>

namespace PostHog
{

struct Batch
/// The JSON of each event, comma-separated, ready to go between "batch":[ and ].
{
	std::string events;
	std::vector<std::uint32_t> offsets; /// where each event starts in `events`
	std::uint64_t key = 0;              /// DeliveryTracker key: the first message's sequence
	Poco::Timestamp opened;
	bool spooled = false; /// its records are in the Spool: records spoolFirst .. spoolEnd - 1
	std::uint64_t spoolFirst = 0;
	std::uint64_t spoolEnd = 0;
	std::uint64_t spoolSegment = 0; /// where the record after the last one starts (segment, offset)
	std::uint64_t spoolOffset = 0;

	std::size_t count() const noexcept { return offsets.size(); }
	bool empty() const noexcept { return offsets.empty(); }

	void split(Batch& secondHalf);
	/// Moves the second half of the events into secondHalf (same key).

	void splitAt(std::size_t index, Batch& tail);
	/// Moves the events from index on (0 < index < count()) into tail (same key).

	std::string eventAt(std::size_t index) const;
	/// The JSON of one event.
};

} // namespace PostHog

#endif // PostHog_Batch_INCLUDED
