//
// RequestScope.cpp
//

#include "PostHog/RequestScope.h"

namespace PostHog
{

const RequestContext*& currentRequestContextSlot() noexcept; // RequestContext.cpp

RequestScope::RequestScope(RequestContext context)
    : _context(std::move(context)), _previous(currentRequestContextSlot())
{
	currentRequestContextSlot() = &_context;
}

RequestScope::~RequestScope()
{
	currentRequestContextSlot() = _previous;
}

} // namespace PostHog
