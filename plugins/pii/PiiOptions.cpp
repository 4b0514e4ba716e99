//
// PiiOptions.cpp
//

#include "PiiOptions.h"
#include "PhoneDetector.h"
#include "Poco/Exception.h"
#include "Poco/String.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/ConfigMap.h"

namespace PostHog
{

PiiOptions::PiiOptions()
{
	modes.fill(PiiMode::Redact);
}

const char* PiiOptions::defaultAllowKeys()
{
	return "$lib,$lib_version,$insert_id,$session_id,$window_id,$device_id,$os,$os_version,$browser,$browser_"
	       "version,"
	       "$device_type,$raw_user_agent,$app_version,$app_build,$app_namespace,$geoip_disable,$process_"
	       "person_profile,$sent_"
	       "at";
}

PiiOptions PiiOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	PiiOptions o;
	PiiMode fallback = parseMode(config.getString("mode", "redact"));
	bool needKey = false;
	for (std::size_t k = 0; k < piiKindCount; ++k)
	{
		PiiKind kind = static_cast<PiiKind>(k);
		std::string value = Poco::toLower(Poco::trim(config.getString(kindOption(kind), "default")));
		o.modes[k] = value == "default" ? fallback : parseMode(value);
		needKey = needKey || o.modes[k] == PiiMode::Hash;
	}
	o.hashKey = config.getString("hashKey", "");
	if (needKey && o.hashKey.empty())
		throw Poco::InvalidArgumentException(
		    "option 'hashKey' must be set when a mode is 'hash' (the hash is keyed "
		    "so that values cannot be recovered by hashing guesses)");
	o.defaultRegion = Poco::toUpper(Poco::trim(config.getString("defaultRegion", "US")));
	try
	{
		PhoneDetector check(o.defaultRegion);
	}
	catch (const Poco::InvalidArgumentException& e)
	{
		throw Poco::InvalidArgumentException("option 'defaultRegion': " + e.message());
	}
	o.sensitiveKeys = ConfigMap::splitList(config.getString("sensitiveKeys", ""));
	o.allowKeys = ConfigMap::splitList(config.getString("allowKeys", defaultAllowKeys()));
	o.maxDepth = static_cast<unsigned>(config.getInt("maxDepth", 32));
	return o;
}

} // namespace PostHog
