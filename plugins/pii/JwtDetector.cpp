//
// JwtDetector.cpp
//

#include "JwtDetector.h"

namespace PostHog
{

namespace
{

bool isB64Url(char c) noexcept
{
	return Chars::isAlnum(c) || c == '-' || c == '_';
}

} // namespace

bool JwtDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.dots >= 2 && profile.length >= 24 && profile.has(Chars::Upper);
}

void JwtDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
	for (std::size_t at = s.find("eyJ"); at != std::string_view::npos; at = s.find("eyJ", at + 1))
	{
		if (at > 0 && isB64Url(s[at - 1]))
			continue;
		std::size_t p = at;
		while (p < n && isB64Url(s[p]))
			++p;
		if (p - at < 10 || p >= n || s[p] != '.')
			continue;
		std::size_t q = ++p;
		while (p < n && isB64Url(s[p]))
			++p;
		if (p - q < 10 || p >= n || s[p] != '.')
			continue;
		++p;
		while (p < n && (isB64Url(s[p]) || s[p] == '='))
			++p;
		if (findings.add(PiiKind::Jwt, at, p))
			at = p - 1;
	}
}

} // namespace PostHog
