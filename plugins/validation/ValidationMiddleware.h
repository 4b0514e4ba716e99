//
// ValidationMiddleware.h
//
// The built-in validation stage (library PostHogValidation).
//

#ifndef PostHog_ValidationMiddleware_INCLUDED
#define PostHog_ValidationMiddleware_INCLUDED

#include "Poco/RegularExpression.h"
#include "Poco/Timestamp.h"
#include "PostHog/Middleware.h"
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class ValidationMiddleware : public Middleware
/// Refuses, before it costs a request, what PostHog's ingestion refuses or mishandles, and
/// what the configuration's own rules forbid. PostHog's rules (always on):
///
///   - the event name is empty, or longer than maxEventNameLength characters;
///   - the distinct id is missing or blank, is one of the placeholder ids PostHog's
///     ingestion refuses to merge on (anonymous, guest, distinct_id, id, undefined, null,
///     NaN, [object Object], 0, true, false, "" ...; see isIllegalDistinctId()), or is
///     longer than maxDistinctIdLength characters;
///   - the timestamp is more than maxFutureHours ahead (PostHog replaces such timestamps
///     with the time of arrival), or before minTimestamp;
///   - the uuid is the nil uuid or not of the RFC 4122 variant;
///   - $set, $set_once or $groups is present but not an object;
///   - a property name is empty or longer than maxPropertyNameLength characters;
///   - the event's JSON is over maxEventBytes.
///
/// User rules (off by default): eventNamePattern, required, types. They skip PostHog's own
/// $-events unless includePostHogEvents is true (a `required` entry naming a $-event
/// explicitly always applies).
///
/// Every rejection names its rule: "rule 'eventNamePattern': event 'x' does not match
/// ^[a-z ]+$". Reasons never quote a distinct id (they are counted per reason, and ids are
/// personal data), and quote event and property names cut to 64 characters.
///
/// Mode drop (default) drops the message with the first failing rule as the reason. Mode tag
/// passes it with properties.$validation_errors = [every reason]; a message PostHog would
/// refuse outright (no event name, no distinct id, JSON over maxEventBytes) is dropped in
/// both modes.
///
/// Cost: a pass over the top-level keys, a clock read and a few compares; the user rules add
/// a lookup each, the pattern one PCRE match; the
/// JSON is written only when Message::estimatedSize() says the event might be near the limit.
{
public:
	ValidationMiddleware();
	~ValidationMiddleware() override;

	std::string name() const override;
	const OptionTable& options() const override;
	void configure(const Poco::Util::AbstractConfiguration& config) override;
	/// Throws Poco::InvalidArgumentException (the pipeline names the stage) for a bad
	/// minTimestamp, eventNamePattern, required or types entry.
	Result process(Message& message) override;

	static bool isIllegalDistinctId(const std::string& distinctId, std::string& canonical);
	/// True when distinctId, trimmed and compared without regard to case, is one of PostHog's
	/// illegal ids (plugin-server's isDistinctIdIllegal: anonymous, guest, distinctid,
	/// distinct_id, id, not_authenticated, email, undefined, true, false, [object Object],
	/// NaN, None, null, 0), bare or wrapped in single or double quotes, or is blank or a
	/// quoted empty string. PostHog compares NaN, None, null, 0 and [object Object] with case;
	/// this check refuses every casing of them (a superset). canonical receives the
	/// lower-case list entry that matched ("" for blank ids).

private:
	enum class Kind
	{
		String,
		Int,
		Number,
		Bool,
		Object,
		Array
	};

	struct TypeRule
	{
		std::string property;
		Kind kind;
		std::string kindName;
	};

	struct RequiredRule
	{
		std::string event; /// "*": every event
		std::string property;
	};

	class Findings;

	static bool hasKind(const Value& value, Kind kind) noexcept;
	void configureRules(const Poco::Util::AbstractConfiguration& config);
	/// The required and types rules (entries <event>:<property>, <property>:<type>).
	void check(const Message& message, Findings& findings) const;
	// Each part returns false when the check ends there (drop mode, first failure).
	bool checkEventName(const std::string& event, Findings& findings) const;
	bool checkDistinctId(const std::string& id, Findings& findings) const;
	bool checkUuidAndTime(const Message& message, Findings& findings) const;
	bool checkProperties(const Message& message, Findings& findings) const;
	bool checkKey(std::string_view key, const Value& value, Findings& findings) const;
	bool isIllegalExtra(const std::string& distinctId) const;
	bool matchesPattern(const std::string& event) const;

	bool _tag = false;
	std::size_t _maxEventNameLength = 200;
	std::size_t _maxDistinctIdLength = 200;
	std::size_t _maxPropertyNameLength = 400;
	std::size_t _maxEventBytes = 1000000;
	Poco::Timestamp::TimeDiff _maxFuture = 0;
	bool _hasMinTimestamp = false;
	Poco::Timestamp _minTimestamp;
	std::string _minTimestampText;
	std::string _maxFutureText;
	std::vector<std::string> _extraIllegalIds; /// lower case
	std::unique_ptr<Poco::RegularExpression> _eventNamePattern;
	std::string _eventNamePatternText;
	std::vector<RequiredRule> _required; /// at most 64
	std::vector<TypeRule> _types;
	bool _includePostHogEvents = false;
};

} // namespace PostHog

#endif // PostHog_ValidationMiddleware_INCLUDED
