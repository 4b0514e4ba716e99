//
// main.cpp
//
// posthog-flags [--config FILE] [--api-key K] [--personal-api-key P] [--host URL]
//               [--define key=value]... [--local-only] [--flag KEY]... [--explain]
//               [--threads N] [--bench-rounds N] [FILE | -]
//

#include "FlagsApplication.h"

int main(int argc, char** argv)
{
	return PostHog::ToolApplication::runMain(new PostHogFlags::FlagsApplication, argc, argv);
}
