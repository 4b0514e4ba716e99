//
// FlagPayload.cpp
//

#include "Poco/JSON/Parser.h"
#include "PostHog/Exceptions.h"
#include "PostHog/FeatureFlagResult.h"

namespace PostHog
{

namespace
{

bool decode(const std::string& json, Properties& holder)
{
	try
	{
		// Poco's parser takes only an object or an array at the top: any JSON value (a string,
		// a number, null) is parsed as the one element of an array, and held in an object.
		Poco::JSON::Array::Ptr parsed =
		    Poco::JSON::Parser().parse("[" + json + "]").extract<Poco::JSON::Array::Ptr>();
		if (parsed->size() != 1)
			return false;
		Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		object->set("v", parsed->get(0));
		holder = Properties::fromVar(object);
		return true;
	}
	catch (Poco::Exception&)
	{
		holder.clear();
		return false;
	}
}

} // namespace

FlagPayload FlagPayload::fromJSON(const std::string& json)
{
	FlagPayload payload;
	if (json.empty())
		return payload;
	auto decoded = std::make_shared<Decoded>();
	bool ok = false;
	std::call_once(decoded->once, [&] { ok = decode(json, decoded->holder); });
	if (!ok)
		return payload;
	payload._json = decoded->holder.get("v").toJSON();
	payload._decoded = std::move(decoded);
	return payload;
}

FlagPayload FlagPayload::fromValidJSON(const std::string& json)
{
	FlagPayload payload;
	if (json.empty())
		return payload;
	payload._json = json;
	payload._decoded = std::make_shared<Decoded>();
	return payload;
}

Value FlagPayload::value() const noexcept
{
	if (!_decoded)
		return Value();
	// Copies share one Decoded: the first reader on any thread decodes, the others wait for it.
	std::call_once(_decoded->once, [this] { decode(_json, _decoded->holder); });
	return _decoded->holder.get("v");
}

} // namespace PostHog
