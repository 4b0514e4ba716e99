//
// ValidationMiddleware.cpp
//

#include "ValidationMiddleware.h"
#include "Poco/ClassLibrary.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/DateTimeParser.h"
#include "Poco/Exception.h"
#include "Poco/NumberFormatter.h"
#include "Poco/String.h"
#include "Poco/Util/AbstractConfiguration.h"
#include "PostHog/Array.h"
#include "PostHog/ConfigMap.h"
#include "ReasonText.h"
#include "ValidationFindings.h"
#include <cstring>
#include <ctime>

namespace PostHog
{

namespace
{

// PostHog's plugin-server (isDistinctIdIllegal in nodejs/src/worker/ingestion/persons): ids that
// "stem from a bug or mistake" and that ingestion refuses to merge persons on. The first ten
// it compares without case, the last five with case; here all are compared in lower case.
const std::string_view kIllegalIds[] = {"anonymous",         "guest", "distinctid", "distinct_id", "id",
                                        "not_authenticated", "email", "undefined",  "true",        "false",
                                        "[object object]",   "nan",   "none",       "null",        "0"};
constexpr std::size_t kLongestIllegalId = 17; // not_authenticated

[[noreturn]] void badOption(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                            const std::string& why)
{
	throw Poco::InvalidArgumentException("option '" + key + "' = '" + config.getString(key, "") +
	                                     "': " + why);
}

// The wall clock at the kernel's tick resolution (a few ms): enough for limits counted in hours,
// and several times cheaper a read than Poco::Timestamp's clock_gettime(CLOCK_REALTIME), which
// was a tenth of this stage (docs/performance.md).
Poco::Timestamp coarseNow() noexcept
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0)
		return Poco::Timestamp();
	return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000);
}

bool isPostHogEvent(const std::string& event) noexcept
{
	return !event.empty() && event[0] == '$';
}

} // namespace

using namespace ReasonText;

ValidationMiddleware::ValidationMiddleware() = default;

ValidationMiddleware::~ValidationMiddleware() = default;

std::string ValidationMiddleware::name() const
{
	return "validation";
}

const OptionTable& ValidationMiddleware::options() const
{
	static const OptionTable table = {
	    OptionSpec::makeEnum(
	        "mode", "drop,tag", "drop",
	        "drop: a message failing a rule is dropped, the reason naming the rule; tag: it passes with "
	        "properties.$validation_errors = [reasons] (no event name, no distinct id, or JSON over "
	        "maxEventBytes still drops)"),
	    {"maxEventNameLength", OptionSpec::Int, "200",
	     "longest event name, in characters (PostHog cuts names at 200)", 1, 200},
	    {"maxDistinctIdLength", OptionSpec::Int, "200",
	     "longest distinct id, in characters (PostHog's limit is 200)", 1, 200},
	    {"illegalDistinctIds", OptionSpec::List, "",
	     "more distinct ids to refuse (trimmed, any case), besides PostHog's own list"},
	    {"maxFutureHours", OptionSpec::Double, "23",
	     "refuse timestamps more than this many hours ahead of the clock (PostHog replaces them beyond 23 h)",
	     0, 8760},
	    {"minTimestamp", OptionSpec::String, "2000-01-01T00:00:00Z",
	     "refuse timestamps before this date (ISO 8601; empty: no floor); catches unset clocks and epoch-0 "
	     "bugs"},
	    {"maxPropertyNameLength", OptionSpec::Int, "400",
	     "longest top-level property name, in characters (PostHog's property definitions hold 400)", 1,
	     65535},
	    {"maxEventBytes", OptionSpec::Int, "1000000",
	     "largest event JSON, in bytes (PostHog's limit is 1 MB)", 1024, 1000000},
	    {"eventNamePattern", OptionSpec::String, "",
	     "a regular expression (PCRE) every whole event name must match; empty: none"},
	    {"required", OptionSpec::List, "",
	     "required properties, as <event>:<property> entries (<event> * means every event)"},
	    {"types", OptionSpec::List, "",
	     "property types, as <property>:<type> entries; type is string, int, number, bool, object or array; "
	     "checked when the property is present"},
	    {"includePostHogEvents", OptionSpec::Bool, "false",
	     "apply eventNamePattern, types and '*' required entries to PostHog's own $-events too"},
	};
	return table;
}

void ValidationMiddleware::configure(const Poco::Util::AbstractConfiguration& config)
{
	_tag = Poco::icompare(Poco::trim(config.getString("mode")), "tag") == 0;
	_maxEventNameLength = static_cast<std::size_t>(config.getInt64("maxEventNameLength"));
	_maxDistinctIdLength = static_cast<std::size_t>(config.getInt64("maxDistinctIdLength"));
	_maxPropertyNameLength = static_cast<std::size_t>(config.getInt64("maxPropertyNameLength"));
	_maxEventBytes = static_cast<std::size_t>(config.getInt64("maxEventBytes"));
	double hours = config.getDouble("maxFutureHours");
	// Plus a second for the coarse clock's lag behind the precise one (a kernel tick, a few
	// milliseconds, more under load), so that maxFutureHours = 0 does not refuse a timestamp
	// taken a moment ago from the precise clock.
	_maxFuture = static_cast<Poco::Timestamp::TimeDiff>(hours * 3600.0 * 1e6) + Poco::Timestamp::resolution();
	_maxFutureText = Poco::NumberFormatter::format(hours) + " h";

	ConfigMap map(config, options());
	_extraIllegalIds.clear();
	for (const auto& id : map.getList("illegalDistinctIds"))
		_extraIllegalIds.push_back(Poco::toLower(id));

	std::string floor = Poco::trim(config.getString("minTimestamp"));
	_hasMinTimestamp = !floor.empty();
	if (_hasMinTimestamp)
	{
		Poco::DateTime parsed;
		int tzd = 0;
		if (!Poco::DateTimeParser::tryParse(floor, parsed, tzd))
			badOption(config, "minTimestamp", "not a date (ISO 8601, e.g. 2000-01-01T00:00:00Z)");
		parsed.makeUTC(tzd);
		_minTimestamp = parsed.timestamp();
		_minTimestampText =
		    Poco::DateTimeFormatter::format(_minTimestamp, Poco::DateTimeFormat::ISO8601_FORMAT);
	}

	_eventNamePatternText = config.getString("eventNamePattern");
	_eventNamePattern.reset();
	if (!_eventNamePatternText.empty())
	{
		try
		{
			_eventNamePattern.reset(
			    new Poco::RegularExpression(_eventNamePatternText, Poco::RegularExpression::RE_UTF8));
		}
		catch (Poco::RegularExpressionException& e)
		{
			badOption(config, "eventNamePattern", "not a regular expression (" + e.message() + ")");
		}
	}

	configureRules(config);
	_includePostHogEvents = config.getBool("includePostHogEvents");
}

void ValidationMiddleware::configureRules(const Poco::Util::AbstractConfiguration& config)
{
	ConfigMap map(config, options());
	_required.clear();
	for (const auto& pair : map.getPairs("required", "<event>:<property>"))
	{
		RequiredRule r;
		r.event = pair.first;
		r.property = pair.second;
		if (r.event.empty() || r.property.empty())
			badOption(config, "required",
			          "entry '" + r.event + ":" + r.property + "' is not <event>:<property>");
		if (_required.size() == 64)
			badOption(config, "required", "more than 64 entries");
		_required.push_back(r);
	}

	_types.clear();
	for (const auto& pair : map.getPairs("types", "<property>:<type>"))
	{
		TypeRule t;
		t.property = pair.first;
		t.kindName = pair.second;
		std::string entry = t.property + ":" + t.kindName;
		if (t.property.empty() || t.kindName.empty())
			badOption(config, "types", "entry '" + entry + "' is not <property>:<type>");
		std::string k = Poco::toLower(t.kindName);
		if (k == "string")
			t.kind = Kind::String;
		else if (k == "int" || k == "integer")
			t.kind = Kind::Int;
		else if (k == "number" || k == "double" || k == "float")
			t.kind = Kind::Number;
		else if (k == "bool" || k == "boolean")
			t.kind = Kind::Bool;
		else if (k == "object")
			t.kind = Kind::Object;
		else if (k == "array")
			t.kind = Kind::Array;
		else
			badOption(config, "types",
			          "entry '" + entry + "' has type '" + t.kindName +
			              "', not one of string, int, number, bool, object, array");
		_types.push_back(t);
	}
}

bool ValidationMiddleware::isIllegalDistinctId(const std::string& distinctId, std::string& canonical)
{
	canonical.clear();
	std::size_t begin = 0, end = distinctId.size();
	while (begin < end && isSpace(distinctId[begin]))
		++begin;
	while (end > begin && isSpace(distinctId[end - 1]))
		--end;
	if (end - begin >= 2 && (distinctId[begin] == '"' || distinctId[begin] == '\'') &&
	    distinctId[end - 1] == distinctId[begin])
	{
		++begin;
		--end;
	}
	if (begin == end)
		return true; // blank, "" or ''
	std::size_t n = end - begin;
	if (n > kLongestIllegalId)
		return false;
	char lower[kLongestIllegalId];
	for (std::size_t i = 0; i < n; ++i)
	{
		char c = distinctId[begin + i];
		lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
	}
	std::string_view candidate(lower, n);
	for (std::string_view id : kIllegalIds)
	{
		if (id == candidate)
		{
			canonical = std::string(id);
			return true;
		}
	}
	return false;
}

bool ValidationMiddleware::hasKind(const Value& value, Kind kind) noexcept
{
	switch (kind)
	{
	case Kind::String:
		return value.isString();
	case Kind::Int:
		return value.isInt();
	case Kind::Number:
		return value.isNumber();
	case Kind::Bool:
		return value.isBool();
	case Kind::Object:
		return value.isObject();
	case Kind::Array:
		return value.isArray();
	}
	return false;
}

bool ValidationMiddleware::matchesPattern(const std::string& event) const
{
	try
	{
		return _eventNamePattern->match(event);
	}
	catch (Poco::RegularExpressionException&)
	{
		return false; // PCRE refuses a subject that is not valid UTF-8: it matches no pattern
	}
}

bool ValidationMiddleware::isIllegalExtra(const std::string& distinctId) const
{
	if (_extraIllegalIds.empty())
		return false;
	std::string id = Poco::toLower(Poco::trim(distinctId));
	for (const auto& extra : _extraIllegalIds)
	{
		if (id == extra)
			return true;
	}
	return false;
}

bool ValidationMiddleware::checkEventName(const std::string& event, Findings& findings) const
{
	// Rules PostHog applies. Cheapest first; in drop mode the first failure returns.
	if (event.empty())
	{
		if (!findings.add(rule(kRuleEventName) + "the event name is empty", true))
			return false;
	}
	else if (longerThan(event, _maxEventNameLength))
	{
		if (!findings.add(rule(kRuleEventNameLength) + "event name " + quote(event) + " is longer than " +
		                  std::to_string(_maxEventNameLength) + " characters"))
			return false;
	}
	return true;
}

bool ValidationMiddleware::checkDistinctId(const std::string& id, Findings& findings) const
{
	// Distinct ids are never quoted (they are personal data, and reasons are counted by text).
	std::string canonical;
	if (id.empty())
	{
		if (!findings.add(rule(kRuleDistinctId) + "the distinct id is missing", true))
			return false;
	}
	else if (isIllegalDistinctId(id, canonical))
	{
		if (!findings.add(rule(kRuleIllegalDistinctId) +
		                  (canonical.empty() ? std::string("the distinct id is blank")
		                                     : "the distinct id is '" + canonical +
		                                           "', a placeholder PostHog refuses to merge persons on")))
			return false;
	}
	else if (isIllegalExtra(id))
	{
		if (!findings.add(rule(kRuleIllegalDistinctId) + "the distinct id is one of illegalDistinctIds"))
			return false;
	}
	else if (longerThan(id, _maxDistinctIdLength))
	{
		if (!findings.add(rule(kRuleDistinctIdLength) + "the distinct id is longer than " +
		                  std::to_string(_maxDistinctIdLength) + " characters"))
			return false;
	}
	return true;
}

bool ValidationMiddleware::checkUuidAndTime(const Message& message, Findings& findings) const
{
	// A malformed uuid or timestamp string never gets this far: the Client parses them at the
	// API (a uuid that does not parse is refused there), and a Message holds them as
	// Poco::UUID and Poco::Timestamp. What is left to check is their values.
	const Poco::UUID& uuid = message.uuid();
	if (uuid.isNull())
	{
		if (!findings.add(rule(kRuleUuid) + "the uuid is the nil uuid"))
			return false;
	}
	else if (uuid.variant() != 2)
	{
		if (!findings.add(rule(kRuleUuid) + "the uuid is not of the RFC 4122 variant"))
			return false;
	}

	const Poco::Timestamp& ts = message.timestamp();
	Poco::Timestamp now = coarseNow();
	if (ts > now && ts - now > _maxFuture)
	{
		if (!findings.add(rule(kRuleFuture) + "the timestamp is more than " + _maxFutureText +
		                  " in the future"))
			return false;
	}
	else if (_hasMinTimestamp && ts < _minTimestamp)
	{
		if (!findings.add(rule(kRuleMinTimestamp) + "the timestamp is before " + _minTimestampText))
			return false;
	}
	return true;
}

bool ValidationMiddleware::checkKey(std::string_view key, const Value& value, Findings& findings) const
{
	// PostHog's rules for a top-level property.
	if (key.empty())
		return findings.add(rule(kRulePropertyName) + "a property name is empty");
	if (key.size() > _maxPropertyNameLength && characters(key) > _maxPropertyNameLength)
		return findings.add(rule(kRulePropertyNameLength) + "property name " + quote(key) +
		                    " is longer than " + std::to_string(_maxPropertyNameLength) + " characters");
	if (key[0] == '$' && (key == "$set" || key == "$set_once" || key == "$groups") && !value.isObject())
		return findings.add(rule(kRuleObjectProperty) + "property '" + std::string(key) + "' is " +
		                    describe(value) + ", not an object");
	return true;
}

bool ValidationMiddleware::checkProperties(const Message& message, Findings& findings) const
{
	const std::string& event = message.event();
	// The configuration's rules that need no look at the properties.
	bool own = isPostHogEvent(event);
	bool general = !own || _includePostHogEvents;
	if (general && _eventNamePattern && !event.empty() && !matchesPattern(event))
	{
		if (!findings.add(rule(kRulePattern) + "event " + quote(event) + " does not match " +
		                  _eventNamePatternText))
			return false;
	}
	std::uint64_t missing = 0; // bit i: required entry i applies and has not been seen yet
	for (std::size_t i = 0; i < _required.size(); ++i)
	{
		const RequiredRule& r = _required[i];
		if (r.event == "*" ? general : r.event == event)
			missing |= std::uint64_t(1) << i;
	}
	bool checkTypes = general && !_types.empty();

	// One pass over the top-level keys serves PostHog's key rules, the types and the required
	// properties (a lookup per rule would rescan the properties each time). The properties
	// themselves are always an object: a Message cannot hold anything else.
	for (const auto& entry : message.properties())
	{
		std::string_view key = entry.key;
		if (!checkKey(key, entry.value, findings))
			return false;
		for (std::uint64_t m = missing; m; m &= m - 1)
		{
			int i = __builtin_ctzll(m);
			if (_required[static_cast<std::size_t>(i)].property == key)
				missing &= ~(std::uint64_t(1) << i);
		}
		if (checkTypes)
		{
			for (const auto& t : _types)
			{
				if (t.property == key && !hasKind(entry.value, t.kind) &&
				    !findings.add(rule(kRuleTypes) + "property " + quote(t.property) + " is " +
				                  describe(entry.value) + ", not " + t.kindName))
					return false;
			}
		}
	}
	for (; missing; missing &= missing - 1)
	{
		const RequiredRule& r = _required[static_cast<std::size_t>(__builtin_ctzll(missing))];
		if (!findings.add(rule(kRuleRequired) + "event " + quote(event) + " lacks property " +
		                  quote(r.property)))
			return false;
	}
	return true;
}

void ValidationMiddleware::check(const Message& message, Findings& findings) const
{
	if (!checkEventName(message.event(), findings) || !checkDistinctId(message.distinctId(), findings) ||
	    !checkUuidAndTime(message, findings) || !checkProperties(message, findings))
		return;
	// Last, the size. estimatedSize() is 3x the encoded size plus the envelope; JSON grows at
	// most 6x over the encoding (a control character becomes \u00XX), so twice the estimate
	// bounds it and the JSON is written only for events that might be near the limit.
	if (2 * message.estimatedSize() > _maxEventBytes)
	{
		std::size_t bytes = message.toJSON().size();
		if (bytes > _maxEventBytes)
			findings.add(rule(kRuleEventBytes) + "the event's JSON is over " +
			                 std::to_string(_maxEventBytes) + " bytes",
			             true);
	}
}

Middleware::Result ValidationMiddleware::process(Message& message)
{
	Findings findings(_tag);
	check(message, findings);
	if (findings.empty())
		return Result::pass();
	if (!_tag || findings.fatal())
		return Result::drop(findings.dropReason());
	Array errors;
	for (const auto& reason : findings.reasons())
		errors.add(reason);
	message.properties().set("$validation_errors", errors);
	return Result::pass();
}

} // namespace PostHog

using PostHog::ValidationMiddleware; // the manifest names the class as written here

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(ValidationMiddleware)
POCO_END_MANIFEST
