//
// FlagsTestSupport.h
//
// A client aimed at a CaptureServer with the flag endpoints, for the flag suites.
//

#ifndef PostHogTest_FlagsTestSupport_INCLUDED
#define PostHogTest_FlagsTestSupport_INCLUDED

#include "CaptureServer.h"
#include "FlagsEndpoint.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/Thread.h"
#include "PostHog/Client.h"
#include <cppunit/extensions/HelperMacros.h>
#include <memory>
#include <string>
#include <vector>

namespace PostHogTest
{

struct FlagsFixture
/// A loopback server with /batch/ and the flag endpoints, and a client built on demand.
{
	CaptureServer server;
	FlagsEndpoint flags{server};
	std::unique_ptr<PostHog::Client> client;

	PostHog::ClientOptions options(bool local) const
	{
		PostHog::ClientOptions o;
		o.apiKey = "phc_project_key_1234";
		o.host = server.url();
		o.batchInterval = Poco::Timespan(60, 0);
		o.retryBaseDelay = Poco::Timespan(10 * 1000);
		o.shutdownTimeout = Poco::Timespan(10, 0);
		o.flagsRequestTimeout = Poco::Timespan(2, 0);
		if (local)
			o.personalApiKey = "phx_personal_key_5678";
		return o;
	}

	PostHog::Client& start(bool local, PostHog::ClientOptions o)
	{
		client.reset(new PostHog::Client(std::move(o)));
		if (local)
			CPPUNIT_ASSERT(client->waitForLocalEvaluationReady(Poco::Timespan(10, 0)));
		return *client;
	}

	PostHog::Client& start(bool local) { return start(local, options(local)); }

	PostHog::Client& startLocal(const std::vector<std::string>& definitions)
	{
		flags.setDefinitions(FlagsEndpoint::definitions(definitions));
		return start(true);
	}

	std::vector<Poco::JSON::Object::Ptr> events(const std::string& name)
	/// Flushes, then the events named `name` the server received.
	{
		client->flush(Poco::Timespan(10, 0));
		std::vector<Poco::JSON::Object::Ptr> out;
		for (const auto& e : server.events())
			if (e->getValue<std::string>("event") == name)
				out.push_back(e);
		return out;
	}

	std::vector<Poco::JSON::Object::Ptr> calledEvents() { return events("$feature_flag_called"); }

	static Poco::JSON::Object::Ptr props(const Poco::JSON::Object::Ptr& event)
	{
		return event->getObject("properties");
	}

	static std::map<std::string, FlagsEndpoint::Flag>
	table(std::initializer_list<std::pair<const std::string, std::string>> values)
	{
		std::map<std::string, FlagsEndpoint::Flag> out;
		for (const auto& v : values)
			out[v.first].value = v.second;
		return out;
	}
};

inline std::vector<std::string> requestedKeys(const Poco::JSON::Object::Ptr& body)
/// The flag_keys_to_evaluate of a /flags request body (empty when it asks for every flag).
{
	std::vector<std::string> keys;
	if (Poco::JSON::Array::Ptr a = body->getArray("flag_keys_to_evaluate"))
		for (std::size_t i = 0; i < a->size(); ++i)
			keys.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
	return keys;
}

} // namespace PostHogTest

#endif // PostHogTest_FlagsTestSupport_INCLUDED
