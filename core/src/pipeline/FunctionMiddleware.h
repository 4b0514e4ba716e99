//
// FunctionMiddleware.h
//
// A Middleware around a std::function: the before_send hook.
//

#ifndef PostHog_FunctionMiddleware_INCLUDED
#define PostHog_FunctionMiddleware_INCLUDED

#include "PostHog/MiddlewareRegistry.h"

namespace PostHog
{

class FunctionMiddleware : public Middleware
/// Passes when the function returns true, drops when it returns false. A throwing function
/// drops the message (sdk-specs' before_send contract: never send what a failed hook may
/// have been meant to scrub), which is its default on-error policy.
{
public:
	explicit FunctionMiddleware(MiddlewareRegistry::Function function);
	std::string name() const override;
	Result process(Message& message) override;
	OnError defaultOnError() const override;

private:
	MiddlewareRegistry::Function _function;
};

} // namespace PostHog

#endif // PostHog_FunctionMiddleware_INCLUDED
