//
// SpoolDirectory.h
//
// The spool's directory: created owner-only, locked, and listed.
//

#ifndef PostHog_SpoolDirectory_INCLUDED
#define PostHog_SpoolDirectory_INCLUDED

#include <cstdint>
#include <string>
#include <vector>

namespace Poco
{
class Logger;
}

namespace PostHog
{

class SpoolDirectory
/// Owns posthog.spool.path for one client: creates every missing level 0700 (warning when the
/// directory is readable by others), takes an flock(2) on its `lock` file (the operating system
/// releases it when the holder dies; a second live process gets a ConfigurationException naming
/// the holder's pid), lists the segments (seg-<16 digits>.log) and names their files.
{
public:
	SpoolDirectory(std::string path, Poco::Logger& logger);
	/// Creates and locks the directory; throws ConfigurationException when it cannot.
	~SpoolDirectory();
	/// unlock().

	SpoolDirectory(const SpoolDirectory&) = delete;
	SpoolDirectory& operator=(const SpoolDirectory&) = delete;

	std::vector<std::uint64_t> segmentIds() const;
	/// The ids of the segment files, in ascending order.

	std::string segmentFile(std::uint64_t id, const char* extension) const;
	/// <path>/seg-<id, 16 digits><extension>.

	void recreate(Poco::Logger& logger);
	/// Creates the directory again, and locks it, when it was removed; throws
	/// ConfigurationException when it cannot.

	void unlock();
	/// Releases the lock. Idempotent.

	void detach();
	/// In a forked child: closes the inherited lock descriptor without unlocking (the lock
	/// belongs to the open file description the parent shares).

	const std::string& path() const noexcept { return _path; }

private:
	void create(Poco::Logger& logger);
	void lock();

	std::string _path;
	int _lockFd = -1;
};

} // namespace PostHog

#endif // PostHog_SpoolDirectory_INCLUDED
