//
// Middleware.cpp
//

#include "PostHog/Middleware.h"

namespace PostHog
{

Middleware::Middleware() = default;

Middleware::~Middleware() = default;

const OptionTable& Middleware::options() const
{
	static const OptionTable none;
	return none;
}

void Middleware::attach(MiddlewareContext&) {}

void Middleware::configure(const Poco::Util::AbstractConfiguration&) {}

Middleware::OnError Middleware::defaultOnError() const
{
	return OnError::Drop;
}

} // namespace PostHog
