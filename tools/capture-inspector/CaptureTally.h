//
// CaptureTally.h
//
// What the capture inspector has received so far, and its summary line.
//

#ifndef PostHogInspector_CaptureTally_INCLUDED
#define PostHogInspector_CaptureTally_INCLUDED

#include "Poco/JSON/Object.h"
#include "Poco/Mutex.h"
#include "Poco/Timestamp.h"
#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace PostHogInspector
{

class CaptureTally
/// Counts requests (gzipped or not, accepted or refused), events by kind and distinct uuids.
/// Thread-safe: the server's handler threads record, the main thread reads.
{
public:
	static std::string kindOf(const std::string& event);
	/// "identify" for $identify, "alias" for $create_alias, "groupidentify" for $groupidentify,
	/// "pageview" for $pageview, else "capture".

	std::size_t beginRequest(bool gzip);
	/// Counts a request; returns its number (from 1).
	void refuse();
	/// The current request was refused (bad body).
	void event(const Poco::JSON::Object::Ptr& event);

	Poco::Timestamp lastActivity() const;
	std::size_t requests() const;

	std::string summary() const;
	/// "summary: 3 requests (3 gzip), 250 events (capture 180, identify 30, ...), 250 unique uuids, 0
	/// refused"

private:
	mutable Poco::FastMutex _mutex;
	std::size_t _requests = 0;
	std::size_t _gzip = 0;
	std::size_t _refused = 0;
	std::size_t _events = 0;
	std::map<std::string, std::size_t> _kinds;
	std::set<std::string> _uuids;
	Poco::Timestamp _lastActivity;
};

} // namespace PostHogInspector

#endif // PostHogInspector_CaptureTally_INCLUDED
