//
// BatchHandler.cpp
//

#include "BatchHandler.h"
#include "Poco/InflatingStream.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/NumberFormatter.h"
#include <sstream>

namespace PostHogInspector
{

namespace
{

std::string kilobytes(std::size_t bytes)
{
	return Poco::NumberFormatter::format(static_cast<double>(bytes) / 1024.0, 1) + " KB";
}

std::string maskKey(const std::string& key)
{
	if (key.size() <= 8)
		return key.empty() ? "(none)" : "\xe2\x80\xa6";
	std::size_t underscore = key.find('_');
	std::string prefix =
	    underscore != std::string::npos && underscore < 8 ? key.substr(0, underscore + 1) : "";
	return prefix + "\xe2\x80\xa6" + key.substr(key.size() - 4);
}

// Reads at most limit + 1 bytes, so an oversized body (or a gzip bomb) is detected without
// being held in memory.
bool readBounded(std::istream& in, std::string& out, std::size_t limit)
{
	char buffer[65536];
	while (in)
	{
		in.read(buffer, sizeof buffer);
		out.append(buffer, static_cast<std::size_t>(in.gcount()));
		if (out.size() > limit)
			return false;
	}
	return true;
}

std::string pad(const std::string& s, std::size_t width)
{
	return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

} // namespace

BatchHandler::BatchHandler(const Settings& settings) : _settings(settings) {}

void BatchHandler::answer(Poco::Net::HTTPServerResponse& response, int status, const std::string& body)
{
	response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
	response.setContentType("application/json");
	response.setContentLength(static_cast<std::streamsize>(body.size()));
	response.send() << body;
}

void BatchHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response)
{
	std::ostream& out = *_settings.out;
	std::string path = request.getURI().substr(0, request.getURI().find('?'));
	bool gzip = request.get("Content-Encoding", "") == "gzip";
	if (request.getMethod() != "POST" ||
	    (path != "/batch/" && path != "/batch" && path != "/capture/" && path != "/capture"))
	{
		Poco::FastMutex::ScopedLock lock(*_settings.outMutex);
		out << request.getMethod() << " " << path << ": not a capture endpoint (404)" << std::endl;
		answer(response, 404, "{\"type\":\"not_found\",\"detail\":\"only POST /batch/ is served here\"}");
		return;
	}
	std::size_t number = _settings.tally->beginRequest(gzip);
	std::string raw, body, why;
	Poco::JSON::Object::Ptr root;
	int status = readBatch(request, gzip, raw, body, root, why);

	Poco::FastMutex::ScopedLock lock(*_settings.outMutex);
	if (status != 200)
	{
		_settings.tally->refuse();
		out << "POST " << path << " #" << number << ": refused (" << status << "): " << why << std::endl;
		answer(response, status, "{\"type\":\"validation_error\",\"detail\":\"" + why + "\"}");
		return;
	}
	Poco::JSON::Array::Ptr batch = root->getArray("batch");
	out << "POST " << path << " #" << number << ": " << batch->size() << " events, "
	    << (gzip ? "gzip" : "not gzipped") << ", " << kilobytes(body.size());
	if (gzip)
		out << " (" << kilobytes(raw.size()) << " on the wire)";
	out << ", api_key " << maskKey(root->optValue<std::string>("api_key", "")) << "\n";
	printBatch(out, *batch);
	out.flush();
	answer(response, 200, "{\"status\":1}");
}

int BatchHandler::readBatch(Poco::Net::HTTPServerRequest& request, bool gzip, std::string& raw,
                            std::string& body, Poco::JSON::Object::Ptr& root, std::string& why)
{
	try
	{
		if (!readBounded(request.stream(), raw, kMaxBody))
		{
			why = "the body is over PostHog's 20 MB limit";
			return 413;
		}
		if (gzip)
		{
			std::istringstream compressed(raw);
			Poco::InflatingInputStream inflate(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
			if (!readBounded(inflate, body, 10 * kMaxBody))
			{
				why = "the body inflates to more than 200 MB";
				return 413;
			}
		}
		else
		{
			body = raw;
		}
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		Poco::Dynamic::Var parsed = parser.parse(body);
		if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
			throw Poco::DataFormatException("the body is not a JSON object");
		root = parsed.extract<Poco::JSON::Object::Ptr>();
		if (root->optValue<std::string>("api_key", "").empty())
		{
			why = "no api_key in the body";
			return 401;
		}
		if (!root->getArray("batch"))
		{
			why = "no \"batch\" array in the body";
			return 400;
		}
		return 200;
	}
	catch (Poco::Exception& e)
	{
		why = "unreadable body (" + e.displayText() + ")";
		return 400;
	}
}

void BatchHandler::printBatch(std::ostream& out, const Poco::JSON::Array& batch)
{
	for (std::size_t i = 0; i < batch.size(); ++i)
	{
		Poco::JSON::Object::Ptr event = batch.getObject(static_cast<unsigned>(i));
		if (!event)
		{
			out << "  (element " << i << " is not an object)\n";
			continue;
		}
		_settings.tally->event(event);
		std::string name = event->optValue<std::string>("event", "");
		std::ostringstream props;
		if (Poco::JSON::Object::Ptr p = event->getObject("properties"))
			p->stringify(props);
		std::string properties = props.str();
		if (!_settings.full && properties.size() > 200)
			properties = properties.substr(0, 197) + "...";
		out << "  " << pad(CaptureTally::kindOf(name), 14) << pad("'" + name + "'", 24) << " "
		    << pad(event->optValue<std::string>("distinct_id", "(no distinct_id)"), 12) << " "
		    << event->optValue<std::string>("timestamp", "(no timestamp)") << "  " << properties << "\n";
	}
}

BatchHandler::Factory::Factory(const Settings& settings) : _settings(settings) {}

Poco::Net::HTTPRequestHandler*
BatchHandler::Factory::createRequestHandler(const Poco::Net::HTTPServerRequest&)
{
	return new BatchHandler(_settings);
}

} // namespace PostHogInspector
