//
// PostHog.h
//
// Library-wide definitions: the export macro and the version numbers.
// Every public header of posthog-cpp includes this one first.
//

#ifndef PostHog_PostHog_INCLUDED
#define PostHog_PostHog_INCLUDED

// The library is compiled with -fvisibility=hidden: only what is marked PostHog_API is exported
// from libPostHogCore, everything under core/src stays internal to it.
#if defined(__GNUC__) && (__GNUC__ >= 4)
#define PostHog_API __attribute__((visibility("default")))
#else
#define PostHog_API
#endif

// POSTHOG_VERSION_MAJOR, _MINOR, _PATCH and _STRING, generated from the project version.
#include "PostHog/Version.h"

/// The value sent as properties.$lib.
#define POSTHOG_LIB_NAME "posthog-cpp"

/// The version of the middleware plugin interface (Middleware, Message, Properties layout).
/// A plugin library records the version it was built against (the posthogMiddlewareAbiVersion()
/// function that Middleware.h defines in every library including it); the pipeline refuses a
/// library whose version differs from this one.
/// Bump it whenever a change to those classes breaks binary compatibility.
#ifndef POSTHOG_MIDDLEWARE_ABI_VERSION
#define POSTHOG_MIDDLEWARE_ABI_VERSION 2
#endif

namespace PostHog
{

PostHog_API const char* libraryVersion();
/// Returns POSTHOG_VERSION_STRING as compiled into the library (which may differ from the header
/// an application was built with).

} // namespace PostHog

#endif // PostHog_PostHog_INCLUDED
