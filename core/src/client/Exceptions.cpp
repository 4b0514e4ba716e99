//
// Exceptions.cpp
//

#include "PostHog/Exceptions.h"
#include <typeinfo>

namespace PostHog
{

POCO_IMPLEMENT_EXCEPTION(PostHogException, Poco::Exception, "PostHog error")
POCO_IMPLEMENT_EXCEPTION(ConfigurationException, PostHogException, "PostHog configuration error")
POCO_IMPLEMENT_EXCEPTION(PluginException, PostHogException, "PostHog plugin error")
POCO_IMPLEMENT_EXCEPTION(InvalidMessageException, PostHogException, "Invalid message")
POCO_IMPLEMENT_EXCEPTION(DataException, PostHogException, "Malformed data")

} // namespace PostHog
