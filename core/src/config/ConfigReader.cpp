//
// ConfigReader.cpp
//

#include "config/ConfigReader.h"
#include "client/Reporter.h"
#include "PostHog/Exceptions.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"

namespace PostHog
{

ConfigReader::ConfigReader(const Poco::Util::AbstractConfiguration& config) : _config(config) {}

void ConfigReader::fail(const std::string& key, const std::string& value, const std::string& expected) const
{
	// A value that holds the project key (pasted into the wrong field) never reaches an
	// exception text unmasked (docs/security.md).
	throw ConfigurationException(
	    key + " = '" + Reporter::maskIn(value, _config.getString("posthog.apiKey", "")) + "' is not " + expected);
}

std::string ConfigReader::getString(const std::string& key, const std::string& deflt) const
{
	return _config.getString(key, deflt);
}

Poco::Int64 ConfigReader::getInt(const std::string& key, Poco::Int64 deflt, Poco::Int64 min, Poco::Int64 max) const
{
	if (!_config.has(key))
		return deflt;
	std::string raw = _config.getString(key);
	Poco::Int64 v;
	if (!Poco::NumberParser::tryParse64(Poco::trim(raw), v) || v < min || v > max)
		fail(key, raw, "an integer between " + std::to_string(min) + " and " + std::to_string(max));
	return v;
}

double ConfigReader::getDouble(const std::string& key, double deflt, double min, double max) const
{
	if (!_config.has(key))
		return deflt;
	std::string raw = _config.getString(key);
	double v;
	if (!Poco::NumberParser::tryParseFloat(Poco::trim(raw), v) || !(v >= min && v <= max))
		fail(key, raw, "a number between " + std::to_string(min) + " and " + std::to_string(max));
	return v;
}

bool ConfigReader::getBool(const std::string& key, bool deflt) const
{
	if (!_config.has(key))
		return deflt;
	std::string raw = _config.getString(key);
	std::string v = Poco::toLower(Poco::trim(raw));
	if (v == "true" || v == "yes" || v == "on" || v == "1")
		return true;
	if (v == "false" || v == "no" || v == "off" || v == "0")
		return false;
	fail(key, raw, "true or false");
}

Poco::Timespan ConfigReader::getMilliseconds(const std::string& key, Poco::Timespan deflt, Poco::Int64 minMs,
    Poco::Int64 maxMs) const
{
	if (!_config.has(key))
		return deflt;
	std::string raw = _config.getString(key);
	Poco::Int64 v;
	if (!Poco::NumberParser::tryParse64(Poco::trim(raw), v) || v < minMs || v > maxMs)
		fail(key, raw, "a number of milliseconds between " + std::to_string(minMs) + " and " + std::to_string(maxMs));
	return Poco::Timespan(v * Poco::Timespan::MILLISECONDS);
}

std::string ConfigReader::getChoice(const std::string& key, const std::string& deflt, const std::string& choices) const
{
	if (!_config.has(key))
		return deflt;
	std::string raw = _config.getString(key);
	std::string v = Poco::toLower(Poco::trim(raw));
	Poco::StringTokenizer tok(choices, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& c : tok)
	{
		if (c == v)
			return v;
	}
	fail(key, raw, "one of " + choices);
}

} // namespace PostHog
