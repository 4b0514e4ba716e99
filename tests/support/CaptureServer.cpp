//
// CaptureServer.cpp
//

#include "CaptureServer.h"
#include "LoopbackListener.h"
#include "Poco/InflatingStream.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/StreamCopier.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "Poco/UUID.h"
#include <sstream>

namespace PostHogTest
{

class CaptureServer::Handler : public Poco::Net::HTTPRequestHandler
{
public:
	explicit Handler(CaptureServer& server) : _server(server) {}

	void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override
	{
		Request r;
		r.method = req.getMethod();
		r.path = req.getURI();
		for (const auto& h : req)
			r.headers[h.first] = h.second;
		Poco::StreamCopier::copyToString(req.stream(), r.rawBody);
		Route route;
		if (_server.findRoute(r.path, route))
		{
			serveRoute(r, route, resp);
			return;
		}
		Fault fault;
		bool faulted = false;
		_server.handle(r, fault, faulted);
		if (faulted)
		{
			if (fault.delayMs > 0)
				Poco::Thread::sleep(fault.delayMs);
			if (fault.closeWithoutReply)
			{
				// Abort the connection: no status line at all.
				throw Poco::Net::NetException("fault injection: closing without a reply");
			}
			resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(fault.status));
			if (!fault.retryAfter.empty())
				resp.set("Retry-After", fault.retryAfter);
			resp.setContentType("application/json");
			std::string body = fault.body.empty() ? std::string("{\"status\":0}") : fault.body;
			resp.setContentLength(static_cast<std::streamsize>(body.size()));
			resp.send() << body;
			return;
		}
		resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
		resp.setContentType("application/json");
		std::string body = r.status == 200 ? "{\"status\":1}"
		                                   : "{\"type\":\"validation_error\",\"detail\":\"" + r.error + "\"}";
		resp.setContentLength(static_cast<std::streamsize>(body.size()));
		resp.send() << body;
	}

private:
	void serveRoute(Request& r, const Route& route, Poco::Net::HTTPServerResponse& resp)
	{
		r.gzip = r.headers.count("Content-Encoding") && r.headers["Content-Encoding"] == "gzip";
		r.body = r.rawBody;
		if (r.gzip)
		{
			std::istringstream compressed(r.rawBody);
			Poco::InflatingInputStream inflater(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
			r.body.clear();
			Poco::StreamCopier::copyToString(inflater, r.body);
		}
		Reply reply = route(r);
		r.status = reply.closeWithoutReply ? 0 : reply.status;
		_server.recordRouted(r);
		if (reply.delayMs > 0)
			Poco::Thread::sleep(reply.delayMs);
		if (reply.closeWithoutReply)
			throw Poco::Net::NetException("route: closing without a reply");
		resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
		for (const auto& header : reply.headers)
			resp.set(header.first, header.second);
		if (!reply.body.empty() || reply.status != 304)
		{
			resp.setContentType(reply.contentType);
			resp.setContentLength(static_cast<std::streamsize>(reply.body.size()));
		}
		resp.send() << reply.body;
	}

	CaptureServer& _server;
};

class CaptureServer::Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
	explicit Factory(CaptureServer& server) : _server(server) {}
	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
	{
		return new Handler(_server);
	}

private:
	CaptureServer& _server;
};

CaptureServer::CaptureServer() : CaptureServer(0) {}

CaptureServer::CaptureServer(Poco::UInt16 port)
    : CaptureServer(PostHogTest::listenOnLoopback(port, 64), "http")
{
}

CaptureServer::CaptureServer(const Poco::Net::ServerSocket& socket, const std::string& scheme)
    : _scheme(scheme)
{
	_socket.reset(new Poco::Net::ServerSocket(socket));
	Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(16);
	params->setKeepAlive(true);
	params->setMaxKeepAliveRequests(0);
	_server.reset(new Poco::Net::HTTPServer(new Factory(*this), *_socket, params));
	_server->start();
}

CaptureServer::~CaptureServer()
{
	stop();
}

void CaptureServer::stop()
{
	if (_server)
	{
		_server->stopAll(true);
		_server.reset();
	}
	if (_socket)
	{
		_socket->close();
	}
}

Poco::UInt16 CaptureServer::port() const
{
	return _socket->address().port();
}

std::string CaptureServer::url() const
{
	return _scheme + "://127.0.0.1:" + std::to_string(port());
}

void CaptureServer::route(const std::string& pathPrefix, Route route)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_routes[pathPrefix] = std::move(route);
}

bool CaptureServer::findRoute(const std::string& path, Route& route) const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::size_t best = 0;
	bool found = false;
	for (const auto& entry : _routes)
	{
		if (path.compare(0, entry.first.size(), entry.first) == 0 && entry.first.size() >= best)
		{
			best = entry.first.size();
			route = entry.second;
			found = true;
		}
	}
	return found;
}

void CaptureServer::recordRouted(const Request& request)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_routed.push_back(request);
}

std::vector<CaptureServer::Request> CaptureServer::routedRequests(const std::string& pathPrefix) const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::vector<Request> result;
	for (const auto& request : _routed)
	{
		if (request.path.compare(0, pathPrefix.size(), pathPrefix) == 0)
			result.push_back(request);
	}
	return result;
}

void CaptureServer::failNext(int count, const Fault& fault)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (int i = 0; i < count; ++i)
		_faults.push_back(fault);
}

void CaptureServer::failNext(int count, int status, const std::string& retryAfter)
{
	Fault f;
	f.status = status;
	f.retryAfter = retryAfter;
	failNext(count, f);
}

void CaptureServer::setDelay(long delayMs)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_delayMs = delayMs;
}

bool CaptureServer::checkEvent(const Poco::JSON::Object::Ptr& e, std::string& error)
{
	if (!e)
	{
		error = "batch element is not an object";
		return false;
	}
	for (const char* key : {"uuid", "event", "distinct_id", "timestamp", "properties"})
	{
		if (!e->has(key))
		{
			error = std::string("event lacks '") + key + "'";
			return false;
		}
	}
	if (!e->get("event").isString() || e->getValue<std::string>("event").empty())
	{
		error = "event name is not a non-empty string";
		return false;
	}
	if (!e->get("distinct_id").isString() || e->getValue<std::string>("distinct_id").empty())
	{
		error = "distinct_id is not a non-empty string";
		return false;
	}
	Poco::UUID uuid;
	if (!e->get("uuid").isString() || !uuid.tryParse(e->getValue<std::string>("uuid")))
	{
		error = "uuid is not a UUID";
		return false;
	}
	std::string ts = e->get("timestamp").isString() ? e->getValue<std::string>("timestamp") : "";
	// 2025-01-01T00:00:00.000Z, or with microseconds: 2025-01-01T00:00:00.000250Z
	if ((ts.size() != 24 && ts.size() != 27) || ts[4] != '-' || ts[10] != 'T' || ts[19] != '.' ||
	    ts.back() != 'Z')
	{
		error = "timestamp '" + ts + "' is not ISO 8601 UTC with milliseconds or microseconds";
		return false;
	}
	if (e->get("properties").type() != typeid(Poco::JSON::Object::Ptr))
	{
		error = "properties is not an object";
		return false;
	}
	auto props = e->getObject("properties");
	if (!props->has("$lib") || props->getValue<std::string>("$lib").empty())
	{
		error = "properties.$lib is missing";
		return false;
	}
	return true;
}

void CaptureServer::handle(Request& r, Fault& fault, bool& faulted)
{
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		if (!_faults.empty())
		{
			fault = _faults.front();
			_faults.pop_front();
			faulted = true;
		}
	}
	auto enc = r.headers.find("Content-Encoding");
	r.gzip = enc != r.headers.end() && enc->second == "gzip";
	r.status = 200;
	try
	{
		if (r.gzip)
		{
			std::istringstream raw(r.rawBody);
			Poco::InflatingInputStream inflater(raw, Poco::InflatingStreamBuf::STREAM_GZIP);
			Poco::StreamCopier::copyToString(inflater, r.body);
		}
		else
		{
			r.body = r.rawBody;
		}
		if (r.method != "POST" || (r.path != "/batch/" && r.path.find("/batch/") == std::string::npos))
			throw Poco::Exception("unexpected " + r.method + " " + r.path);
		Poco::JSON::Parser parser;
		auto root = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
		if (!root->has("api_key") || !root->has("batch") || !root->has("sent_at"))
			throw Poco::Exception("body lacks api_key, batch or sent_at");
		r.apiKey = root->getValue<std::string>("api_key");
		r.sentAt = root->getValue<std::string>("sent_at");
		auto batch = root->getArray("batch");
		if (!batch)
			throw Poco::Exception("batch is not an array");
		for (std::size_t i = 0; i < batch->size(); ++i)
		{
			auto e = batch->getObject(static_cast<unsigned>(i));
			std::string error;
			if (!checkEvent(e, error))
				throw Poco::Exception(error);
			r.events.push_back(e);
		}
	}
	catch (Poco::Exception& e)
	{
		r.status = 400;
		r.error = e.displayText();
		r.events.clear();
	}
	catch (std::exception& e)
	{
		r.status = 400;
		r.error = e.what();
		r.events.clear();
	}
	long delay;
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		delay = _delayMs;
	}
	if (delay > 0 && !faulted)
		Poco::Thread::sleep(delay);
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (faulted)
	{
		r.status = fault.closeWithoutReply ? 0 : fault.status;
		r.events.clear();
	}
	_requests.push_back(r);
}

std::vector<CaptureServer::Request> CaptureServer::requests() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _requests;
}

std::size_t CaptureServer::requestCount() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _requests.size();
}

std::vector<Poco::JSON::Object::Ptr> CaptureServer::events() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::vector<Poco::JSON::Object::Ptr> out;
	for (const auto& r : _requests)
	{
		if (r.status >= 200 && r.status < 300)
			out.insert(out.end(), r.events.begin(), r.events.end());
	}
	return out;
}

std::size_t CaptureServer::eventCount() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::size_t n = 0;
	for (const auto& r : _requests)
	{
		if (r.status >= 200 && r.status < 300)
			n += r.events.size();
	}
	return n;
}

std::vector<std::string> CaptureServer::errors() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	std::vector<std::string> out;
	for (const auto& r : _requests)
	{
		if (!r.error.empty())
			out.push_back(r.error);
	}
	return out;
}

bool CaptureServer::waitForEvents(std::size_t count, long timeoutMs) const
{
	Poco::Timestamp start;
	while (eventCount() < count)
	{
		if (start.elapsed() / 1000 > timeoutMs)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
}

bool CaptureServer::waitForRequests(std::size_t count, long timeoutMs) const
{
	Poco::Timestamp start;
	while (requestCount() < count)
	{
		if (start.elapsed() / 1000 > timeoutMs)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
}

void CaptureServer::reset()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_requests.clear();
	_routed.clear();
	_faults.clear();
	_delayMs = 0;
}

} // namespace PostHogTest
