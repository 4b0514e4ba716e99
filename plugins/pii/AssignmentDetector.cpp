//
// AssignmentDetector.cpp
//

#include "AssignmentDetector.h"

namespace PostHog
{

namespace
{

inline bool isNameChar(char c) noexcept
{
	return Chars::isAlnum(c) || c == '_' || c == '.' || c == '-';
}

inline bool endsValue(char c) noexcept
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '&' || c == ',' ||
	       c == ';' || c == '}' || c == ')' || c == ']' || c == '<' || c == '>';
}

} // namespace

AssignmentDetector::AssignmentDetector(const KeyMatcher& keys) : _keys(keys) {}

bool AssignmentDetector::worthScanning(const TextProfile&, const ScanContext&) const noexcept
{
	return true;
}

void AssignmentDetector::scan(std::string_view s, const ScanContext& context, Findings& findings) const
{
	const std::size_t n = s.size();
	// no space or quote anywhere: a URL runs to the end of the string
	bool oneWord = context.profile() && !context.profile()->has(Chars::UrlEnd);
	for (std::size_t op = 0; op < n; ++op)
	{
		char c = s[op];
		if (!(Chars::of(c) & (Chars::Colon | Chars::Query)) || (c != '=' && c != ':') || op == 0)
			continue;
		if (c == ':' && op + 2 < n && s[op + 1] == '/' && s[op + 2] == '/')
		{
			// a URL: its parameters are UrlDetector's; go on after it
			if (oneWord)
				break;
			while (op < n && !(Chars::of(s[op]) & Chars::UrlEnd))
				++op;
			continue;
		}
		// the name before the operator, maybe quoted
		std::size_t e = op;
		char quote = 0;
		if (s[e - 1] == '"' || s[e - 1] == '\'')
		{
			quote = s[e - 1];
			--e;
		}
		std::size_t b = e;
		while (b > 0 && e - b < 64 && isNameChar(s[b - 1]))
			--b;
		if (b == e || (quote && (b == 0 || s[b - 1] != quote)))
			continue;
		std::size_t before = quote ? b - 1 : b;
		if (before > 0 && (isNameChar(s[before - 1]) || s[before - 1] == '/' || s[before - 1] == '?' ||
		                   s[before - 1] == '&' || s[before - 1] == '#'))
			continue; // part of a longer token, or a URL parameter (UrlDetector's)
		if (!_keys.isSensitive(s.substr(b, e - b)))
			continue;
		// the value
		std::size_t v = op + 1;
		if (c == ':' && v < n && s[v] == ' ')
			++v;
		if (v >= n)
			continue;
		std::size_t ve;
		if (s[v] == '"' || s[v] == '\'')
		{
			char q = s[v++];
			ve = v;
			while (ve < n && s[ve] != q && s[ve] != '\n')
				++ve;
		}
		else
		{
			if (c == ':' && s[v] == '/')
				continue; // "scheme://"
			ve = v;
			while (ve < n && !endsValue(s[ve]))
				++ve;
		}
		if (ve > v && findings.add(PiiKind::Secret, v, ve))
			op = ve;
	}
}

} // namespace PostHog
