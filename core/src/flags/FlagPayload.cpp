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
		// Held in an object so that any JSON value (a string, a number, null) converts.
		Poco::JSON::Object::Ptr holder = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		holder->set("v", Poco::JSON::Parser().parse(json));
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
