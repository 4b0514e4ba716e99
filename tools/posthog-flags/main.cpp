//
// main.cpp
//
// posthog-flags [--config FILE] [--api-key K] [--personal-api-key P] [--host URL]
//               [--define key=value]... [--local-only] [--flag KEY]... [--explain]
//               [--bench-rounds N] [FILE | -]
//

#include "FlagsApplication.h"
#include "Poco/AutoPtr.h"
#include <iostream>

int main(int argc, char** argv)
{
	Poco::AutoPtr<PostHogFlags::FlagsApplication> app = new PostHogFlags::FlagsApplication;
	try
	{
		app->init(argc, argv);
	}
	catch (Poco::Exception& e)
	{
		std::cerr << "posthog-flags: " << PostHogFlags::FlagsApplication::usageError(e)
		          << " (see posthog-flags --help)" << std::endl;
		return PostHogFlags::FlagsApplication::ExitUsage;
	}
	return app->run();
}
