//
// PostHog.h
//
// Library-wide definitions: the export macro and the version numbers.
// Every public header of posthog-cpp includes this one first.
//

#ifndef PostHog_PostHog_INCLUDED
#define PostHog_PostHog_INCLUDED

#if defined(__GNUC__) && (__GNUC__ >= 4)
#define PostHog_API __attribute__((visibility("default")))
#else
#define PostHog_API
#endif

/// The library version, sent on every event as properties.$lib_version.
#define POSTHOG_VERSION_MAJOR 0
#define POSTHOG_VERSION_MINOR 1
#define POSTHOG_VERSION_PATCH 0
#define POSTHOG_VERSION_STRING "0.1.0"

/// The value sent as properties.$lib.
#define POSTHOG_LIB_NAME "posthog-cpp"

/// The version of the middleware plugin interface (Middleware, Message, Properties layout).
/// A plugin library records the version it was built against (see POSTHOG_MIDDLEWARE_LIBRARY in
/// Middleware.h); the pipeline refuses a library whose version differs from this one.
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
