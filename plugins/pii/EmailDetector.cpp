//
// EmailDetector.cpp
//

#include "EmailDetector.h"
#include <cstring>

namespace PostHog
{

namespace
{

bool isLocalChar(std::string_view s, std::size_t i) noexcept
{
	char c = s[i];
	if (Chars::isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-')
		return true;
	return c == '\'' && i > 0 && i + 1 < s.size() && Chars::isAlnum(s[i - 1]) && Chars::isAlnum(s[i + 1]);
}

bool isFileExtension(std::string_view tld) noexcept
{
	static const char* const extensions[] = {
	    "png",  "jpg", "jpeg", "gif",  "webp",  "svg", "bmp",  "ico", "tif", "tiff", "avif", "heic", "pdf",
	    "css",  "js",  "mjs",  "ts",   "json",  "map", "txt",  "csv", "zip", "gz",   "tgz",  "mp4",  "mov",
	    "webm", "mp3", "wav",  "woff", "woff2", "ttf", "html", "htm", "xml", "yaml", "yml",  "md"};
	if (tld.size() > 5)
		return false;
	char low[6];
	for (std::size_t i = 0; i < tld.size(); ++i)
		low[i] = Chars::lower(tld[i]);
	std::string_view l(low, tld.size());
	for (const char* e : extensions)
	{
		if (l == e)
			return true;
	}
	return false;
}

// The end of the address whose '@' (or "%40", sepLength 3) is at `at`, or npos.
std::size_t scanAddress(std::string_view s, std::size_t at, std::size_t sepLength) noexcept
{
	const std::size_t n = s.size();
	std::size_t b = at;
	while (b > 0 && at - b < 64 && isLocalChar(s, b - 1))
		--b;
	while (b < at && (s[b] == '.' || s[b] == '+' || s[b] == '-' || s[b] == '%'))
		++b;
	if (b == at || s[at - 1] == '.')
		return std::string_view::npos;
	// git@github.com:org/repo.git, the scp-like form of an SSH remote, names no person
	if (at - b == 3 && s.compare(b, 3, "git") == 0)
		return std::string_view::npos;
	// domain: label(.label)+
	std::size_t p = at + sepLength;
	unsigned labels = 0;
	std::size_t lastStart = p, lastEnd = p;
	while (p < n && Chars::isAlnum(s[p]))
	{
		std::size_t start = p;
		while (p < n && (Chars::isAlnum(s[p]) || s[p] == '-'))
			++p;
		if (s[p - 1] == '-' || p - start > 63)
			return std::string_view::npos;
		++labels;
		lastStart = start;
		lastEnd = p;
		if (p + 1 < n && s[p] == '.' && Chars::isAlnum(s[p + 1]))
			++p;
		else
			break;
	}
	if (labels < 2)
		return std::string_view::npos;
	std::string_view tld = s.substr(lastStart, lastEnd - lastStart);
	if (tld.size() < 2 || tld.size() > 24)
		return std::string_view::npos;
	for (char c : tld)
	{
		if (!Chars::isAlpha(c))
			return std::string_view::npos;
	}
	if (isFileExtension(tld))
		return std::string_view::npos;
	return lastEnd;
}

} // namespace

bool EmailDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.has(Chars::At | Chars::Percent) && profile.dots > 0 && profile.length >= 6;
}

void EmailDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	// '@' and its percent-encoding "%40" (an address in a URL query: ?email=jane%40example.com)
	for (std::size_t at = 0; at < s.size(); ++at)
	{
		std::size_t sepLength;
		if (s[at] == '@')
			sepLength = 1;
		else if (s[at] == '%' && at + 2 < s.size() && s[at + 1] == '4' && s[at + 2] == '0')
			sepLength = 3;
		else
			continue;
		std::size_t e = scanAddress(s, at, sepLength);
		if (e != std::string_view::npos)
		{
			std::size_t b = at;
			while (b > 0 && at - b < 64 && isLocalChar(s, b - 1))
				--b;
			while (b < at && (s[b] == '.' || s[b] == '+' || s[b] == '-' || s[b] == '%'))
				++b;
			findings.add(PiiKind::Email, b, e);
			at = e - 1;
		}
	}
}

} // namespace PostHog
