//
// CaptureTally.cpp
//

#include "CaptureTally.h"

namespace PostHogInspector
{

std::string CaptureTally::kindOf(const std::string& event)
{
	if (event == "$identify")
		return "identify";
	if (event == "$create_alias")
		return "alias";
	if (event == "$groupidentify")
		return "groupidentify";
	if (event == "$pageview")
		return "pageview";
	return "capture";
}

std::size_t CaptureTally::beginRequest(bool gzip)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_lastActivity.update();
	if (gzip)
		++_gzip;
	return ++_requests;
}

void CaptureTally::refuse()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	++_refused;
}

void CaptureTally::event(const Poco::JSON::Object::Ptr& event)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	++_events;
	++_kinds[kindOf(event->optValue<std::string>("event", ""))];
	_uuids.insert(event->optValue<std::string>("uuid", ""));
	_lastActivity.update();
}

Poco::Timestamp CaptureTally::lastActivity() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _lastActivity;
}

std::size_t CaptureTally::requests() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _requests;
}

std::string CaptureTally::summary() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::string kinds;
	for (const char* kind : {"capture", "identify", "alias", "groupidentify", "pageview"})
	{
		auto it = _kinds.find(kind);
		if (!kinds.empty())
			kinds += ", ";
		kinds += std::string(kind) + " " + std::to_string(it == _kinds.end() ? 0 : it->second);
	}
	std::size_t uuids = _uuids.size() - (_uuids.count("") ? 1 : 0);
	return "summary: " + std::to_string(_requests) + " requests (" + std::to_string(_gzip) + " gzip), " +
	       std::to_string(_events) + " events (" + kinds + "), " + std::to_string(uuids) + " unique uuids, " +
	       std::to_string(_refused) + " requests refused";
}

} // namespace PostHogInspector
