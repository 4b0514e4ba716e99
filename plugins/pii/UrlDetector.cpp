//
// UrlDetector.cpp
//

#include "UrlDetector.h"
#include <cstring>

namespace PostHog
{

namespace
{

inline bool endsUrl(char c) noexcept
{
	return (Chars::of(c) & Chars::UrlEnd) != 0;
}

} // namespace

UrlDetector::UrlDetector(const KeyMatcher& keys) : _params(keys)
{
	for (const char* name : {"sig", "signature", "X-Amz-Signature", "X-Amz-Credential",
	                         "X-Amz-Security-Token", "pass", "passwd", "pwd", "sessionid"})
		_params.addTerm(name, false);
	_params.addTerm("key", true);
	_params.addTerm("code", true);
}

bool UrlDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.has(Chars::Slash) && profile.has(Chars::Query | Chars::At);
}

void UrlDetector::scanParameters(std::string_view s, std::size_t b, std::size_t e, Findings& findings) const
{
	std::size_t p = b;
	while (p < e)
	{
		std::size_t amp = p;
		while (amp < e && s[amp] != '&' && s[amp] != ';')
			++amp;
		std::size_t eq = p;
		while (eq < amp && s[eq] != '=')
			++eq;
		if (eq < amp && eq > p && amp > eq + 1 && _params.isSensitive(s.substr(p, eq - p)))
			findings.add(PiiKind::Url, eq + 1, amp);
		p = amp + 1;
	}
}

void UrlDetector::scanUrl(std::string_view s, std::size_t begin, std::size_t end, std::size_t authority,
                          Findings& findings) const
{
	std::size_t p = begin;
	if (authority != std::string_view::npos)
	{
		std::size_t a = authority;
		std::size_t authEnd = a;
		while (authEnd < end && s[authEnd] != '/' && s[authEnd] != '?' && s[authEnd] != '#')
			++authEnd;
		std::size_t at = std::string_view::npos;
		for (std::size_t k = a; k < authEnd; ++k)
		{
			if (s[k] == '@')
				at = k;
		}
		if (at != std::string_view::npos)
		{
			std::size_t colon = a;
			while (colon < at && s[colon] != ':')
				++colon;
			if (colon < at && colon + 1 < at)
				findings.add(PiiKind::Url, colon + 1, at);
		}
		p = authEnd;
	}
	// the query and the fragment (memchr: most of a URL is path)
	const char* base = s.data();
	const void* qm = std::memchr(base + p, '?', end - p);
	const void* hm = std::memchr(base + p, '#', end - p);
	std::size_t q = qm ? static_cast<std::size_t>(static_cast<const char*>(qm) - base) : end;
	std::size_t h = hm ? static_cast<std::size_t>(static_cast<const char*>(hm) - base) : end;
	if (q < h)
		scanParameters(s, q + 1, h, findings);
	if (h < end)
		scanParameters(s, h + 1, end, findings);
}

void UrlDetector::scan(std::string_view s, const ScanContext& context, Findings& findings) const
{
	const std::size_t n = s.size();
	bool any = false;
	for (std::size_t m = s.find("://"); m != std::string_view::npos; m = s.find("://", m))
	{
		std::size_t b = m;
		while (b > 0 && (Chars::isAlnum(s[b - 1]) || s[b - 1] == '+' || s[b - 1] == '.' || s[b - 1] == '-'))
			--b;
		if (b == m || !Chars::isAlpha(s[b]))
		{
			m += 3;
			continue;
		}
		std::size_t e = m + 3;
		if (context.profile() && !context.profile()->has(Chars::UrlEnd))
			e = n; // nothing ends it before the end of the string
		while (e < n && !endsUrl(s[e]))
			++e;
		scanUrl(s, b, e, m + 3, findings);
		any = true;
		m = e; // the next URL starts after this one ("a://b://c" is one URL)
	}
	if (!any && n > 1 && s[0] == '/' && s[1] != '/')
	{
		std::size_t e = 0;
		while (e < n && !endsUrl(s[e]))
			++e;
		scanUrl(s, 0, e, std::string_view::npos, findings);
	}
}

} // namespace PostHog
