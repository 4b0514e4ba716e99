//
// IpDetector.cpp
//

#include "IpDetector.h"

namespace PostHog
{

bool IpDetector::parseIpv4(std::string_view s, std::size_t i, std::size_t& end) noexcept
{
	const std::size_t n = s.size();
	for (int octet = 0; octet < 4; ++octet)
	{
		if (octet > 0)
		{
			if (i >= n || s[i] != '.')
				return false;
			++i;
		}
		std::size_t b = i;
		unsigned v = 0;
		while (i < n && Chars::isDigit(s[i]) && i - b < 4)
			v = v * 10 + static_cast<unsigned>(s[i++] - '0');
		std::size_t len = i - b;
		if (len == 0 || len > 3 || v > 255 || (len > 1 && s[b] == '0'))
			return false;
	}
	end = i;
	return true;
}

bool IpDetector::isIpv6(std::string_view r) noexcept
{
	const std::size_t n = r.size();
	if (n < 3)
		return false;
	std::size_t pos = 0;
	unsigned groups = 0;
	bool compressed = false;
	std::size_t firstGroupLength = 0;
	if (r[0] == ':')
	{
		if (r[1] != ':')
			return false;
		compressed = true;
		pos = 2;
		if (pos == n)
			return false; // "::" alone
	}
	while (pos < n)
	{
		std::size_t k = pos;
		while (k < n && Chars::isHex(r[k]))
			++k;
		if (k < n && r[k] == '.')
		{
			std::size_t end;
			if (!parseIpv4(r, pos, end) || end != n)
				return false;
			groups += 2;
			pos = n;
			break;
		}
		std::size_t len = k - pos;
		if (len == 0 || len > 4)
			return false;
		if (groups == 0 && !compressed)
			firstGroupLength = len;
		++groups;
		pos = k;
		if (pos == n)
			break;
		if (r[pos] != ':')
			return false;
		if (pos + 1 < n && r[pos + 1] == ':')
		{
			if (compressed)
				return false;
			compressed = true;
			pos += 2;
			continue;
		}
		++pos;
		if (pos == n)
			return false;
	}
	if (!compressed)
		return groups == 8;
	if (groups > 7)
		return false;
	if (groups <= 2 && r[0] != ':' && firstGroupLength < 3)
		return false;
	return true;
}

bool IpDetector::worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept
{
	if (profile.colons >= 2 && profile.length >= 3)
		return true;
	return profile.dots >= 3 && profile.digits >= 4 && !context.versionKey();
}

void IpDetector::scan(std::string_view s, const ScanContext& context, Findings& findings) const
{
	const std::size_t n = s.size();
	bool v4 = !context.versionKey();
	for (std::size_t i = 0; i < n;)
	{
		char c = s[i];
		char prev = i > 0 ? s[i - 1] : ' ';
		bool boundary = !Chars::isAlnum(prev) && prev != '.' && prev != ':' && prev != '_' && prev != '-';
		if (!boundary || !(Chars::isHex(c) || c == ':'))
		{
			++i;
			continue;
		}
		// the candidate run of hex digits, ':' and '.'
		std::size_t j = i;
		unsigned colons = 0;
		while (j < n && (Chars::isHex(s[j]) || s[j] == ':' || s[j] == '.'))
		{
			colons += s[j] == ':';
			++j;
		}
		std::size_t e = j;
		while (e > i && s[e - 1] == '.')
			--e;
		if (colons >= 2)
		{
			if (e - i >= 2 && s[e - 1] == ':' && s[e - 2] != ':')
				--e; // "fe80::1:" at the end of a clause
			bool after = e >= n || !(Chars::isAlnum(s[e]) || s[e] == '-' || s[e] == '_');
			if (after && isIpv6(s.substr(i, e - i)))
			{
				findings.add(PiiKind::Ip, i, e);
				i = j;
				continue;
			}
		}
		// "Chrome/120.0.0.0", "Version/17.1.2.0": a product token's version, not an address
		// (while "http://10.0.0.1/" has "//" before the host)
		bool productVersion = prev == '/' && i > 1 && s[i - 2] != '/';
		if (v4 && Chars::isDigit(c) && !productVersion)
		{
			std::size_t end;
			if (parseIpv4(s, i, end))
			{
				bool after =
				    end >= n ||
				    !(Chars::isAlnum(s[end]) || s[end] == '_' ||
				      ((s[end] == '.' || s[end] == '-') && end + 1 < n && Chars::isDigit(s[end + 1])));
				if (after)
					findings.add(PiiKind::Ip, i, end);
			}
		}
		i = j > i ? j : i + 1;
	}
}

} // namespace PostHog
