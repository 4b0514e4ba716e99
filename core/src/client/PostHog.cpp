//
// PostHog.cpp
//

#include "PostHog/PostHog.h"

namespace PostHog
{

const char* libraryVersion()
{
	return POSTHOG_VERSION_STRING;
}

} // namespace PostHog
