//
// FlagsEndpoint.cpp
//

#include "FlagsEndpoint.h"
#include "Poco/JSON/Parser.h"
#include "Poco/JSON/Stringifier.h"
#include <sstream>

namespace PostHogTest
{

namespace
{

std::string jsonString(const std::string& s)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(s), out);
	return out.str();
}

CaptureServer::Reply toReply(const FlagsEndpoint::Scripted& s)
{
	CaptureServer::Reply reply;
	reply.status = s.status;
	reply.body = s.body;
	reply.delayMs = s.delayMs;
	reply.closeWithoutReply = s.closeWithoutReply;
	return reply;
}

} // namespace

FlagsEndpoint::FlagsEndpoint(CaptureServer& server) : _server(server)
{
	_server.route("/flags/definitions",
	              [this](const CaptureServer::Request& r) { return serveDefinitions(r); });
	_server.route("/flags/", [this](const CaptureServer::Request& r) { return serveFlags(r); });
}

void FlagsEndpoint::setDefinitions(const std::string& json, const std::string& etag)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_definitions = json;
	_etag = etag;
}

void FlagsEndpoint::failDefinitions(int count, const Scripted& answer)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (int i = 0; i < count; ++i)
		_definitionsFaults.push_back(answer);
}

void FlagsEndpoint::setDefinitionsDelay(long delayMs)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_definitionsDelay = delayMs;
}

CaptureServer::Reply FlagsEndpoint::serveDefinitions(const CaptureServer::Request& request)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!_definitionsFaults.empty())
	{
		Scripted s = _definitionsFaults.front();
		_definitionsFaults.pop_front();
		return toReply(s);
	}
	CaptureServer::Reply reply;
	reply.delayMs = _definitionsDelay;
	auto auth = request.headers.find("Authorization");
	if (auth == request.headers.end() || auth->second.compare(0, 7, "Bearer ") != 0)
	{
		reply.status = 401;
		reply.body = "{\"detail\":\"Authentication credentials were not provided.\"}";
		return reply;
	}
	auto match = request.headers.find("If-None-Match");
	if (!_etag.empty() && match != request.headers.end() && match->second == _etag)
	{
		reply.status = 304;
		reply.headers["ETag"] = _etag;
		return reply;
	}
	if (_definitions.empty())
	{
		reply.status = 500;
		reply.body = "{}";
		return reply;
	}
	reply.body = _definitions;
	if (!_etag.empty())
		reply.headers["ETag"] = _etag;
	return reply;
}

std::size_t FlagsEndpoint::definitionsRequests() const
{
	return _server.routedRequests("/flags/definitions").size();
}

std::vector<CaptureServer::Request> FlagsEndpoint::definitionsRequestList() const
{
	return _server.routedRequests("/flags/definitions");
}

void FlagsEndpoint::setFlags(const std::map<std::string, Flag>& flags)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_flags = flags;
}

void FlagsEndpoint::setFlagsFor(const std::string& distinctId, const std::map<std::string, Flag>& flags)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_flagsFor[distinctId] = flags;
}

void FlagsEndpoint::failFlags(int count, const Scripted& answer)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (int i = 0; i < count; ++i)
		_flagsFaults.push_back(answer);
}

void FlagsEndpoint::setQuotaLimited(bool limited)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_quotaLimited = limited;
}

void FlagsEndpoint::setErrorsWhileComputing(bool errors)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_errorsWhileComputing = errors;
}

void FlagsEndpoint::setMinimalFlagCalledEvents(bool gate)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_minimalGate = gate;
}

CaptureServer::Reply FlagsEndpoint::serveFlags(const CaptureServer::Request& request)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!_flagsFaults.empty())
	{
		Scripted s = _flagsFaults.front();
		_flagsFaults.pop_front();
		return toReply(s);
	}
	CaptureServer::Reply reply;
	Poco::JSON::Object::Ptr body;
	try
	{
		body = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
	}
	catch (Poco::Exception&)
	{
		reply.status = 400;
		reply.body = "{\"detail\":\"malformed body\"}";
		return reply;
	}
	if (_quotaLimited)
	{
		reply.body = "{\"flags\":{},\"errorsWhileComputingFlags\":false,\"quotaLimited\":[\"feature_flags\"],"
		             "\"requestId\":\"req-quota\"}";
		return reply;
	}
	std::string distinctId = body->optValue<std::string>("distinct_id", "");
	auto own = _flagsFor.find(distinctId);
	const std::map<std::string, Flag>& flags = own != _flagsFor.end() ? own->second : _flags;
	Poco::JSON::Array::Ptr keys = body->getArray("flag_keys_to_evaluate");
	std::ostringstream out;
	out << "{\"flags\":{";
	bool first = true;
	for (const auto& f : flags)
	{
		bool wanted = !keys;
		for (std::size_t i = 0; keys && i < keys->size(); ++i)
			wanted = wanted || keys->getElement<std::string>(static_cast<unsigned>(i)) == f.first;
		if (!wanted)
			continue;
		const Flag& flag = f.second;
		bool enabled = flag.value != "false";
		std::string variant = flag.value == "true" || flag.value == "false" ? "null" : jsonString(flag.value);
		out << (first ? "" : ",") << jsonString(f.first) << ":{\"key\":" << jsonString(f.first)
		    << ",\"enabled\":" << (enabled ? "true" : "false") << ",\"variant\":" << variant
		    << ",\"reason\":{\"code\":" << jsonString(flag.reason) << ",\"condition_index\":0},"
		    << "\"metadata\":{\"id\":" << flag.id << ",\"version\":" << flag.version
		    << ",\"payload\":" << (flag.payload.empty() ? "null" : jsonString(flag.payload));
		if (flag.hasExperiment >= 0)
			out << ",\"has_experiment\":" << (flag.hasExperiment ? "true" : "false");
		out << "}}";
		first = false;
	}
	out << "},\"errorsWhileComputingFlags\":" << (_errorsWhileComputing ? "true" : "false")
	    << (_minimalGate ? ",\"minimalFlagCalledEvents\":true" : "") << ",\"requestId\":\"req-"
	    << _server.routedRequests("/flags/?").size() << "\"}";
	reply.body = out.str();
	return reply;
}

std::size_t FlagsEndpoint::flagsRequests() const
{
	return _server.routedRequests("/flags/?").size();
}

std::vector<Poco::JSON::Object::Ptr> FlagsEndpoint::flagsRequestBodies() const
{
	std::vector<Poco::JSON::Object::Ptr> bodies;
	for (const auto& r : _server.routedRequests("/flags/?"))
	{
		try
		{
			bodies.push_back(Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>());
		}
		catch (Poco::Exception&)
		{
			bodies.push_back(nullptr);
		}
	}
	return bodies;
}

std::string FlagsEndpoint::definition(const std::string& key, bool active, int rollout,
                                      const std::string& variant, const std::string& payloadJson)
{
	static long nextId = 1;
	std::ostringstream out;
	out << "{\"id\":" << nextId++ << ",\"key\":" << jsonString(key)
	    << ",\"active\":" << (active ? "true" : "false")
	    << ",\"ensure_experience_continuity\":false,\"filters\":{\"groups\":[{\"properties\":[],"
	    << "\"rollout_percentage\":" << rollout;
	if (!variant.empty())
		out << ",\"variant\":" << jsonString(variant);
	out << "}]";
	if (!variant.empty())
		out << ",\"multivariate\":{\"variants\":[{\"key\":" << jsonString(variant)
		    << ",\"rollout_percentage\":100}]}";
	if (!payloadJson.empty())
		out << ",\"payloads\":{" << jsonString(variant.empty() ? "true" : variant) << ":"
		    << jsonString(payloadJson) << "}";
	out << "}}";
	return out.str();
}

std::string FlagsEndpoint::definitions(const std::vector<std::string>& flags)
{
	std::string out = "{\"flags\":[";
	for (std::size_t i = 0; i < flags.size(); ++i)
		out += (i ? "," : "") + flags[i];
	return out + "],\"group_type_mapping\":{\"0\":\"company\"},\"cohorts\":{}}";
}

} // namespace PostHogTest
