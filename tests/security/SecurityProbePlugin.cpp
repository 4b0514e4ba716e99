//
// SecurityProbePlugin.cpp
//
// A minimal middleware plugin for the plugin-loading restrictions tests: it tags each message.
//

#include "Poco/ClassLibrary.h"
#include "PostHog/Message.h"
#include "PostHog/Middleware.h"
#include "PostHog/Properties.h"

class SecurityProbeMiddleware : public PostHog::Middleware
{
public:
	std::string name() const override { return "security-probe"; }

	Result process(PostHog::Message& message) override
	{
		message.properties().set("security_probe", true);
		return Result::pass();
	}
};

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(SecurityProbeMiddleware)
POCO_END_MANIFEST
