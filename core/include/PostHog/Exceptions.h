//
// Exceptions.h
//
// The exceptions posthog-cpp throws. All derive from PostHog::PostHogException, itself a
// Poco::Exception, so applications catch them the way they catch Poco's.
//

#ifndef PostHog_Exceptions_INCLUDED
#define PostHog_Exceptions_INCLUDED

#include "PostHog/PostHog.h"
#include "Poco/Exception.h"

namespace PostHog
{

POCO_DECLARE_EXCEPTION(PostHog_API, PostHogException, Poco::Exception)
/// The base class of every posthog-cpp exception.

POCO_DECLARE_EXCEPTION(PostHog_API, ConfigurationException, PostHogException)
/// A setting is missing, unknown, or has a value of the wrong type or range. The message names
/// the key, the value and what was expected.

POCO_DECLARE_EXCEPTION(PostHog_API, PluginException, PostHogException)
/// A middleware plugin could not be loaded: library not found (the message lists every path
/// tried), class not exported (the message lists the classes the library does export),
/// or built against another version of the middleware interface.

POCO_DECLARE_EXCEPTION(PostHog_API, InvalidMessageException, PostHogException)
/// A message read from NDJSON or built from user input is malformed.

POCO_DECLARE_EXCEPTION(PostHog_API, DataException, PostHogException)
/// Data received or loaded (feature flag definitions, a flags response) is malformed. The
/// message names what is wrong and where.

} // namespace PostHog

#endif // PostHog_Exceptions_INCLUDED
