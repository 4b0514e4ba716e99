//
// OtlpLogsEndpoint.cpp
//

#include "OtlpLogsEndpoint.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Thread.h"
#include "Poco/Timestamp.h"
#include "Poco/URI.h"
#include <initializer_list>
#include <set>
#include <sstream>

namespace PostHogTest
{

namespace
{

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

bool fail(std::string& error, const std::string& what)
{
	error = what;
	return false;
}

Object::Ptr asObject(const Var& v)
{
	return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : Object::Ptr();
}

Array::Ptr asArray(const Var& v)
{
	return v.type() == typeid(Array::Ptr) ? v.extract<Array::Ptr>() : Array::Ptr();
}

bool onlyKeys(const Object::Ptr& o, std::initializer_list<const char*> allowed, const std::string& where,
              std::string& error)
{
	std::set<std::string> names;
	for (const char* a : allowed)
		names.insert(a);
	for (const auto& entry : *o)
	{
		if (!names.count(entry.first))
			return fail(error, where + ": unexpected field '" + entry.first + "'");
	}
	return true;
}

bool isDigits(const std::string& s, bool allowSign)
{
	std::size_t i = allowSign && !s.empty() && s[0] == '-' ? 1 : 0;
	if (i >= s.size() || s.size() - i > 20)
		return false;
	for (; i < s.size(); ++i)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

bool isLowerHex(const std::string& s, std::size_t digits)
{
	if (s.size() != digits)
		return false;
	for (char c : s)
	{
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

bool checkKeyValues(const Var& v, const std::string& where, std::string& error)
{
	Array::Ptr list = asArray(v);
	if (!list)
		return fail(error, where + " is not an array");
	std::set<std::string> seen;
	for (std::size_t i = 0; i < list->size(); ++i)
	{
		std::string at = where + "[" + std::to_string(i) + "]";
		Object::Ptr kv = asObject(list->get(i));
		if (!kv || !onlyKeys(kv, {"key", "value"}, at, error))
			return error.empty() ? fail(error, at + " is not an object") : false;
		if (!kv->has("key") || !kv->get("key").isString() || kv->getValue<std::string>("key").empty())
			return fail(error, at + ".key is missing, empty or not a string");
		if (!seen.insert(kv->getValue<std::string>("key")).second)
			return fail(error, at + ": duplicate key '" + kv->getValue<std::string>("key") + "'");
		if (!kv->has("value") || !OtlpLogsEndpoint::checkAnyValue(kv->get("value"), false, error))
			return fail(error, at + ".value: " + (error.empty() ? "missing" : error));
	}
	return true;
}

const char* expectedText(int severity)
{
	switch (severity)
	{
	case 1:
		return "TRACE";
	case 5:
		return "DEBUG";
	case 9:
		return "INFO";
	case 13:
		return "WARN";
	case 17:
		return "ERROR";
	case 21:
		return "FATAL";
	default:
		return nullptr;
	}
}

bool checkRecord(const Object::Ptr& r, const std::string& at, std::string& error)
{
	if (!onlyKeys(r,
	              {"timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body",
	               "attributes", "traceId", "spanId", "flags"},
	              at, error))
		return false;
	for (const char* key : {"timeUnixNano", "observedTimeUnixNano"})
	{
		if (!r->has(key) || !r->get(key).isString() || !isDigits(r->getValue<std::string>(key), false))
			return fail(error, at + "." + key + " is not a string of decimal digits");
	}
	if (r->getValue<std::string>("timeUnixNano") != r->getValue<std::string>("observedTimeUnixNano"))
		return fail(error, at + ": observedTimeUnixNano differs from timeUnixNano");
	if (!r->has("severityNumber") || !r->get("severityNumber").isInteger())
		return fail(error, at + ".severityNumber is missing or not an integer");
	const char* text = expectedText(r->getValue<int>("severityNumber"));
	if (!text)
		return fail(error, at + ".severityNumber is not one of 1, 5, 9, 13, 17, 21");
	if (!r->has("severityText") || r->getValue<std::string>("severityText") != text)
		return fail(error, at + ".severityText does not match severityNumber (expected " + text + ")");
	if (!r->has("body") || !OtlpLogsEndpoint::checkAnyValue(r->get("body"), false, error))
		return fail(error, at + ".body: " + (error.empty() ? "missing" : error));
	if (!r->has("attributes") || !checkKeyValues(r->get("attributes"), at + ".attributes", error))
		return error.empty() ? fail(error, at + ".attributes is missing") : false;
	if (r->has("traceId") &&
	    (!r->get("traceId").isString() || !isLowerHex(r->getValue<std::string>("traceId"), 32)))
		return fail(error, at + ".traceId is not 32 lower-case hex digits");
	if (r->has("spanId") &&
	    (!r->get("spanId").isString() || !isLowerHex(r->getValue<std::string>("spanId"), 16)))
		return fail(error, at + ".spanId is not 16 lower-case hex digits");
	if (r->has("flags") &&
	    (!r->get("flags").isInteger() || r->getValue<int>("flags") < 0 || r->getValue<int>("flags") > 255))
		return fail(error, at + ".flags is not an integer 0..255");
	return true;
}

bool checkResource(const Object::Ptr& resource, std::string& error)
{
	if (!resource || !onlyKeys(resource, {"attributes"}, "resource", error))
		return error.empty() ? fail(error, "resource is not an object") : false;
	if (!resource->has("attributes") ||
	    !checkKeyValues(resource->get("attributes"), "resource.attributes", error))
		return error.empty() ? fail(error, "resource.attributes is missing") : false;
	std::set<std::string> keys;
	Array::Ptr list = resource->getArray("attributes");
	for (std::size_t i = 0; i < list->size(); ++i)
		keys.insert(list->getObject(i)->getValue<std::string>("key"));
	for (const char* required : {"service.name", "telemetry.sdk.name", "telemetry.sdk.version"})
	{
		if (!keys.count(required))
			return fail(error, std::string("resource.attributes has no ") + required);
	}
	return true;
}

} // namespace

bool OtlpLogsEndpoint::checkAnyValue(const Var& value, bool allowEmpty, std::string& error)
{
	Object::Ptr o = asObject(value);
	if (!o)
		return fail(error, "an AnyValue is not an object");
	if (o->size() == 0)
		return allowEmpty || fail(error, "an empty AnyValue");
	if (o->size() != 1)
		return fail(error, "an AnyValue has more than one field");
	const std::string key = o->begin()->first;
	const Var& v = o->begin()->second;
	if (key == "stringValue")
		return v.isString() || fail(error, "stringValue is not a string");
	if (key == "boolValue")
		return v.type() == typeid(bool) || fail(error, "boolValue is not a boolean");
	if (key == "intValue")
		return (v.isString() && isDigits(v.convert<std::string>(), true)) ||
		       fail(error, "intValue is not a string of an int64");
	if (key == "doubleValue")
		return v.isNumeric() || fail(error, "doubleValue is not a number");
	Object::Ptr inner = asObject(v);
	if (!inner || !inner->has("values") || inner->size() != 1)
		return fail(error, key + " is not an object holding only values");
	if (key == "kvlistValue")
		return checkKeyValues(inner->get("values"), "kvlistValue.values", error);
	if (key != "arrayValue")
		return fail(error, "unknown AnyValue field '" + key + "'");
	Array::Ptr values = asArray(inner->get("values"));
	if (!values)
		return fail(error, "arrayValue.values is not an array");
	for (std::size_t i = 0; i < values->size(); ++i)
	{
		if (!checkAnyValue(values->get(i), true, error))
			return false;
	}
	return true;
}

bool OtlpLogsEndpoint::check(const std::string& json, std::string& error)
{
	Var parsed;
	try
	{
		parsed = Poco::JSON::Parser().parse(json);
	}
	catch (Poco::Exception& e)
	{
		return fail(error, "the body is not JSON: " + e.displayText());
	}
	Object::Ptr root = asObject(parsed);
	if (!root || !onlyKeys(root, {"resourceLogs"}, "body", error))
		return error.empty() ? fail(error, "the body is not an object") : false;
	Array::Ptr resourceLogs = root->getArray("resourceLogs");
	if (!resourceLogs || resourceLogs->size() != 1)
		return fail(error, "resourceLogs is not an array of exactly one entry");
	Object::Ptr rl = resourceLogs->getObject(0);
	if (!rl || !onlyKeys(rl, {"resource", "scopeLogs"}, "resourceLogs[0]", error))
		return error.empty() ? fail(error, "resourceLogs[0] is not an object") : false;
	if (!checkResource(rl->getObject("resource"), error))
		return false;
	Array::Ptr scopeLogs = rl->getArray("scopeLogs");
	if (!scopeLogs || scopeLogs->size() != 1)
		return fail(error, "scopeLogs is not an array of exactly one entry");
	Object::Ptr sl = scopeLogs->getObject(0);
	if (!sl || !onlyKeys(sl, {"scope", "logRecords"}, "scopeLogs[0]", error))
		return error.empty() ? fail(error, "scopeLogs[0] is not an object") : false;
	Object::Ptr scope = sl->getObject("scope");
	if (!scope || !onlyKeys(scope, {"name", "version"}, "scope", error) ||
	    scope->optValue<std::string>("name", "") != "posthog-cpp" ||
	    scope->optValue<std::string>("version", "").empty())
		return error.empty() ? fail(error, "scope is not {name: posthog-cpp, version}") : false;
	Array::Ptr records = sl->getArray("logRecords");
	if (!records || records->size() == 0)
		return fail(error, "logRecords is not a non-empty array");
	for (std::size_t i = 0; i < records->size(); ++i)
	{
		Object::Ptr r = records->getObject(i);
		std::string at = "logRecords[" + std::to_string(i) + "]";
		if (!r)
			return fail(error, at + " is not an object");
		if (!checkRecord(r, at, error))
			return false;
	}
	return true;
}

OtlpLogsEndpoint::OtlpLogsEndpoint(std::string apiKey) : _apiKey(std::move(apiKey)) {}

CaptureServer::Route OtlpLogsEndpoint::route()
{
	return [this](const CaptureServer::Request& request) { return handle(request); };
}

void OtlpLogsEndpoint::failNext(int count, int status)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	for (int i = 0; i < count; ++i)
		_failures.push_back(status);
}

CaptureServer::Reply OtlpLogsEndpoint::handle(const CaptureServer::Request& request)
{
	std::string token;
	Poco::URI::encode(_apiKey, "!#$&'()*+,/:;=?@[] %\"<>", token);
	std::string error;
	auto contentType = request.headers.find("Content-Type");
	if (request.method != "POST")
		error = "method " + request.method + " is not POST";
	else if (request.path != "/i/v1/logs?token=" + token)
		error = "path " + request.path + " is not /i/v1/logs?token=<key>";
	else if (contentType == request.headers.end() ||
	         contentType->second.compare(0, 16, "application/json") != 0)
		error = "Content-Type is not application/json";
	else
		check(request.body, error);

	Poco::FastMutex::ScopedLock lock(_mutex);
	++_requests;
	CaptureServer::Reply reply;
	reply.body = "{}";
	if (!error.empty())
	{
		_errors.push_back(error);
		reply.status = 400;
		reply.body = "{\"error\":\"invalid request\"}";
		return reply;
	}
	Object::Ptr root = Poco::JSON::Parser().parse(request.body).extract<Object::Ptr>();
	Object::Ptr rl = root->getArray("resourceLogs")->getObject(0);
	Array::Ptr records = rl->getArray("scopeLogs")->getObject(0)->getArray("logRecords");
	_batchSizes.push_back(records->size());
	if (!_failures.empty())
	{
		reply.status = _failures.front();
		_failures.pop_front();
		return reply;
	}
	std::map<std::string, std::string> resource;
	Array::Ptr attributes = rl->getObject("resource")->getArray("attributes");
	for (std::size_t i = 0; i < attributes->size(); ++i)
	{
		Object::Ptr kv = attributes->getObject(i);
		resource[kv->getValue<std::string>("key")] =
		    kv->getObject("value")->optValue<std::string>("stringValue", "");
	}
	_resources.push_back(resource);
	for (std::size_t i = 0; i < records->size(); ++i)
		_records.push_back(records->getObject(i));
	return reply;
}

std::vector<Object::Ptr> OtlpLogsEndpoint::records() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _records;
}

std::vector<std::map<std::string, std::string>> OtlpLogsEndpoint::resources() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _resources;
}

std::vector<std::string> OtlpLogsEndpoint::errors() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _errors;
}

std::size_t OtlpLogsEndpoint::requestCount() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _requests;
}

std::vector<std::size_t> OtlpLogsEndpoint::batchSizes() const
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	return _batchSizes;
}

bool OtlpLogsEndpoint::waitForRecords(std::size_t count, long timeoutMs) const
{
	Poco::Timestamp started;
	while (records().size() < count)
	{
		if (started.elapsed() / 1000 > timeoutMs)
			return false;
		Poco::Thread::sleep(5);
	}
	return true;
}

std::string OtlpLogsEndpoint::attribute(const Object::Ptr& record, const std::string& key)
{
	Array::Ptr attributes = record->getArray("attributes");
	for (std::size_t i = 0; attributes && i < attributes->size(); ++i)
	{
		Object::Ptr kv = attributes->getObject(i);
		if (kv->getValue<std::string>("key") == key)
		{
			std::ostringstream out;
			kv->getObject("value")->stringify(out);
			return out.str();
		}
	}
	return std::string();
}

std::string OtlpLogsEndpoint::stringAttribute(const Object::Ptr& record, const std::string& key)
{
	Array::Ptr attributes = record->getArray("attributes");
	for (std::size_t i = 0; attributes && i < attributes->size(); ++i)
	{
		Object::Ptr kv = attributes->getObject(i);
		if (kv->getValue<std::string>("key") == key)
			return kv->getObject("value")->optValue<std::string>("stringValue", "");
	}
	return std::string();
}

} // namespace PostHogTest
