//
// AckJournal.h
//
// The acknowledgement file beside a spool segment.
//

#ifndef PostHog_AckJournal_INCLUDED
#define PostHog_AckJournal_INCLUDED

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

class AckJournal
/// seg-<n>.ack: which records of segment n are resolved (delivered, or refused finally), so a
/// restart does not send them again. Append-only 12-byte entries `u32 begin | u32 end | u32 check`
/// (record indices within the segment, [begin, end), check = begin ^ end ^ 0xA5A5A5A5, little
/// endian); an entry that fails its check (a torn tail) is ignored. Not thread-safe: the Spool
/// serialises access.
{
public:
	using Range = std::pair<std::uint32_t, std::uint32_t>;

	static constexpr std::size_t kEntryBytes = 12;
	static constexpr std::uint32_t kCheck = 0xA5A5A5A5u;

	explicit AckJournal(std::string file);
	~AckJournal();
	/// close().

	AckJournal(const AckJournal&) = delete;
	AckJournal& operator=(const AckJournal&) = delete;

	bool append(std::uint32_t begin, std::uint32_t end);
	/// Records [begin, end) as resolved (the file is created on first use); false when it cannot
	/// be written (the records are then sent again after a restart, never lost).

	void close();
	/// Closes the file (it stays on disk).

	void remove();
	/// Closes and deletes the file.

	static std::vector<Range> load(const std::string& file, std::uint32_t records);
	/// The valid ranges below records in file, sorted and merged; empty when there is no file.

	static std::uint64_t count(const std::vector<Range>& ranges);
	/// Records the ranges cover.

	static bool contains(const std::vector<Range>& ranges, std::uint64_t index);
	/// True when a range holds index.

	const std::string& file() const noexcept { return _file; }

private:
	std::string _file;
	int _fd = -1;
};

} // namespace PostHog

#endif // PostHog_AckJournal_INCLUDED
