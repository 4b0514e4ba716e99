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

void CardDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
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
		// read the run: digits with single space/dash separators between them
		std::size_t start = i, end = i;
		char digits[20];
		unsigned count = 0;
		bool tooLong = false;
		while (i < n)
		{
			if (Chars::isDigit(s[i]))
			{
				if (count < 19)
					digits[count] = s[i];
				else
					tooLong = true;
				++count;
				end = ++i;
			}
			else if ((s[i] == ' ' || s[i] == '-') && i + 1 < n && Chars::isDigit(s[i + 1]))
				++i;
			else
				break;
		}
		if (!boundary || tooLong || count < 13)
			continue;
		if (end < n && (Chars::isAlnum(s[end]) || s[end] == '_' ||
		                (s[end] == '.' && end + 1 < n && Chars::isDigit(s[end + 1]))))
			continue;
		if (isCardNumber(std::string_view(digits, count)))
			findings.add(PiiKind::Card, start, end);
	}
}

} // namespace PostHog
