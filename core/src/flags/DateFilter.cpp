//
// DateFilter.cpp
//

#include "flags/DateFilter.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "flags/PropertyText.h"
#include <algorithm>
#include <cmath>
#include <string>

namespace PostHog
{

namespace
{

const Poco::Timestamp::TimeDiff kHour = 3600LL * Poco::Timestamp::resolution();
const Poco::Timestamp::TimeDiff kDay = 24 * kHour;

/// -?N[a-z] with N below 10000.
bool parseRelative(std::string_view text, long& count, char& unit) noexcept
{
	if (!text.empty() && text.front() == '-')
		text.remove_prefix(1);
	if (text.size() < 2)
		return false;
	unit = text.back();
	if (unit < 'a' || unit > 'z')
		return false;
	text.remove_suffix(1);
	long value = 0;
	for (char c : text)
	{
		if (c < '0' || c > '9')
			return false;
		value = std::min(value * 10 + (c - '0'), 100000L);
	}
	count = value;
	return value < 10000;
}

Poco::Timestamp fromParts(int year, int month, int day, const Poco::DateTime& timeOfDay)
{
	Poco::DateTime result(year, month, day, timeOfDay.hour(), timeOfDay.minute(), timeOfDay.second(),
	                      timeOfDay.millisecond(), timeOfDay.microsecond());
	return result.timestamp();
}

} // namespace

Poco::Timestamp DateFilter::subtract(const Poco::Timestamp& now, long count, char unit) noexcept
{
	switch (unit)
	{
	case 'h':
		return now - count * kHour;
	case 'd':
		return now - count * kDay;
	case 'w':
		return now - count * 7 * kDay;
	default:
		break;
	}
	const Poco::DateTime date(now);
	int day = date.day();
	if (unit == 'm')
	{
		// Months are subtracted one at a time, clamping the day after every step.
		long total = date.year() * 12L + (date.month() - 1) - count;
		for (long step = 1; step <= count && day > 28; ++step)
		{
			const long month = date.year() * 12L + (date.month() - 1) - step;
			day = std::min(day, Poco::DateTime::daysOfMonth(static_cast<int>(month / 12),
			                                                static_cast<int>(month % 12) + 1));
		}
		return fromParts(static_cast<int>(total / 12), static_cast<int>(total % 12) + 1, day, date);
	}
	// Years: the year before a leap year is never one, so February 29 becomes the 28th.
	if (count > 0 && date.month() == 2 && day == 29)
		day = 28;
	return fromParts(date.year() - static_cast<int>(count), date.month(), day, date);
}

bool DateFilter::parseDateText(std::string_view text, Poco::Timestamp& out) noexcept
{
	try
	{
		const std::string input(text);
		Poco::DateTime dateTime;
		int zone = 0;
		if (!Poco::DateTimeParser::tryParse(input, dateTime, zone))
			return false;
		dateTime.makeUTC(zone);
		if (dateTime.year() < 1 || dateTime.year() > 9999)
			return false;
		out = dateTime.timestamp();
		return true;
	}
	catch (...)
	{
		return false;
	}
}

bool DateFilter::parse(const Value& value) noexcept
{
	if (value.isBool() || value.isNull() || value.isArray() || value.isObject())
		return false;
	std::string text;
	PropertyText::appendString(value, text);
	if (parseRelative(text, _count, _unit))
	{
		if (_unit == 'h' || _unit == 'd' || _unit == 'w' || _unit == 'm' || _unit == 'y')
		{
			_relative = true;
			return true;
		}
	}
	_relative = false;
	return parseContextDate(value, _absolute);
}

Poco::Timestamp DateFilter::resolve(const Poco::Timestamp& now) const noexcept
{
	return _relative ? subtract(now, _count, _unit) : _absolute;
}

bool DateFilter::parseContextDate(const Value& value, Poco::Timestamp& out) noexcept
{
	if (value.isInt() || value.isDouble())
	{
		const double milliseconds = value.isInt() ? static_cast<double>(value.getInt()) : value.getDouble();
		if (!std::isfinite(milliseconds) || std::fabs(milliseconds) > 8.64e15)
			return false;
		out = Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(milliseconds) * 1000);
		return true;
	}
	if (!value.isString())
		return false;
	return parseDateText(value.getString(), out);
}

} // namespace PostHog
