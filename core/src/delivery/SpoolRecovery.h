//
// SpoolRecovery.h
//
// What the spool does about damaged, removed and unwritable files.
//

#ifndef PostHog_SpoolRecovery_INCLUDED
#define PostHog_SpoolRecovery_INCLUDED

#include "delivery/Spool.h"
#include <cstdint>
#include <string>

namespace PostHog
{

class SpoolRecovery
/// The fault handling of a Spool, kept apart from its normal path: scanning what an earlier
/// process left (segments that cannot be read are renamed .corrupt), taking records of a failed
/// write back out of the spool, noticing files someone removed (their events are failed as
/// spool_lost) and creating the directory again, and the one warning per change between
/// writable and failing. Works on the Spool's state, under the Spool's lock held by the caller
/// (scan() runs in the constructor).
{
public:
	explicit SpoolRecovery(Spool& spool) : _spool(spool) {}

	void scan();
	/// Opens what an earlier process left, oldest segment first, and releases it for sending.

	void rollBack(SpoolSegment& segment, int error);
	/// The write of the segment's buffered records failed with error: they leave the spool.

	void setFault(int error, const std::string& what, std::uint64_t bytes);
	/// Writes fail (error != 0: what, with the bytes taken back) or work again (error 0);
	/// reported once per change.

	void retryWriting();
	/// Before a retry: a new segment (in a re-created directory) when the old one is gone.

	void failLost(SpoolSegment& segment, std::uint64_t from, std::uint64_t to, const std::string& why);
	/// Records [from, to) of segment cannot be sent any more: counted failed (spool_lost), reported.

private:
	void loseVanished();

	Spool& _spool;
};

} // namespace PostHog

#endif // PostHog_SpoolRecovery_INCLUDED
