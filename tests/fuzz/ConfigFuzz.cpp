//
// ConfigFuzz.cpp
//
// libFuzzer target: configuration text through Poco's loaders, ClientOptions::fromConfiguration
// and Pipeline::build. The first byte picks the format (properties, XML, INI, JSON). Every
// failure must be a Poco::Exception (ConfigurationException, PluginException or the loader's
// own); anything else, a crash, a leak or undefined behaviour is a finding.
//

#include "Poco/AutoPtr.h"
#include "Poco/Logger.h"
#include "Poco/NullChannel.h"
#include "Poco/Util/IniFileConfiguration.h"
#include "Poco/Util/JSONConfiguration.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/Pipeline.h"
#include <cstdint>
#include <cstdlib>
#include <sstream>

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
	Poco::Logger::root().setChannel(new Poco::NullChannel);
	Poco::Logger::get("PostHog").setChannel(new Poco::NullChannel);
	return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	if (size < 1)
		return 0;
	std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
	try
	{
		Poco::AutoPtr<Poco::Util::AbstractConfiguration> config;
		switch (data[0] % 4)
		{
		case 0:
			config = new Poco::Util::PropertyFileConfiguration(in);
			break;
		case 1:
			config = new Poco::Util::XMLConfiguration(in);
			break;
		case 2:
			config = new Poco::Util::IniFileConfiguration(in);
			break;
		default:
			config = new Poco::Util::JSONConfiguration(in);
			break;
		}
		PostHog::ClientOptions options = PostHog::ClientOptions::fromConfiguration(*config);
		PostHog::MiddlewareContext context(Poco::Logger::get("PostHog"));
		PostHog::Pipeline::build(*options.configuration, PostHog::MiddlewareRegistry(), context);
	}
	catch (Poco::Exception&)
	{
		// A refused configuration: the expected outcome for most inputs.
	}
	return 0;
}
