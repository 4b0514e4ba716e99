//
// FlagPayload.cpp
//

#include "Poco/JSON/Parser.h"
#include "PostHog/Exceptions.h"
#include "PostHog/FeatureFlagResult.h"

namespace PostHog
{

FlagPayload FlagPayload::fromJSON(const std::string& json)
{
	FlagPayload payload;
	if (json.empty())
		return payload;
	try
	{
		// Poco's parser takes only an object or an array at the top: any JSON value (a string,
		// a number, null) is parsed as the one element of an array, and held in an object.
		Poco::JSON::Array::Ptr parsed =
		    Poco::JSON::Parser().parse("[" + json + "]").extract<Poco::JSON::Array::Ptr>();
		if (parsed->size() != 1)
			return payload;
		Poco::JSON::Object::Ptr holder = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		holder->set("v", parsed->get(0));
		payload._holder = Properties::fromVar(holder);
		payload._json = payload._holder.get("v").toJSON();
	}
	catch (Poco::Exception&)
	{
		payload._holder.clear();
		payload._json.clear();
	}
	return payload;
}

Value FlagPayload::value() const noexcept
{
	return _holder.get("v");
}

} // namespace PostHog
