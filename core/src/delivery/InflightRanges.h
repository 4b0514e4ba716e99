//
// InflightRanges.h
//
// Which spool records senders have taken and not yet acknowledged.
//

#ifndef PostHog_InflightRanges_INCLUDED
#define PostHog_InflightRanges_INCLUDED

#include <cstdint>
#include <map>

namespace PostHog
{

class InflightRanges
/// Disjoint half-open ranges [first, end) of record numbers that are in flight (taken by a sender
/// from memory or the disk, not yet acknowledged). An acknowledgement may cover part of a range
/// (the halves of a split batch resolve apart). Not thread-safe: the Spool serialises access.
{
public:
	void add(std::uint64_t first, std::uint64_t end);
	/// [first, end) is in flight.

	void remove(std::uint64_t first, std::uint64_t end);
	/// [first, end), inside one range added earlier, is resolved.

	bool overlaps(std::uint64_t first, std::uint64_t end) const;
	/// True when a record of [first, end) is in flight.

	std::uint64_t lowest(std::uint64_t otherwise) const;
	/// The first record in flight; otherwise when none is.

	bool empty() const noexcept { return _ranges.empty(); }

	std::uint64_t total() const noexcept { return _total; }
	/// Records in flight.

private:
	std::map<std::uint64_t, std::uint64_t> _ranges; // first -> end
	std::uint64_t _total = 0;
};

} // namespace PostHog

#endif // PostHog_InflightRanges_INCLUDED
