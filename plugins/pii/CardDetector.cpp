//
// CardDetector.cpp
//

#include "CardDetector.h"

namespace PostHog
{

bool CardDetector::luhn(std::string_view d) noexcept
{
	unsigned sum = 0;
	bool twice = false;
	for (std::size_t i = d.size(); i-- > 0;)
	{
		unsigned v = static_cast<unsigned>(d[i] - '0');
		if (twice)
		{
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
		twice = !twice;
	}
	return sum % 10 == 0;
}

bool CardDetector::isCardNumber(std::string_view d) noexcept
{
	if (d.size() < 13 || d.size() > 19)
		return false;
	unsigned two = static_cast<unsigned>((d[0] - '0') * 10 + (d[1] - '0'));
	bool scheme = false;
	switch (d[0])
	{
	case '2':
	{
		unsigned four = two * 100 + static_cast<unsigned>((d[2] - '0') * 10 + (d[3] - '0'));
		scheme = four >= 2221 && four <= 2720;
		break;
	}
	case '3':
		scheme = two == 30 || two == 34 || two == 35 || two == 36 || two == 37 || two == 38 || two == 39;
		break;
	case '4':
	case '6':
		scheme = true;
		break;
	case '5':
		scheme = two >= 50;
		break;
	default:
		break;
	}
	return scheme && luhn(d);
}

bool CardDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.digits >= 13;
}

namespace
{

struct Group
{
	std::size_t begin;
	std::size_t end;
	unsigned digits;
};

// The digits of s[begin, end) without separators; false if more than 19.
bool collect(std::string_view s, std::size_t begin, std::size_t end, char* out, unsigned& count) noexcept
{
	count = 0;
	for (std::size_t k = begin; k < end; ++k)
	{
		if (Chars::isDigit(s[k]))
		{
			if (count == 19)
				return false;
			out[count++] = s[k];
		}
	}
	return true;
}

// Whether groups [g0, g1] are printed like a card: fours (4-4-4-4, 4-4-4-4-3, 4-4-5 ...) or
// the 4-6-5 / 4-6-4 of Amex and Diners.
bool cardLayout(const Group* g, unsigned g0, unsigned g1) noexcept
{
	if (g[g0].digits != 4)
		return false;
	if (g1 - g0 == 2 && g[g0 + 1].digits == 6)
		return true;
	for (unsigned k = g0 + 1; k < g1; ++k)
	{
		if (g[k].digits != 4)
			return false;
	}
	return true;
}

} // namespace

void CardDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
	constexpr unsigned maxGroups = 24;
	Group groups[maxGroups];
	char digits[20];
	std::size_t i = 0;
	while (i < n)
	{
		if (!Chars::isDigit(s[i]))
		{
			++i;
			continue;
		}
		char prev = i > 0 ? s[i - 1] : ' ';
		bool boundary = !Chars::isAlnum(prev) && prev != '+' && prev != '.' && prev != '_';
		// read the run: digit groups separated by single spaces or dashes
		std::size_t start = i, groupBegin = i;
		unsigned count = 0, groupDigits = 0, ng = 0;
		while (i < n)
		{
			if (Chars::isDigit(s[i]))
			{
				++groupDigits;
				++count;
				++i;
			}
			else if ((s[i] == ' ' || s[i] == '-') && i + 1 < n && Chars::isDigit(s[i + 1]))
			{
				if (ng < maxGroups)
					groups[ng] = Group{groupBegin, i, groupDigits};
				++ng;
				groupBegin = ++i;
				groupDigits = 0;
			}
			else
				break;
		}
		if (ng < maxGroups)
			groups[ng] = Group{groupBegin, i, groupDigits};
		++ng;
		std::size_t end = i;
		bool endOk = end >= n || !(Chars::isAlnum(s[end]) || s[end] == '_' ||
		                           (s[end] == '.' && end + 1 < n && Chars::isDigit(s[end + 1])));
		unsigned d;
		if (count >= 13 && count <= 19 && boundary && endOk && collect(s, start, end, digits, d) &&
		    isCardNumber(std::string_view(digits, d)))
		{
			findings.add(PiiKind::Card, start, end);
			continue;
		}
		// A card printed next to more digits ("4111 1111 1111 1111 12 25", a phone number
		// before it): windows of whole groups laid out like a card.
		if (count < 13 || ng < 2 || ng > maxGroups)
			continue;
		for (unsigned g0 = 0; g0 < ng; ++g0)
		{
			if (g0 == 0 && !boundary)
				continue;
			unsigned total = 0;
			for (unsigned g1 = g0; g1 < ng && total < 19; ++g1)
			{
				total += groups[g1].digits;
				if (total < 13 || total > 19 || (g1 == ng - 1 && !endOk) || !cardLayout(groups, g0, g1))
					continue;
				if (collect(s, groups[g0].begin, groups[g1].end, digits, d) &&
				    isCardNumber(std::string_view(digits, d)) &&
				    findings.add(PiiKind::Card, groups[g0].begin, groups[g1].end))
				{
					g0 = g1;
					break;
				}
			}
		}
	}
}

} // namespace PostHog
