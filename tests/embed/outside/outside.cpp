//
// outside.cpp
//
// A Poco Application using PostHog through ClientSubsystem, built against an installed
// posthog-cpp. Captures one event; prints where the library and its plugin directory are.
//
//     posthog-outside --posthog-host=<url> --posthog-api-key=<key> [--config=<file>]
//

#include "Poco/Util/Application.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionCallback.h"
#include "Poco/Util/OptionSet.h"
#include "PostHog/ClientSubsystem.h"
#include "PostHog/Pipeline.h"
#include <dlfcn.h>
#include <iostream>

class Outside : public Poco::Util::Application
{
public:
	Outside() { addSubsystem(new PostHog::ClientSubsystem); }

protected:
	void defineOptions(Poco::Util::OptionSet& options) override
	{
		Application::defineOptions(options);
		options.addOption(Poco::Util::Option("config", "", "load a configuration file")
		                      .argument("file")
		                      .repeatable(true)
		                      .callback(Poco::Util::OptionCallback<Outside>(this, &Outside::handleConfig)));
	}

	void handleConfig(const std::string&, const std::string& file) { loadConfiguration(file); }

	int main(const ArgVec&) override
	{
		PostHog::Client& posthog = getSubsystem<PostHog::ClientSubsystem>().client();
		Dl_info info;
		if (dladdr(reinterpret_cast<void*>(&PostHog::Pipeline::defaultPluginDirectories), &info) &&
		    info.dli_fname)
			std::cout << "core library: " << info.dli_fname << "\n";
		std::cout << "plugin directory: " << PostHog::Pipeline::defaultPluginDirectories().front() << "\n";
		for (const auto& stage : posthog.pipeline().stageNames())
			std::cout << "stage: " << stage << "\n";
		std::string uuid = posthog.capture("outside-user", "outside event", {{"built_with", "find_package"}});
		std::cout << "captured: " << uuid << std::endl;
		return uuid.empty() ? EXIT_SOFTWARE : EXIT_OK; // the subsystem flushes on the way out
	}
};

POCO_APP_MAIN(Outside)
