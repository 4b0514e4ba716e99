//
// ResultLine.cpp
//

#include "ResultLine.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/JSON/Stringifier.h"
#include <sstream>

namespace PostHogFlags
{

namespace
{

std::string text(const Poco::JSON::Object& object)
{
	std::ostringstream out;
	object.stringify(out);
	return out.str();
}

} // namespace

std::string ResultLine::of(const PostHog::FeatureFlagEvaluations& flags, const std::string& error)
{
	Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
	Poco::JSON::Object::Ptr values = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	Poco::JSON::Object::Ptr payloads = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	for (const std::string& key : flags.keys())
	{
		const PostHog::FeatureFlagResult result = flags.getResult(key);
		if (!result.value.hasValue())
			continue;
		if (result.value.isVariant())
			values->set(key, result.value.variant());
		else
			values->set(key, result.value.isEnabled());
		if (result.value.isEnabled() && result.payload.hasValue())
			payloads->set(key, Poco::JSON::Parser().parse(result.payload.toJSON()));
	}
	line.set("distinct_id", flags.distinctId());
	line.set("flags", values);
	line.set("payloads", payloads);
	if (!error.empty())
		line.set("error", error);
	return text(line);
}

std::string ResultLine::failure(std::size_t number, const std::string& error)
{
	Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
	line.set("line", static_cast<Poco::UInt64>(number));
	line.set("error", error);
	return text(line);
}

} // namespace PostHogFlags
