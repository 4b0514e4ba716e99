//
// ClientExceptions.cpp
//
// Client's error tracking methods: captureException() and getDistinctId().
//

#include "PostHog/Client.h"
#include "PostHog/RequestContext.h"
#include "client/ClientImpl.h"
#include "encoding/UuidGenerator.h"
#include "errors/DebugImages.h"
#include "errors/ErrorTracker.h"
#include "errors/ExceptionEventBuilder.h"
#include "errors/StackTrace.h"

namespace PostHog
{

void Client::startErrorTracking()
{
	_errors.reset(new ErrorTracker(*this, _impl->options()));
}

// Each overload passes its own return address: the stack then starts at the application's
// frame that called it.

std::string Client::captureException(const std::exception& exception, const std::string& distinctId,
                                     Properties properties, const ExceptionCaptureOptions& options)
{
	ExceptionEventBuilder builder;
	return captureExceptionEvent(
	    builder, [&] { builder.add(exception); }, __builtin_return_address(0), distinctId,
	    std::move(properties), options);
}

std::string Client::captureException(std::exception_ptr exception, const std::string& distinctId,
                                     Properties properties, const ExceptionCaptureOptions& options)
{
	ExceptionEventBuilder builder;
	return captureExceptionEvent(
	    builder, [&] { builder.add(exception); }, __builtin_return_address(0), distinctId,
	    std::move(properties), options);
}

std::string Client::captureException(const std::string& type, const std::string& message,
                                     const std::string& distinctId, Properties properties,
                                     const ExceptionCaptureOptions& options)
{
	ExceptionEventBuilder builder;
	return captureExceptionEvent(
	    builder, [&] { builder.add(type, message); }, __builtin_return_address(0), distinctId,
	    std::move(properties), options);
}

std::string Client::captureExceptionEvent(ExceptionEventBuilder& builder,
                                          const std::function<void()>& describe, const void* site,
                                          const std::string& distinctId, Properties properties,
                                          const ExceptionCaptureOptions& options) noexcept
{
	try
	{
		describe();
		if (options.stacktrace)
		{
			Array frames =
			    StackTrace::describe(StackTrace::capture(site), _impl->options().exceptionContextLines);
			builder.setDebugImages(DebugImages::forFrames(frames));
			builder.setFrames(std::move(frames), true);
		}
		return captureBuiltException(builder, distinctId, std::move(properties), options);
	}
	catch (...)
	{
		return std::string();
	}
}

std::string Client::captureBuiltException(ExceptionEventBuilder& builder, const std::string& distinctId,
                                          Properties properties, const ExceptionCaptureOptions& options)
{
	if (_impl->optedOut() || !_impl->options().enabled || builder.entries().empty())
		return std::string();
	const std::string& type = builder.entries().front().type;
	if (_errors && !_errors->allow(type))
	{
		_impl->reject("$exception '" + type + "' dropped: more than posthog.exceptions.rateLimit = " +
		              std::to_string(_impl->options().exceptionRateLimit) +
		              " of this type in the last minute");
		return std::string();
	}
	// An exception needs no person: without an explicit or request-context id it is personless.
	std::string id = distinctId;
	const RequestContext* context = RequestContext::current();
	if (id.empty() && (context == nullptr || context->distinctId().empty()))
	{
		id = UuidGenerator::toString(UuidGenerator::next());
		properties.setIfAbsent("$process_person_profile", false);
	}
	return capture(id, "$exception", builder.properties(std::move(properties), options), options);
}

std::optional<std::string> Client::getDistinctId() const
{
	const RequestContext* context = RequestContext::current();
	if (context == nullptr || context->distinctId().empty())
		return std::nullopt;
	return context->distinctId();
}

} // namespace PostHog
