//
// VarEncoder.cpp
//

#include "encoding/VarEncoder.h"
#include "Poco/Dynamic/Struct.h"
#include "Poco/Dynamic/Var.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "PostHog/Exceptions.h"
#include "encoding/Encoding.h"
#include <cmath>

namespace PostHog
{

namespace
{

void encodeObjectEntries(std::string& out, const Poco::JSON::Object& object, unsigned depth,
                         unsigned maxDepth, std::uint32_t& count)
{
	// Poco::JSON::Object iterates its map in key order unless it preserves insertion order;
	// getNames() respects the object's own ordering choice.
	for (const auto& name : object.getNames())
	{
		Encoding::putString(out, name);
		VarEncoder::encode(out, object.get(name), name, depth, maxDepth);
		++count;
	}
}

bool isObject(const Poco::Dynamic::Var& var)
{
	return var.type() == typeid(Poco::JSON::Object::Ptr) || var.type() == typeid(Poco::JSON::Object) ||
	       var.type() == typeid(Poco::DynamicStruct);
}

bool isArray(const Poco::Dynamic::Var& var)
{
	return var.type() == typeid(Poco::JSON::Array::Ptr) || var.type() == typeid(Poco::JSON::Array) ||
	       var.isArray();
}

// The entries of an object, or the elements of an array, into body; false for a null Ptr.
bool encodeChildren(std::string& body, const Poco::Dynamic::Var& var, const std::string& key, unsigned depth,
                    unsigned maxDepth, std::uint32_t& count)
{
	if (var.type() == typeid(Poco::JSON::Object::Ptr))
	{
		auto obj = var.extract<Poco::JSON::Object::Ptr>();
		if (!obj)
			return false;
		encodeObjectEntries(body, *obj, depth, maxDepth, count);
	}
	else if (var.type() == typeid(Poco::JSON::Object))
	{
		encodeObjectEntries(body, var.extract<Poco::JSON::Object>(), depth, maxDepth, count);
	}
	else if (var.type() == typeid(Poco::DynamicStruct))
	{
		for (const auto& kv : var.extract<Poco::DynamicStruct>())
		{
			Encoding::putString(body, kv.first);
			VarEncoder::encode(body, kv.second, kv.first, depth, maxDepth);
			++count;
		}
	}
	else if (var.type() == typeid(Poco::JSON::Array::Ptr))
	{
		auto arr = var.extract<Poco::JSON::Array::Ptr>();
		if (!arr)
			return false;
		for (std::size_t i = 0; i < arr->size(); ++i, ++count)
			VarEncoder::encode(body, arr->get(static_cast<unsigned>(i)), key, depth, maxDepth);
	}
	else if (var.type() == typeid(Poco::JSON::Array))
	{
		const auto& arr = var.extract<Poco::JSON::Array>();
		for (std::size_t i = 0; i < arr.size(); ++i, ++count)
			VarEncoder::encode(body, arr.get(static_cast<unsigned>(i)), key, depth, maxDepth);
	}
	else
	{
		for (std::size_t i = 0; i < var.size(); ++i, ++count)
			VarEncoder::encode(body, var[i], key, depth, maxDepth);
	}
	return true;
}

void encodeScalar(std::string& out, const Poco::Dynamic::Var& var, const std::string& key)
{
	using namespace Encoding;
	if (var.isBoolean())
		out.push_back(static_cast<char>(var.convert<bool>() ? TagTrue : TagFalse));
	else if (var.isInteger() && var.isSigned())
		putValue(out, Value(static_cast<long long>(var.convert<Poco::Int64>())));
	else if (var.isInteger())
		putValue(out, Value(static_cast<unsigned long long>(var.convert<Poco::UInt64>())));
	else if (var.isNumeric())
	{
		double d = var.convert<double>();
		if (!std::isfinite(d))
			throw InvalidMessageException("property '" + key + "' is not a finite number");
		putValue(out, Value(d));
	}
	else if (var.isString())
		putValue(out, Value(var.extract<std::string>()));
	else // anything else (dates, blobs): its string form
		putValue(out, Value(var.convert<std::string>()));
}

} // namespace

void VarEncoder::encode(std::string& out, const Poco::Dynamic::Var& var, const std::string& key,
                        unsigned depth, unsigned maxDepth)
{
	using namespace Encoding;
	if (depth > maxDepth)
		throw InvalidMessageException("property '" + key + "' nests deeper than " + std::to_string(maxDepth) +
		                              " levels");
	if (var.isEmpty())
	{
		out.push_back(static_cast<char>(TagNull));
		return;
	}
	bool object = isObject(var);
	if (!object && !isArray(var))
	{
		encodeScalar(out, var, key);
		return;
	}
	std::string body;
	std::uint32_t count = 0;
	if (!encodeChildren(body, var, key, depth + 1, maxDepth, count))
	{
		out.push_back(static_cast<char>(TagNull));
		return;
	}
	out.push_back(static_cast<char>(object ? TagObject : TagArray));
	putVarint(out, count);
	out.append(body);
}

} // namespace PostHog
