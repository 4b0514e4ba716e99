//
// main.cpp
//
// posthog-send's entry point. Not POCO_APP_MAIN: that returns 78 (EX_CONFIG) for a bad option,
// and posthog-send promises 2 for every usage or configuration error.
//

#include "Poco/AutoPtr.h"
#include "Poco/Exception.h"
#include "SendApplication.h"
#include <iostream>

int main(int argc, char** argv)
{
	std::ios::sync_with_stdio(false);
	// Unsynchronised streams are not thread-safe, and std::cerr flushes std::cout before every
	// write by default: with --explain the worker writes std::cout while this thread reports bad
	// lines on std::cerr, and that flush raced the worker (blocks of output came out twice).
	std::cerr.tie(nullptr);
	Poco::AutoPtr<PostHogSend::SendApplication> app = new PostHogSend::SendApplication;
	try
	{
		app->init(argc, argv);
	}
	catch (Poco::Exception& e)
	{
		std::cerr << "posthog-send: " << PostHogSend::SendApplication::usageError(e)
		          << " (see posthog-send --help)" << std::endl;
		return PostHogSend::SendApplication::ExitUsage;
	}
	return PostHogSend::SendApplication::exitCode(app->run());
}
