//
// ErrorsTestSupport.h
//
// Shared by the error tracking suites: a client aimed at a CaptureServer and the one
// $exception event it received.
//

#ifndef PostHogTest_ErrorsTestSupport_INCLUDED
#define PostHogTest_ErrorsTestSupport_INCLUDED

#include "ClientTestSupport.h"
#include "Poco/JSON/Array.h"
#include <cppunit/extensions/HelperMacros.h>

namespace PostHogTest
{

inline Poco::JSON::Object::Ptr onlyEvent(PostHog::Client& client, const CaptureServer& server)
/// Flushes and returns the single event the server received (fails the test otherwise).
{
	bool delivered = client.flush(Poco::Timespan(10, 0)) == PostHog::Client::FlushResult::Delivered;
	std::string refused;
	for (const auto& e : server.errors())
		refused += e + "; ";
	CPPUNIT_ASSERT_MESSAGE("not delivered: " + refused, delivered);
	auto events = server.events();
	CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
	return events[0];
}

inline Poco::JSON::Array::Ptr exceptionList(const Poco::JSON::Object::Ptr& event)
{
	return props(event)->getArray("$exception_list");
}

inline Poco::JSON::Object::Ptr entry(const Poco::JSON::Object::Ptr& event, unsigned index)
{
	return exceptionList(event)->getObject(index);
}

inline Poco::JSON::Object::Ptr mechanism(const Poco::JSON::Object::Ptr& event, unsigned index)
{
	return entry(event, index)->getObject("mechanism");
}

inline Poco::JSON::Array::Ptr frames(const Poco::JSON::Object::Ptr& event)
{
	return entry(event, 0)->getObject("stacktrace")->getArray("frames");
}

} // namespace PostHogTest

#endif // PostHogTest_ErrorsTestSupport_INCLUDED
