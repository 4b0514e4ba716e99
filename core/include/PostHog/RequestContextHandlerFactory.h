//
// RequestContextHandlerFactory.h
//
// Gives every handler of a Poco HTTPServer a RequestScope and exception capture.
//

#ifndef PostHog_RequestContextHandlerFactory_INCLUDED
#define PostHog_RequestContextHandlerFactory_INCLUDED

#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "PostHog/PostHog.h"

namespace PostHog
{

class Client;

class PostHog_API RequestContextHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
/// Wraps an application's handler factory, in one line:
///
///     Poco::Net::HTTPServer server(new PostHog::RequestContextHandlerFactory(client, new MyFactory), socket,
///     params);
///
/// Every request is then handled inside a RequestScope filled from its headers
/// (RequestContext::fromRequest), so capture() calls in handlers need no distinct id. Anything a
/// handler throws is caught inside the scope, captured as a $exception with the request's context
/// (mechanism "middleware", handled false, $exception_source "poco.http_request_handler",
/// $response_status_code 500), and answered with a 500 if the handler had not sent a response
/// yet. Poco 1.11 itself sends no reply at all for a std::exception escaping a handler, and its
/// ErrorHandler sees the exception only after the request's scope is gone.
///
/// The client must outlive the server.
{
public:
	RequestContextHandlerFactory(Client& client, Poco::Net::HTTPRequestHandlerFactory::Ptr factory);
	/// Takes over factory (a raw pointer converts, as with HTTPServer).

	~RequestContextHandlerFactory() override;

	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;
	/// The wrapped factory's handler inside a scope, or nullptr when it returned nullptr.

private:
	Client& _client;
	Poco::Net::HTTPRequestHandlerFactory::Ptr _factory;
};

} // namespace PostHog

#endif // PostHog_RequestContextHandlerFactory_INCLUDED
