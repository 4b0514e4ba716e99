//
// ExplainObserver.cpp
//

#include "ExplainObserver.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/UUID.h"
#include "PostHog/Value.h"
#include <algorithm>
#include <ostream>

namespace PostHogSend
{

namespace
{

std::string shortJson(const PostHog::Value& value)
{
	std::string json = value.toJSON();
	return json.size() <= 60 ? json : json.substr(0, 57) + "...";
}

bool lookup(const PostHog::Value& object, std::string_view key, PostHog::Value& out)
{
	for (const auto& entry : object.entries())
	{
		if (entry.key == key)
		{
			out = entry.value;
			return true;
		}
	}
	return false;
}

void diffObjects(const PostHog::Value& before, const PostHog::Value& after, const std::string& prefix,
                 std::vector<std::string>& out)
{
	for (const auto& entry : before.entries())
	{
		std::string path = prefix + std::string(entry.key);
		PostHog::Value now;
		if (!lookup(after, entry.key, now))
			out.push_back("- " + path);
		else if (entry.value.isObject() && now.isObject())
			diffObjects(entry.value, now, path + ".", out);
		else if (entry.value != now)
			out.push_back("~ " + path + ": " + shortJson(entry.value) + " -> " + shortJson(now));
	}
	for (const auto& entry : after.entries())
	{
		PostHog::Value was;
		if (!lookup(before, entry.key, was))
			out.push_back("+ " + prefix + std::string(entry.key) + " = " + shortJson(entry.value));
	}
}

std::string iso(const Poco::Timestamp& t)
{
	return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%S.%iZ");
}

} // namespace

ExplainObserver::ExplainObserver(std::ostream& out, std::vector<std::string> stages,
                                 std::set<std::string> validating, std::string hiddenStage, bool dryRun,
                                 bool explain, Report reportInvalid)
    : _out(out), _hidden(std::move(hiddenStage)), _validating(std::move(validating)), _dryRun(dryRun),
      _explain(explain), _reportInvalid(std::move(reportInvalid))
{
	for (auto& s : stages)
	{
		if (s != _hidden)
		{
			_width = std::max(_width, s.size());
			_stages.push_back(std::move(s));
		}
	}
}

void ExplainObserver::expect(const std::string& location)
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	_locations.push_back(location);
}

void ExplainObserver::cancel()
{
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (!_locations.empty())
		_locations.pop_back();
}

std::vector<std::string> ExplainObserver::diff(const PostHog::Message& before, const PostHog::Message& after)
{
	std::vector<std::string> out;
	if (before.event() != after.event())
		out.push_back("~ event: '" + before.event() + "' -> '" + after.event() + "'");
	if (before.distinctId() != after.distinctId())
		out.push_back("~ distinct_id: '" + before.distinctId() + "' -> '" + after.distinctId() + "'");
	if (before.timestamp() != after.timestamp())
		out.push_back("~ timestamp: " + iso(before.timestamp()) + " -> " + iso(after.timestamp()));
	if (before.uuid() != after.uuid())
		out.push_back("~ uuid: " + before.uuid().toString() + " -> " + after.uuid().toString());
	diffObjects(PostHog::Value(before.properties()), PostHog::Value(after.properties()), "", out);
	return out;
}

void ExplainObserver::stageDone(const std::string& stage, const PostHog::Message& before,
                                const PostHog::Message& after, const PostHog::Middleware::Result& result,
                                const std::string& error)
{
	bool first = _stages.empty() ? stage == _hidden : stage == _stages.front();
	if (first)
		beginMessage(before);
	if (!_explain)
	{
		if (!result.passed() && _validating.count(stage) && _reportInvalid)
			_reportInvalid((_current.empty() ? std::string("a message") : _current) + ": dropped by stage '" +
			               stage + "': " + result.reason());
		return;
	}
	if (stage == _hidden)
	{
		if (_stages.empty())
			_out << "  => " << (_dryRun ? "would be sent" : "goes to the sender") << "\n";
		_out.flush();
		return;
	}
	std::string name = stage + std::string(_width + 2 - std::min(_width, stage.size()), ' ');
	_out << "  " << name << outcomeText(before, after, result, error) << "\n";
	if (result.passed() && stage == _stages.back())
		_out << "  => " << (_dryRun ? "would be sent" : "goes to the sender") << "\n";
	_out.flush();
}

void ExplainObserver::beginMessage(const PostHog::Message& message)
{
	{
		Poco::FastMutex::ScopedLock lock(_mutex);
		_current.clear();
		if (!_locations.empty())
		{
			_current = _locations.front();
			_locations.pop_front();
		}
	}
	if (!_explain)
		return;
	std::string type =
	    message.event() == "$pageview" ? "pageview" : PostHog::Message::typeName(message.type());
	_out << (_current.empty() ? std::string("message") : _current) << ": " << type << " '" << message.event()
	     << "' for '" << message.distinctId() << "'\n";
	if (_stages.empty())
		_out << "  (no pipeline stages)\n";
}

std::string ExplainObserver::outcomeText(const PostHog::Message& before, const PostHog::Message& after,
                                         const PostHog::Middleware::Result& result, const std::string& error)
{
	if (!error.empty())
		return "threw: " + error + "; " +
		       (result.passed() ? "passed on unchanged (onError = pass)" : "dropped (onError = drop)");
	if (!result.passed())
		return "dropped: " + result.reason();
	auto changes = diff(before, after);
	if (changes.empty())
		return "passed, unchanged";
	std::string text = "changed:";
	for (std::size_t i = 0; i < changes.size(); ++i)
		text += (i ? "; " : " ") + changes[i];
	return text;
}

} // namespace PostHogSend
