//
// ConfigReader.h
//
// Typed reads of configuration keys whose errors name the key and the value.
//

#ifndef PostHog_ConfigReader_INCLUDED
#define PostHog_ConfigReader_INCLUDED

#include "Poco/Timespan.h"
#include "Poco/Util/AbstractConfiguration.h"
#include <string>

namespace PostHog
{

class ConfigReader
/// Typed, range-checked reads of configuration keys. Poco 1.11's getInt()/getDouble() throw a
/// SyntaxException that does not say which key was wrong; these throw
/// ConfigurationException("posthog.batch.size = 'abc' is not an integer between 1 and 100000").
{
public:
	explicit ConfigReader(const Poco::Util::AbstractConfiguration& config);

	std::string getString(const std::string& key, const std::string& deflt) const;
	Poco::Int64 getInt(const std::string& key, Poco::Int64 deflt, Poco::Int64 min, Poco::Int64 max) const;
	double getDouble(const std::string& key, double deflt, double min, double max) const;
	bool getBool(const std::string& key, bool deflt) const;
	Poco::Timespan getMilliseconds(const std::string& key, Poco::Timespan deflt, Poco::Int64 minMs,
	                               Poco::Int64 maxMs) const;
	std::string getChoice(const std::string& key, const std::string& deflt, const std::string& choices) const;
	/// choices is comma-separated; the result is lower-case.

private:
	[[noreturn]] void fail(const std::string& key, const std::string& value,
	                       const std::string& expected) const;

	const Poco::Util::AbstractConfiguration& _config;
};

} // namespace PostHog

#endif // PostHog_ConfigReader_INCLUDED
