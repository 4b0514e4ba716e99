//
// OldAbiStage.cpp
//
// A plugin compiled with POSTHOG_MIDDLEWARE_ABI_VERSION=1 (before OptionSpec gained `required`):
// it stands for a library built against an older, incompatible middleware interface, which the pipeline must
// refuse.
//

#include "Poco/ClassLibrary.h"
#include "PostHog/Middleware.h"

namespace
{

class OldAbiMiddleware : public PostHog::Middleware
{
public:
	std::string name() const override { return "old-abi"; }
	Result process(PostHog::Message&) override { return Result::pass(); }
};

} // namespace

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(OldAbiMiddleware)
POCO_END_MANIFEST
