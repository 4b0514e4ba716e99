//
// RequestContextHandlerFactory.cpp
//

#include "PostHog/RequestContextHandlerFactory.h"
#include "context/ContextRequestHandler.h"

namespace PostHog
{

RequestContextHandlerFactory::RequestContextHandlerFactory(Client& client,
                                                           Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
    : _client(client), _factory(factory)
{
}

RequestContextHandlerFactory::~RequestContextHandlerFactory() = default;

Poco::Net::HTTPRequestHandler*
RequestContextHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
	Poco::Net::HTTPRequestHandler* handler = _factory->createRequestHandler(request);
	if (handler == nullptr)
		return nullptr;
	return new ContextRequestHandler(_client, handler);
}

} // namespace PostHog
