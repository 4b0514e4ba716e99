//
// FunctionMiddleware.cpp
//

#include "pipeline/FunctionMiddleware.h"

namespace PostHog
{

FunctionMiddleware::FunctionMiddleware(MiddlewareRegistry::Function function) : _function(std::move(function)) {}

std::string FunctionMiddleware::name() const
{
	return "function";
}

Middleware::Result FunctionMiddleware::process(Message& message)
{
	if (_function(message))
		return Result::pass();
	return Result::drop("dropped by before_send function");
}

Middleware::OnError FunctionMiddleware::defaultOnError() const
{
	return OnError::Drop;
}

} // namespace PostHog
