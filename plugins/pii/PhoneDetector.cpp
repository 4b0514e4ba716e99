//
// PhoneDetector.cpp
//

#include "PhoneDetector.h"
#include "Poco/Exception.h"
#include "Poco/String.h"
#include <cstring>

namespace PostHog
{

namespace
{

struct Region
{
	const char* code;
	bool nanp;
	unsigned minDigits;
	unsigned maxDigits;
};

const Region regions[] = {
    {"US", true, 10, 10},  {"CA", true, 10, 10},  {"PR", true, 10, 10},  {"GU", true, 10, 10},
    {"VI", true, 10, 10},  {"AS", true, 10, 10},  {"MP", true, 10, 10},  {"GB", false, 10, 11},
    {"DE", false, 10, 12}, {"FR", false, 10, 10}, {"NL", false, 10, 10}, {"BE", false, 9, 10},
    {"CH", false, 10, 10}, {"AT", false, 10, 13}, {"IT", false, 9, 11},  {"SE", false, 8, 10},
    {"AU", false, 10, 10}, {"NZ", false, 9, 10},  {"JP", false, 10, 11}, {"IN", false, 11, 11},
    {"IE", false, 9, 10},  {"ZA", false, 10, 10}};

// Two-digit ITU codes; the others start with a digit of a three-digit zone (see below).
const char* const twoDigit[] = {"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41",
                                "43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54",
                                "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
                                "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
// Two-digit prefixes under which every assigned code has three digits (21x, 35x, 42x, 88x...).
const char* const threeDigitZones[] = {"21", "22", "23", "24", "25", "26", "29", "35", "37", "38", "42", "50",
                                       "59", "67", "68", "69", "80", "85", "87", "88", "96", "97", "99"};

bool isSep(char c) noexcept
{
	return c == ' ' || c == '-' || c == '.';
}

// Reads digits and separators from i: single separators (space, dash, dot) between digit
// groups, parentheses around a group. Stops before the first character that breaks the
// pattern. Writes the digits to out (at most cap) and returns the end (after the last digit
// or ')'); separators counts the separators and parentheses used.
std::size_t readDigitRun(std::string_view s, std::size_t i, char* out, unsigned cap, unsigned& count,
                         unsigned& separators) noexcept
{
	const std::size_t n = s.size();
	count = 0;
	separators = 0;
	std::size_t end = i;
	bool open = false;
	while (i < n)
	{
		char c = s[i];
		if (Chars::isDigit(c))
		{
			if (count >= cap)
			{
				count = cap + 1; // too long to be a phone number
				return end;
			}
			out[count++] = c;
			end = ++i;
		}
		else if (c == '(' && !open && i + 1 < n && Chars::isDigit(s[i + 1]))
		{
			open = true;
			++separators;
			++i;
		}
		else if (c == ')' && open && i > 0 && Chars::isDigit(s[i - 1]))
		{
			open = false;
			end = ++i;
			if (i < n && isSep(s[i]) && i + 1 < n && (Chars::isDigit(s[i + 1])))
				++i;
		}
		else if (isSep(c) && i > 0 && (Chars::isDigit(s[i - 1])) && i + 1 < n &&
		         (Chars::isDigit(s[i + 1]) || (s[i + 1] == '(' && !open)))
		{
			++separators;
			++i;
		}
		else
		{
			break;
		}
	}
	return end;
}

bool endsCleanly(std::string_view s, std::size_t end) noexcept
{
	if (end >= s.size())
		return true;
	char c = s[end];
	if (Chars::isAlnum(c) || c == '@' || c == '_')
		return false;
	// "415-555-2671-9", "1.2.3.4.5": the run stopped at a separator that continues with digits
	if ((c == '-' || c == '.' || c == '/') && end + 1 < s.size() && Chars::isDigit(s[end + 1]))
		return false;
	return true;
}

bool nanpValid(const char* d) noexcept
{
	return d[0] >= '2' && d[3] >= '2';
}

} // namespace

PhoneDetector::PhoneDetector(const std::string& region)
{
	std::string r = Poco::toUpper(Poco::trim(region));
	for (const auto& reg : regions)
	{
		if (r == reg.code)
		{
			_nanp = reg.nanp;
			_minDigits = reg.minDigits;
			_maxDigits = reg.maxDigits;
			return;
		}
	}
	throw Poco::InvalidArgumentException("no national phone rule for region '" + region +
	                                     "' (supported: " + supportedRegions() + ")");
}

std::string PhoneDetector::supportedRegions()
{
	std::string out;
	for (const auto& reg : regions)
	{
		if (!out.empty())
			out += ", ";
		out += reg.code;
	}
	return out;
}

bool PhoneDetector::validCountryCode(std::string_view d, std::size_t& length) noexcept
{
	if (d.empty())
		return false;
	if (d[0] == '1' || d[0] == '7')
	{
		length = 1;
		return true;
	}
	if (d.size() < 2 || d[0] == '0')
		return false;
	for (const char* c : twoDigit)
	{
		if (d[0] == c[0] && d[1] == c[1])
		{
			length = 2;
			return true;
		}
	}
	if (d.size() < 3)
		return false;
	for (const char* c : threeDigitZones)
	{
		if (d[0] == c[0] && d[1] == c[1])
		{
			length = 3;
			return true;
		}
	}
	return false;
}

bool PhoneDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	if (profile.digits >= 8 && profile.has(Chars::Plus))
		return true;
	return profile.digits >= (_nanp ? 10u : _minDigits) || profile.digits >= 10;
}

bool PhoneDetector::scanInternational(std::string_view s, std::size_t i, Findings& findings,
                                      std::size_t& next) const
{
	// s[i] is '+', or the first '0' of "00"
	std::size_t start = i;
	std::size_t from = s[i] == '+' ? i + 1 : i + 2;
	if (from < s.size() && s[from] == ' ')
		++from; // "+ 44 ..." is rare but seen
	char d[20];
	unsigned count, seps;
	std::size_t end = readDigitRun(s, from, d, 17, count, seps);
	next = end > i ? end : i + 1;
	if (count < 8 || count > 17 || !endsCleanly(s, end))
		return false;
	std::size_t ccLen = 0;
	std::string_view digits(d, count);
	if (!validCountryCode(digits, ccLen))
		return false;
	// "+44 (0)20 ..." carries a trunk 0 that E.164 drops
	unsigned significant = count;
	if (count > ccLen && d[ccLen] == '0')
		--significant;
	if (significant < 8 || significant > 15)
		return false;
	if (d[0] == '1' && !(significant == 11 && nanpValid(d + 1)))
		return false;
	if (d[0] == '7' && significant != 11)
		return false;
	return findings.add(PiiKind::Phone, start, end);
}

bool PhoneDetector::scanNanp(std::string_view s, std::size_t i, Findings& findings, std::size_t& next) const
{
	const std::size_t n = s.size();
	std::size_t p = i;
	next = i + 1;
	auto digitsAt = [&](std::size_t at, unsigned k)
	{
		if (at + k > n)
			return false;
		for (unsigned j = 0; j < k; ++j)
		{
			if (!Chars::isDigit(s[at + j]))
				return false;
		}
		return true;
	};
	// optional country code 1 and a separator
	if (s[p] == '1' && p + 1 < n && (isSep(s[p + 1])) && (p + 2 < n) &&
	    (s[p + 2] == '(' || Chars::isDigit(s[p + 2])))
		p += 2;
	char area[3];
	bool paren = false;
	if (s[p] == '(')
	{
		if (!digitsAt(p + 1, 3) || p + 4 >= n || s[p + 4] != ')')
			return false;
		std::memcpy(area, s.data() + p + 1, 3);
		p += 5;
		paren = true;
		if (p < n && (s[p] == ' ' || s[p] == '-'))
			++p;
	}
	else
	{
		if (!digitsAt(p, 3) || p + 3 >= n || !isSep(s[p + 3]))
			return false;
		std::memcpy(area, s.data() + p, 3);
		p += 4;
	}
	if (!digitsAt(p, 3) || p + 3 >= n || !isSep(s[p + 3]) || !digitsAt(p + 4, 4))
	{
		// "(415)555-2671"
		if (!(paren && digitsAt(p, 3) && p + 3 < n && isSep(s[p + 3]) && digitsAt(p + 4, 4)))
			return false;
	}
	char num[7];
	std::memcpy(num, s.data() + p, 3);
	std::size_t end = p + 8;
	next = end;
	if (end < n && Chars::isDigit(s[end]))
		return false;
	if (!endsCleanly(s, end))
		return false;
	if (area[0] < '2' || num[0] < '2')
		return false;
	return findings.add(PiiKind::Phone, i, end);
}

bool PhoneDetector::scanTrunk(std::string_view s, std::size_t i, const ScanContext& context,
                              Findings& findings, std::size_t& next) const
{
	char d[20];
	unsigned count, seps;
	std::size_t end = readDigitRun(s, i, d, 16, count, seps);
	next = end > i ? end : i + 1;
	if (count < _minDigits || count > _maxDigits || !endsCleanly(s, end))
		return false;
	if (d[0] != '0' || d[1] == '0')
		return false;
	if (seps == 0 && !context.phoneKey())
		return false;
	return findings.add(PiiKind::Phone, i, end);
}

void PhoneDetector::scanBare(std::string_view s, Findings& findings) const
{
	// The whole value of a phone-like key: digits only, optionally with a leading 1 (NANP).
	std::size_t b = 0, e = s.size();
	while (b < e && s[b] == ' ')
		++b;
	while (e > b && s[e - 1] == ' ')
		--e;
	std::string_view v = s.substr(b, e - b);
	for (char c : v)
	{
		if (!Chars::isDigit(c))
			return;
	}
	if (_nanp)
	{
		if (v.size() == 11 && v[0] == '1')
			v.remove_prefix(1);
		if (v.size() == 10 && nanpValid(v.data()))
			findings.add(PiiKind::Phone, b, e);
	}
}

void PhoneDetector::scan(std::string_view s, const ScanContext& context, Findings& findings) const
{
	const std::size_t n = s.size();
	std::size_t i = 0;
	while (i < n)
	{
		char c = s[i];
		char prev = i > 0 ? s[i - 1] : ' ';
		bool boundary = !Chars::isAlnum(prev) && prev != '.' && prev != '_' && prev != '+';
		std::size_t next = i + 1;
		if (c == '+' && i + 1 < n && (Chars::isDigit(s[i + 1]) || s[i + 1] == ' ') && !Chars::isAlnum(prev) &&
		    prev != '+')
		{
			scanInternational(s, i, findings, next);
		}
		else if (c == '0' && boundary && prev != '-' && i + 2 < n && s[i + 1] == '0' && s[i + 2] >= '1' &&
		         s[i + 2] <= '9')
		{
			if (!scanInternational(s, i, findings, next) && !_nanp)
				scanTrunk(s, i, context, findings, next);
		}
		else if ((Chars::isDigit(c) || c == '(') && boundary && prev != '-' && prev != '/')
		{
			if (_nanp)
				scanNanp(s, i, findings, next);
			else if (c == '0' || (c == '(' && i + 1 < n && s[i + 1] == '0'))
				scanTrunk(s, i, context, findings, next);
			// skip the rest of this digit run
			if (next <= i + 1 && c != '(')
			{
				next = i + 1;
				while (next < n && Chars::isDigit(s[next]))
					++next;
			}
		}
		i = next > i ? next : i + 1;
	}
	if (context.phoneKey())
		scanBare(s, findings);
}

} // namespace PostHog
