//
// SpoolReader.h
//
// Reads released spool records back for a sender.
//

#ifndef PostHog_SpoolReader_INCLUDED
#define PostHog_SpoolReader_INCLUDED

#include "delivery/Batch.h"
#include "delivery/Spool.h"
#include <cstdint>
#include <string>

namespace PostHog
{

class SpoolReader
/// The senders' read path of a Spool (Spool::readBatch), kept apart from the worker's write path:
/// walks the released records from the read cursor, segment by segment, skips what an earlier
/// process had acknowledged, and reads past damage (SpoolSegment::resync), failing records the
/// damage destroyed. Works on the Spool's state, under the Spool's lock held by the caller.
{
public:
	explicit SpoolReader(Spool& spool) : _spool(spool) {}

	bool readNext(Batch& batch, std::size_t maxBytes, std::uint64_t& first);
	/// One step: reads or skips one record (or moves to the next segment); false when the batch
	/// is finished. first is the record number the batch starts at.

private:
	bool skipDamaged(SpoolSegment& segment, std::uint64_t offset, const std::string& why, Batch& batch,
	                 std::uint64_t& first);

	Spool& _spool;
};

} // namespace PostHog

#endif // PostHog_SpoolReader_INCLUDED
