//
// ServerSample.cpp
//
// A Poco::Util::ServerApplication with an HTTPServer, showing events, error tracking and request
// context. Every handler runs inside a PostHog RequestScope (one line: the factory is wrapped in
// PostHog::RequestContextHandlerFactory), so the X-POSTHOG-DISTINCT-ID / X-POSTHOG-SESSION-ID
// headers a PostHog front end sends identify the events captured while serving the request.
//
//     GET /hello              captures "hello served" with the request's context
//     GET /fail               the handler throws a std::exception: captured as $exception with
//                             the request's context, answered 500
//     GET /login?user=<id>    identifies the user, links the anonymous visitor to it
//     anything else           a $pageview of the visitor named by the uid cookie
//
// Every request is logged through Poco::Logger ("server"). PostHog comes in as a subsystem,
// configured from posthog-server-sample.properties next to the executable; SIGTERM or Ctrl-C
// stops the server and the subsystem flushes.
//
//     posthog-server-sample --posthog-api-key=phc_... [--posthog-host=URL] [--port=8080]
//     curl localhost:8080/hello -H 'X-POSTHOG-DISTINCT-ID: ada' -H 'X-POSTHOG-SESSION-ID: s-1'
//     curl localhost:8080/fail
//     curl 'localhost:8080/login?user=ada&email=ada@example.com'
//

#include "Poco/Logger.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServer.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/NameValueCollection.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/URI.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionSet.h"
#include "Poco/Util/ServerApplication.h"
#include "PostHog/ClientSubsystem.h"
#include "PostHog/RequestContextHandlerFactory.h"
#include <iostream>
#include <stdexcept>

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace
{

std::string visitorOf(const HTTPServerRequest& request)
{
	Poco::Net::NameValueCollection cookies;
	request.getCookies(cookies);
	return cookies.get("uid", "anonymous-" + request.clientAddress().host().toString());
}

class PageHandler : public HTTPRequestHandler
/// Records every request as a $pageview of the visitor named by the uid cookie.
{
public:
	explicit PageHandler(PostHog::Client& posthog) : _posthog(posthog) {}

	void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
	{
		std::string url = "http://" + request.getHost() + request.getURI();
		_posthog.pageview(visitorOf(request), url, {{"method", request.getMethod()}});
		response.setContentType("text/plain");
		response.send() << "you are on " << Poco::URI(request.getURI()).getPath() << "\n";
	}

private:
	PostHog::Client& _posthog;
};

class LoginHandler : public HTTPRequestHandler
/// GET /login?user=<id>[&email=...]: identifies the user, links the anonymous visitor to it.
{
public:
	explicit LoginHandler(PostHog::Client& posthog) : _posthog(posthog) {}

	void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
	{
		Poco::Net::HTMLForm form(request);
		std::string user = form.get("user", "");
		if (user.empty())
		{
			response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
			response.send() << "login needs ?user=<id>\n";
			return;
		}
		std::string visitor = visitorOf(request);
		if (visitor != user)
			_posthog.alias(visitor, user);
		_posthog.identify(user, {{"email", form.get("email", "")}});
		_posthog.pageview(user, "http://" + request.getHost() + request.getURI());
		Poco::Net::HTTPCookie cookie("uid", user);
		response.addCookie(cookie);
		response.send() << "welcome, " << user << "\n";
	}

private:
	PostHog::Client& _posthog;
};

class HelloHandler : public HTTPRequestHandler
/// GET /hello: an event with no distinct id; the request's context supplies it (or, without an
/// X-POSTHOG-DISTINCT-ID header, the event is personless) and adds $session_id.
{
public:
	explicit HelloHandler(PostHog::Client& posthog) : _posthog(posthog) {}

	void handleRequest(HTTPServerRequest&, HTTPServerResponse& response) override
	{
		_posthog.capture("", "hello served");
		response.setContentType("text/plain");
		response.send() << "hello\n";
	}

private:
	PostHog::Client& _posthog;
};

class FailHandler : public HTTPRequestHandler
/// GET /fail: throws; RequestContextHandlerFactory captures it and answers 500.
{
public:
	void handleRequest(HTTPServerRequest&, HTTPServerResponse&) override
	{
		throw std::runtime_error("the /fail handler failed, as asked");
	}
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
/// Routes by path, logging every request.
{
public:
	explicit HandlerFactory(PostHog::Client& posthog)
	    : _posthog(posthog), _logger(Poco::Logger::get("server"))
	{
	}

	HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override
	{
		std::string path = Poco::URI(request.getURI()).getPath();
		_logger.information(request.getMethod() + " " + request.getURI() + " from " +
		                    request.clientAddress().toString());
		if (path == "/hello")
			return new HelloHandler(_posthog);
		if (path == "/fail")
			return new FailHandler;
		if (path == "/login")
			return new LoginHandler(_posthog);
		return new PageHandler(_posthog);
	}

private:
	PostHog::Client& _posthog;
	Poco::Logger& _logger;
};

} // namespace

class ServerSample : public Poco::Util::ServerApplication
{
public:
	ServerSample() { addSubsystem(new PostHog::ClientSubsystem); }

protected:
	void initialize(Application& self) override
	{
		loadConfiguration(); // posthog-server-sample.properties, before the subsystems read it
		ServerApplication::initialize(self);
	}

	void defineOptions(Poco::Util::OptionSet& options) override
	{
		ServerApplication::defineOptions(options); // the subsystem's --posthog-* options too
		options.addOption(
		    Poco::Util::Option("help", "h", "show the options")
		        .callback(Poco::Util::OptionCallback<ServerSample>(this, &ServerSample::handleHelp)));
		options.addOption(
		    Poco::Util::Option("port", "p", "the port to listen on").argument("port").binding("server.port"));
	}

	void handleHelp(const std::string&, const std::string&)
	{
		Poco::Util::HelpFormatter help(options());
		help.setCommand(commandName());
		help.setUsage("[options]");
		help.setHeader("A web server that captures \"hello served\" on /hello, a $exception on /fail, "
		               "a $pageview on other paths and identifies on /login.");
		help.format(std::cout);
		stopOptionsProcessing();
		_helpShown = true;
	}

	int main(const ArgVec&) override
	{
		if (_helpShown)
			return EXIT_OK;
		PostHog::Client& posthog = getSubsystem<PostHog::ClientSubsystem>().client();
		// Poco 1.11's ServerSocket(port) also sets SO_REUSEPORT, which would let a second process
		// listen on the same port and take part of the requests: bound without it.
		Poco::Net::ServerSocket socket;
		socket.bind(static_cast<Poco::UInt16>(config().getInt("server.port", 8080)), true, false);
		socket.listen(64);
		// The one line that gives every handler a RequestScope and exception capture.
		Poco::Net::HTTPServer server(
		    new PostHog::RequestContextHandlerFactory(posthog, new HandlerFactory(posthog)), socket,
		    new Poco::Net::HTTPServerParams);
		server.start();
		logger().information("listening on port " + std::to_string(socket.address().port()));
		waitForTerminationRequest(); // Ctrl-C; the subsystem flushes in uninitialize()
		server.stop();
		return EXIT_OK;
	}

private:
	bool _helpShown = false;
};

POCO_SERVER_MAIN(ServerSample)
