//
// RequestScope.h
//
// Makes a RequestContext current on this thread for the lifetime of the scope.
//

#ifndef PostHog_RequestScope_INCLUDED
#define PostHog_RequestScope_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/RequestContext.h"

namespace PostHog
{

class PostHog_API RequestScope
/// RAII: while a RequestScope lives, RequestContext::current() on the constructing thread is its
/// context; the destructor restores whatever was current before (scopes nest). The context is
/// per thread, so concurrent requests served by different threads never see each other's ids,
/// and work handed to another thread carries no context unless that thread opens its own scope
/// (copy RequestContext::current() into it).
///
///     void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response)
///     {
///         PostHog::RequestScope scope(PostHog::RequestContext::fromRequest(request));
///         ...
///     }
///
/// A scope must be destroyed on the thread that created it (as any local variable is).
{
public:
	explicit RequestScope(RequestContext context);
	~RequestScope();

	RequestScope(const RequestScope&) = delete;
	RequestScope& operator=(const RequestScope&) = delete;

	const RequestContext& context() const noexcept { return _context; }
	RequestContext& context() noexcept { return _context; }
	/// The scope's context; changes made here are seen by later captures in the scope.

private:
	RequestContext _context;
	const RequestContext* _previous;
};

} // namespace PostHog

#endif // PostHog_RequestScope_INCLUDED
