//
// SsnDetector.cpp
//

#include "SsnDetector.h"

namespace PostHog
{

bool SsnDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.digits >= 9 && profile.has(Chars::Dash | Chars::Space) && profile.length >= 11;
}

void SsnDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
	auto digitsAt = [&](std::size_t at, unsigned k)
	{
		for (unsigned j = 0; j < k; ++j)
		{
			if (!Chars::isDigit(s[at + j]))
				return false;
		}
		return true;
	};
	for (std::size_t i = 0; i + 11 <= n; ++i)
	{
		if (!Chars::isDigit(s[i]))
			continue;
		char prev = i > 0 ? s[i - 1] : ' ';
		if (Chars::isAlnum(prev) || prev == '-' || prev == '.' || prev == '+' || prev == '/' || prev == '_')
			continue;
		char sep = s[i + 3];
		if ((sep != '-' && sep != ' ') || s[i + 6] != sep || !digitsAt(i, 3) || !digitsAt(i + 4, 2) ||
		    !digitsAt(i + 7, 4))
			continue;
		std::size_t end = i + 11;
		if (end < n && (Chars::isAlnum(s[end]) ||
		                ((s[end] == '-' || s[end] == '.') && end + 1 < n && Chars::isDigit(s[end + 1]))))
			continue;
		int area = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
		int group = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
		bool serialZero = s[i + 7] == '0' && s[i + 8] == '0' && s[i + 9] == '0' && s[i + 10] == '0';
		if (area == 0 || area == 666 || area >= 900 || group == 0 || serialZero)
			continue;
		if (findings.add(PiiKind::Ssn, i, end))
			i = end;
	}
}

} // namespace PostHog
