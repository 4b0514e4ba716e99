//
// ContextLine.cpp
//

#include "ContextLine.h"
#include "Poco/Exception.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <exception>

namespace PostHogFlags
{

namespace
{

using Poco::Dynamic::Var;
using Poco::JSON::Object;

Object::Ptr objectOf(const Var& var)
{
	if (!var.isEmpty() && var.type() == typeid(Object::Ptr))
		return var.extract<Object::Ptr>();
	return nullptr;
}

/// The member as an object; null when absent or null, an error when it is anything else.
Object::Ptr optionalObject(const Object& parent, const std::string& name)
{
	const Var var = parent.get(name);
	if (var.isEmpty())
		return nullptr;
	Object::Ptr object = objectOf(var);
	if (!object)
		throw Poco::DataException("\"" + name + "\" must be an object");
	return object;
}

void readGroups(const Object& line, ContextLine& context)
{
	const Object::Ptr groups = optionalObject(line, "groups");
	for (const std::string& type : groups ? groups->getNames() : std::vector<std::string>())
	{
		const Var key = groups->get(type);
		if (!key.isString() && !(key.isNumeric() && !key.isBoolean()))
			throw Poco::DataException("\"groups\"." + type + " must be a string");
		context.options.groups[type] = key.convert<std::string>();
	}
	const Object::Ptr groupProperties = optionalObject(line, "group_properties");
	for (const std::string& type : groupProperties ? groupProperties->getNames() : std::vector<std::string>())
	{
		if (!objectOf(groupProperties->get(type)))
			throw Poco::DataException("\"group_properties\"." + type + " must be an object");
		context.options.groupProperties[type] = PostHog::Properties::fromVar(groupProperties->get(type));
	}
}

} // namespace

ContextLine ContextLine::parse(const std::string& text, std::size_t number)
{
	ContextLine context;
	context.number = number;
	try
	{
		const Object::Ptr line = objectOf(Poco::JSON::Parser().parse(text));
		if (!line)
			throw Poco::DataException("a line must be a JSON object");
		const Var id = line->get("distinct_id");
		if (!id.isString() || id.extract<std::string>().empty())
			throw Poco::DataException("\"distinct_id\" must be a non-empty string");
		context.distinctId = id.extract<std::string>();
		const Object::Ptr person = optionalObject(*line, "person_properties");
		if (person)
			context.options.personProperties = PostHog::Properties::fromVar(Var(person));
		readGroups(*line, context);
	}
	catch (const Poco::Exception& e)
	{
		context.error = e.message().empty() ? e.displayText() : e.message();
	}
	catch (const std::exception& e)
	{
		context.error = e.what();
	}
	return context;
}

} // namespace PostHogFlags
