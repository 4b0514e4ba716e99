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

namespace
{

/// Reads count digits at text[at]; false unless they are all digits.
bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) noexcept
{
	if (at + count > text.size())
		return false;
	out = 0;
	for (std::size_t i = at; i < at + count; ++i)
	{
		if (text[i] < '0' || text[i] > '9')
			return false;
		out = out * 10 + (text[i] - '0');
	}
	return true;
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long daysFromCivil(int year, int month, int day) noexcept
{
	year -= month <= 2;
	const long long era = (year >= 0 ? year : year - 399) / 400;
	const long long yearOfEra = year - era * 400;
	const long long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	const long long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
	return era * 146097 + dayOfEra - 719468;
}

} // namespace

bool DateFilter::parseIsoDate(std::string_view text, Poco::Timestamp& out) noexcept
{
	int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
	if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, month) ||
	    text[7] != '-' || !digits(text, 8, 2, day))
		return false;
	if (month < 1 || month > 12 || day < 1 || day > Poco::DateTime::daysOfMonth(year, month))
		return false;
	std::size_t at = 10;
	long long micros = 0;
	long long offsetMinutes = 0;
	if (at < text.size() && (text[at] == 'T' || text[at] == ' '))
	{
		if (!digits(text, at + 1, 2, hour) || at + 3 >= text.size() || text[at + 3] != ':' ||
		    !digits(text, at + 4, 2, minute))
			return false;
		at += 6;
		if (at < text.size() && text[at] == ':')
		{
			if (!digits(text, at + 1, 2, second))
				return false;
			at += 3;
			if (at < text.size() && text[at] == '.')
			{
				long long scale = 100000;
				for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
					micros += (text[at] - '0') * scale;
			}
		}
		if (hour > 23 || minute > 59 || second > 59)
			return false;
		if (at < text.size() && text[at] == 'Z')
			++at;
		else if (at < text.size() && (text[at] == '+' || text[at] == '-'))
		{
			int offsetHours = 0, offsetMins = 0;
			const int sign = text[at] == '-' ? -1 : 1;
			if (!digits(text, at + 1, 2, offsetHours))
				return false;
			at += 3;
			if (at < text.size() && text[at] == ':')
				++at;
			if (!digits(text, at, 2, offsetMins))
				return false;
			at += 2;
			offsetMinutes = sign * (offsetHours * 60 + offsetMins);
		}
	}
	if (at != text.size())
		return false;
	const long long seconds =
	    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
	out = Poco::Timestamp(seconds * 1000000 + micros);
	return true;
}

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
	if (parseIsoDate(text, out))
		return true;
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
