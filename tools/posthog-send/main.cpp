//
// main.cpp
//
// posthog-send's entry point. Not POCO_APP_MAIN: that returns 78 (EX_CONFIG) for a bad option,
// and posthog-send promises 2 for every usage or configuration error.
//

#include "SendApplication.h"
#include <iostream>

int main(int argc, char** argv)
{
	std::ios::sync_with_stdio(false);
	// Unsynchronised streams are not thread-safe, and std::cerr flushes std::cout before every
	// write by default: with --explain the worker writes std::cout while this thread reports bad
	// lines on std::cerr, and that flush raced the worker (blocks of output came out twice).
	std::cerr.tie(nullptr);
	return PostHog::ToolApplication::runMain(new PostHogSend::SendApplication, argc, argv);
}
