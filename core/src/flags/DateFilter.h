//
// DateFilter.h
//
// The value of an is_date_before / is_date_after filter and the dates it is compared with.
//

#ifndef PostHog_Flags_DateFilter_INCLUDED
#define PostHog_Flags_DateFilter_INCLUDED

#include "Poco/Timestamp.h"
#include "PostHog/Value.h"
#include <string_view>

namespace PostHog
{

struct LazyNow
/// The current time, read on first use only (most evaluations compare no dates).
{
	const Poco::Timestamp& get()
	{
		if (!read)
		{
			value.update();
			read = true;
		}
		return value;
	}

	Poco::Timestamp value{0};
	bool read = false;
};

class DateFilter
/// A date filter: either relative to now ("-7d", "2w", "1m", "3y", "12h": now minus that long,
/// months and years clamping the day as the SDKs do) or absolute (an ISO 8601 date or date-time,
/// UTC when it names no zone, or a number of milliseconds since the epoch). Relative dates are
/// resolved at each evaluation, absolute ones once.
{
public:
	bool parse(const Value& value) noexcept;
	/// False when the value is no date (the filter is then undecidable locally).

	Poco::Timestamp resolve(const Poco::Timestamp& now) const noexcept;
	/// The date the filter stands for, given the current time.

	static bool parseContextDate(const Value& value, Poco::Timestamp& out) noexcept;
	/// A person's or group's date property: an ISO 8601 string or epoch milliseconds.

	static Poco::Timestamp subtract(const Poco::Timestamp& now, long count, char unit) noexcept;
	/// now minus count hours (h), days (d), weeks (w), months (m) or years (y).

private:
	static bool parseDateText(std::string_view text, Poco::Timestamp& out) noexcept;
	static bool parseIsoDate(std::string_view text, Poco::Timestamp& out) noexcept;
	/// The common ISO 8601 forms without Poco's general parser: YYYY-MM-DD, optionally
	/// THH:MM[:SS[.fraction]], optionally Z or +HH:MM / -HHMM. False for anything else.

	bool _relative = false;
	long _count = 0;
	char _unit = 'd';
	Poco::Timestamp _absolute;
};

} // namespace PostHog

#endif // PostHog_Flags_DateFilter_INCLUDED
