//
// ExceptionEventBuilder.cpp
//

#include "errors/ExceptionEventBuilder.h"
#include "Poco/Exception.h"
#include "Poco/String.h"
#include "errors/StackTrace.h"
#include <algorithm>
#include <cxxabi.h>
#include <typeinfo>

namespace PostHog
{

namespace
{

// The SDK owns these: a caller's property of the same name is dropped.
const char* const kReserved[] = {"$exception_list",
                                 "$exception_level",
                                 "$exception_source",
                                 "$debug_images",
                                 "$exception_type",
                                 "$exception_message",
                                 "$exception_handled",
                                 "$exception_types",
                                 "$exception_values",
                                 "$exception_sources",
                                 "$exception_functions",
                                 "$exception_fingerprint_version",
                                 "$exception_fingerprint_record",
                                 "$exception_issue_id",
                                 "$exception_release",
                                 "$cymbal_errors"};

std::string messageOf(const std::exception& exception)
{
	if (auto poco = dynamic_cast<const Poco::Exception*>(&exception))
		return poco->message().empty() ? std::string(poco->name()) : poco->message();
	const char* what = exception.what();
	return what != nullptr ? what : "";
}

// std::throw_with_nested(E) throws a library type derived from E: name E.
std::string typeName(const std::exception& exception)
{
	std::string name = StackTrace::demangle(typeid(exception).name());
	static const std::string nested = "std::_Nested_exception<";
	if (name.compare(0, nested.size(), nested) == 0 && name.back() == '>')
		return name.substr(nested.size(), name.size() - nested.size() - 1);
	return name;
}

} // namespace

void ExceptionEventBuilder::addEntry(std::string type, std::string value, int parent, bool synthetic)
{
	if (_entries.size() >= kMaxEntries)
		return;
	if (type.empty())
		type = "UnknownError";
	_entries.push_back(Entry{std::move(type), std::move(value), parent, synthetic});
}

void ExceptionEventBuilder::add(const std::string& type, const std::string& value, bool synthetic)
{
	addEntry(type, value, -1, synthetic);
}

void ExceptionEventBuilder::add(const std::exception& exception)
{
	std::vector<const void*> seen;
	walk(exception, -1, seen);
}

void ExceptionEventBuilder::add(std::exception_ptr exception)
{
	if (!exception)
	{
		addEntry("UnknownError", "no exception", -1, true);
		return;
	}
	try
	{
		std::rethrow_exception(exception);
	}
	catch (const std::exception& e)
	{
		add(e);
	}
	catch (...)
	{
		addNonStandard(-1);
	}
}

void ExceptionEventBuilder::addNonStandard(int parent)
{
	// Inside a catch (...): the thrown type is all there is.
	std::type_info* type = abi::__cxa_current_exception_type();
	addEntry(type != nullptr ? StackTrace::demangle(type->name()) : "UnknownError", "non-standard exception",
	         parent);
}

void ExceptionEventBuilder::walk(const std::exception& exception, int parent, std::vector<const void*>& seen)
{
	if (_entries.size() >= kMaxEntries || std::find(seen.begin(), seen.end(), &exception) != seen.end())
		return;
	seen.push_back(&exception);
	addEntry(typeName(exception), messageOf(exception), parent);
	int self = static_cast<int>(_entries.size()) - 1;
	if (auto poco = dynamic_cast<const Poco::Exception*>(&exception))
	{
		if (poco->nested() != nullptr)
		{
			walk(*poco->nested(), self, seen);
			return;
		}
	}
	auto nested = dynamic_cast<const std::nested_exception*>(&exception);
	if (nested == nullptr || !nested->nested_ptr())
		return;
	try
	{
		std::rethrow_exception(nested->nested_ptr());
	}
	catch (const std::exception& cause)
	{
		walk(cause, self, seen);
	}
	catch (...)
	{
		addNonStandard(self);
	}
}

Array ExceptionEventBuilder::exceptionList(const ExceptionCaptureOptions& options) const
{
	Array list;
	for (std::size_t i = 0; i < _entries.size(); ++i)
	{
		const Entry& entry = _entries[i];
		Properties mechanism;
		if (entry.parent < 0)
		{
			mechanism.set("type", options.mechanismType.empty() ? "generic" : options.mechanismType);
			mechanism.set("handled", options.handled.value_or(true));
		}
		else
		{
			mechanism.set("type", "chained");
			mechanism.set("source", "cause");
		}
		bool withFrames = i == 0 && _frames.size() > 0;
		mechanism.set("synthetic", entry.synthetic || (withFrames && _syntheticFrames));
		mechanism.set("exception_id", static_cast<int>(i));
		if (entry.parent >= 0)
			mechanism.set("parent_id", entry.parent);
		Properties item{{"type", entry.type}, {"value", entry.value}, {"mechanism", mechanism}};
		if (withFrames)
			item.set("stacktrace", Properties{{"type", "raw"}, {"frames", _frames}});
		list.add(item);
	}
	return list;
}

std::string ExceptionEventBuilder::normalizeLevel(const std::string& level)
{
	std::string l = Poco::toLower(Poco::trim(level));
	if (l == "fatal" || l == "critical" || l == "alert" || l == "emergency")
		return "fatal";
	if (l == "warning" || l == "warn")
		return "warning";
	if (l == "notice" || l == "info")
		return "info";
	if (l == "trace" || l == "debug")
		return "debug";
	if (l == "error" || l == "log")
		return l;
	return std::string();
}

Properties ExceptionEventBuilder::properties(Properties caller, const ExceptionCaptureOptions& options) const
{
	for (const char* key : kReserved)
		caller.remove(key);
	Value fingerprint = caller.get("$exception_fingerprint");
	if (!fingerprint.isString() || fingerprint.getString().empty())
		caller.remove("$exception_fingerprint");
	std::string level = normalizeLevel(options.level);
	caller.set("$exception_level", level.empty() ? "error" : level);
	if (!options.source.empty())
		caller.set("$exception_source", options.source);
	if (!options.fingerprint.empty())
		caller.set("$exception_fingerprint", options.fingerprint);
	if (!_entries.empty())
	{
		caller.set("$exception_type", _entries.front().type);
		caller.set("$exception_message", _entries.front().value);
	}
	caller.set("$exception_list", exceptionList(options));
	if (!_debugImages.empty())
		caller.set("$debug_images", _debugImages);
	return caller;
}

} // namespace PostHog
