//
// ContextRequestHandler.h
//
// The handler RequestContextHandlerFactory wraps around each application handler.
//

#ifndef PostHog_ContextRequestHandler_INCLUDED
#define PostHog_ContextRequestHandler_INCLUDED

#include "Poco/Net/HTTPRequestHandler.h"
#include <exception>
#include <memory>

namespace PostHog
{

class Client;

class ContextRequestHandler : public Poco::Net::HTTPRequestHandler
/// Runs the application's handler inside a RequestScope built from the request, catches
/// whatever it throws, captures it with the request's context and answers 500 when no response
/// was sent yet. The exception is not rethrown: the 500 is the request's error handling.
{
public:
	ContextRequestHandler(Client& client, Poco::Net::HTTPRequestHandler* handler);
	~ContextRequestHandler() override;

	void handleRequest(Poco::Net::HTTPServerRequest& request,
	                   Poco::Net::HTTPServerResponse& response) override;

private:
	void fail(std::exception_ptr exception, Poco::Net::HTTPServerResponse& response);

	Client& _client;
	std::unique_ptr<Poco::Net::HTTPRequestHandler> _handler;
};

} // namespace PostHog

#endif // PostHog_ContextRequestHandler_INCLUDED
