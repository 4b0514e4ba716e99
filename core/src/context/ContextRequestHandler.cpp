//
// ContextRequestHandler.cpp
//

#include "context/ContextRequestHandler.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "PostHog/Client.h"
#include "PostHog/RequestScope.h"

namespace PostHog
{

ContextRequestHandler::ContextRequestHandler(Client& client, Poco::Net::HTTPRequestHandler* handler)
    : _client(client), _handler(handler)
{
}

ContextRequestHandler::~ContextRequestHandler() = default;

void ContextRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                          Poco::Net::HTTPServerResponse& response)
{
	RequestScope scope(RequestContext::fromRequest(request));
	try
	{
		_handler->handleRequest(request, response);
	}
	catch (...)
	{
		fail(std::current_exception(), response);
	}
}

void ContextRequestHandler::fail(std::exception_ptr exception, Poco::Net::HTTPServerResponse& response)
{
	bool answered = response.sent();
	ExceptionCaptureOptions options;
	options.handled = false;
	options.mechanismType = "middleware";
	options.source = "poco.http_request_handler";
	Properties properties;
	if (!answered)
		properties.set("$response_status_code", 500);
	_client.captureException(exception, std::string(), properties, options);
	if (answered)
		return;
	try
	{
		response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
		response.setContentLength(0);
		response.send();
	}
	catch (...)
	{
		// The connection is gone: nothing left to answer.
	}
}

} // namespace PostHog
