//
// Semver.cpp
//

#include "flags/Semver.h"
#include <cstdlib>
#include <string>

namespace PostHog
{

namespace
{

bool isSpace(char c) noexcept
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trimVersion(std::string_view text) noexcept
{
	while (!text.empty() && isSpace(text.front()))
		text.remove_prefix(1);
	while (!text.empty() && isSpace(text.back()))
		text.remove_suffix(1);
	if (!text.empty() && (text.front() == 'v' || text.front() == 'V'))
		text.remove_prefix(1);
	return text;
}

/// A numeric identifier: digits only, no leading zero unless it is "0".
bool parseNumber(std::string_view part, double& out) noexcept
{
	if (part.empty() || (part.size() > 1 && part[0] == '0'))
		return false;
	for (char c : part)
	{
		if (c < '0' || c > '9')
			return false;
	}
	if (part.size() > 15)
	{
		out = std::strtod(std::string(part).c_str(), nullptr);
		return true;
	}
	// Up to 15 digits the value is below 2^53, so adding digit by digit is exact, as strtod is.
	double value = 0;
	for (char c : part)
		value = value * 10 + (c - '0');
	out = value;
	return true;
}

/// Splits at the first '.', returning the part before it and leaving the rest in text.
std::string_view nextPart(std::string_view& text, bool& more) noexcept
{
	const std::size_t dot = text.find('.');
	more = dot != std::string_view::npos;
	std::string_view part = text.substr(0, dot);
	text = more ? text.substr(dot + 1) : std::string_view();
	return part;
}

} // namespace

bool Semver::parse(std::string_view text, Semver& out) noexcept
{
	std::string_view base = trimVersion(text);
	base = base.substr(0, base.find('-'));
	base = base.substr(0, base.find('+'));
	if (base.empty() || base.front() == '.')
		return false;
	bool more = true;
	for (int i = 0; i < 3; ++i)
	{
		out.part[i] = 0;
		if (!more)
			continue;
		const std::string_view part = nextPart(base, more);
		if (!part.empty() && !parseNumber(part, out.part[i]))
			return false;
	}
	return true;
}

bool Semver::tildeBounds(std::string_view text, Semver& lower, Semver& upper) noexcept
{
	if (!parse(text, lower))
		return false;
	upper.part[0] = lower.part[0];
	upper.part[1] = lower.part[1] + 1;
	upper.part[2] = 0;
	return true;
}

bool Semver::caretBounds(std::string_view text, Semver& lower, Semver& upper) noexcept
{
	if (!parse(text, lower))
		return false;
	upper = Semver();
	if (lower.part[0] > 0)
		upper.part[0] = lower.part[0] + 1;
	else if (lower.part[1] > 0)
		upper.part[1] = lower.part[1] + 1;
	else
		upper.part[2] = lower.part[2] + 1;
	return true;
}

bool Semver::wildcardBounds(std::string_view text, Semver& lower, Semver& upper) noexcept
{
	std::string_view cleaned = trimVersion(text);
	if (cleaned.size() >= 2 && cleaned.substr(cleaned.size() - 2) == ".*")
		cleaned.remove_suffix(2);
	else if (!cleaned.empty() && cleaned.back() == '*')
		cleaned.remove_suffix(1);
	if (cleaned.empty())
		return false;
	bool more = false;
	const std::string_view majorText = nextPart(cleaned, more);
	lower = Semver();
	upper = Semver();
	if (!parseNumber(majorText, lower.part[0]))
		return false;
	if (!more)
	{
		upper.part[0] = lower.part[0] + 1;
		return true;
	}
	const std::string_view minorText = nextPart(cleaned, more);
	if (!parseNumber(minorText, lower.part[1]))
		return false;
	upper.part[0] = lower.part[0];
	upper.part[1] = lower.part[1] + 1;
	return true;
}

int Semver::compare(const Semver& other) const noexcept
{
	for (int i = 0; i < 3; ++i)
	{
		if (part[i] < other.part[i])
			return -1;
		if (part[i] > other.part[i])
			return 1;
	}
	return 0;
}

} // namespace PostHog
