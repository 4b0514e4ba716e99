//
// SecretDetector.cpp
//

#include "SecretDetector.h"
#include <cstring>

namespace PostHog
{

namespace
{

enum Charset : unsigned char
{
	Alnum,      // A-Za-z0-9
	AlnumUnder, // A-Za-z0-9_
	B64Url,     // A-Za-z0-9_-
	AlnumDash,  // A-Za-z0-9-
	UpperAlnum, // A-Z0-9
	Hex,        // 0-9a-fA-F
	B64UrlDot   // A-Za-z0-9_-.
};

bool inCharset(char c, Charset cs) noexcept
{
	switch (cs)
	{
	case Alnum:
		return Chars::isAlnum(c);
	case AlnumUnder:
		return Chars::isAlnum(c) || c == '_';
	case B64Url:
		return Chars::isAlnum(c) || c == '_' || c == '-';
	case AlnumDash:
		return Chars::isAlnum(c) || c == '-';
	case UpperAlnum:
		return (c >= 'A' && c <= 'Z') || Chars::isDigit(c);
	case Hex:
		return Chars::isHex(c);
	case B64UrlDot:
		return Chars::isAlnum(c) || c == '_' || c == '-' || c == '.';
	}
	return false;
}

struct Shape
{
	const char* prefix;
	unsigned char prefixLength;
	Charset charset;
	unsigned char minBody; // characters after the prefix
	unsigned char maxBody; // 0: no upper bound
};

#define SHAPE(p, cs, mn, mx)                                                                                 \
	{                                                                                                        \
		p, sizeof(p) - 1, cs, mn, mx                                                                         \
	}
const Shape shapes[] = {SHAPE("sk_live_", Alnum, 16, 0),   SHAPE("sk_test_", Alnum, 16, 0),
                        SHAPE("rk_live_", Alnum, 16, 0),   SHAPE("rk_test_", Alnum, 16, 0),
                        SHAPE("sk-", B64Url, 20, 0),       SHAPE("shpat_", Hex, 32, 32),
                        SHAPE("shpss_", Hex, 32, 32),      SHAPE("shpca_", Hex, 32, 32),
                        SHAPE("shppa_", Hex, 32, 32),      SHAPE("whsec_", Alnum, 16, 0),
                        SHAPE("ghp_", Alnum, 30, 0),       SHAPE("gho_", Alnum, 30, 0),
                        SHAPE("ghs_", Alnum, 30, 0),       SHAPE("ghu_", Alnum, 30, 0),
                        SHAPE("ghr_", Alnum, 30, 0),       SHAPE("github_pat_", AlnumUnder, 40, 0),
                        SHAPE("glpat-", B64Url, 20, 0),    SHAPE("AKIA", UpperAlnum, 16, 16),
                        SHAPE("ASIA", UpperAlnum, 16, 16), SHAPE("AGPA", UpperAlnum, 16, 16),
                        SHAPE("AIDA", UpperAlnum, 16, 16), SHAPE("AROA", UpperAlnum, 16, 16),
                        SHAPE("ANPA", UpperAlnum, 16, 16), SHAPE("ANVA", UpperAlnum, 16, 16),
                        SHAPE("AIPA", UpperAlnum, 16, 16), SHAPE("AIza", B64Url, 35, 35),
                        SHAPE("xoxb-", AlnumDash, 10, 0),  SHAPE("xoxp-", AlnumDash, 10, 0),
                        SHAPE("xoxa-", AlnumDash, 10, 0),  SHAPE("xoxr-", AlnumDash, 10, 0),
                        SHAPE("xoxs-", AlnumDash, 10, 0),  SHAPE("xoxe-", AlnumDash, 10, 0),
                        SHAPE("xapp-", AlnumDash, 10, 0),  SHAPE("npm_", Alnum, 36, 36),
                        SHAPE("pypi-", B64Url, 50, 0),     SHAPE("hf_", Alnum, 30, 0),
                        SHAPE("SG.", B64UrlDot, 60, 0),    SHAPE("dop_v1_", Hex, 64, 64),
                        SHAPE("doo_v1_", Hex, 64, 64)};
#undef SHAPE

bool isShapeStart(char c) noexcept
{
	switch (c)
	{
	case 's':
	case 'r':
	case 'w':
	case 'g':
	case 'A':
	case 'x':
	case 'n':
	case 'p':
	case 'h':
	case 'S':
	case 'd':
		return true;
	default:
		return false;
	}
}

// Whether some shape's prefix starts with the two characters a, b (one table lookup).
bool pairStartsShape(char a, char b) noexcept
{
	struct Pairs
	{
		std::uint64_t bits[128] = {};
		Pairs()
		{
			for (const auto& shape : shapes)
				bits[shape.prefix[0] & 127] |= std::uint64_t(1) << (shape.prefix[1] & 63);
		}
	};
	static const Pairs pairs;
	return (pairs.bits[a & 127] >> (b & 63)) & 1;
}

bool randomLooking(std::string_view s, std::size_t b, std::size_t e) noexcept
{
	std::uint16_t classes = 0;
	for (std::size_t k = b; k < e; ++k)
		classes |= Chars::of(s[k]);
	return (classes & Chars::Digit) && (classes & Chars::Upper);
}

inline bool isWordChar(char c) noexcept
{
	return (Chars::of(c) & (Chars::Upper | Chars::Lower | Chars::Digit | Chars::Underscore | Chars::Dash)) !=
	       0;
}

bool startsWith(std::string_view s, std::size_t i, const char* p, std::size_t len) noexcept
{
	return s.size() - i >= len && std::memcmp(s.data() + i, p, len) == 0;
}

bool isBearerChar(char c) noexcept
{
	return Chars::isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// "Bearer <token>" at i (the word in any case): adds the token.
void scanBearer(std::string_view s, std::size_t i, Findings& findings)
{
	static const char word[] = "bearer";
	if (s.size() - i < 8)
		return;
	for (std::size_t k = 0; k < 6; ++k)
	{
		if (Chars::lower(s[i + k]) != word[k])
			return;
	}
	std::size_t p = i + 6;
	if (s[p] != ' ')
		return;
	while (p < s.size() && s[p] == ' ')
		++p;
	std::size_t b = p;
	bool digit = false, upper = false, lower = false;
	while (p < s.size() && isBearerChar(s[p]))
	{
		std::uint16_t cls = Chars::of(s[p]);
		digit = digit || (cls & Chars::Digit);
		upper = upper || (cls & Chars::Upper);
		lower = lower || (cls & Chars::Lower);
		++p;
	}
	while (p < s.size() && s[p] == '=')
		++p;
	if (p - b >= 16 && (digit || (upper && lower)))
		findings.add(PiiKind::Secret, b, p);
}

// "-----BEGIN <...>PRIVATE KEY-----" at i: adds the block. Returns where scanning goes on
// (after the block, or i + 1).
std::size_t scanPem(std::string_view s, std::size_t i, Findings& findings)
{
	if (!startsWith(s, i, "-----BEGIN ", 11))
		return i + 1;
	// the label is short: look for its closing dashes within 64 characters only
	std::string_view head = s.substr(i + 11, 64);
	std::size_t close = head.find("-----");
	if (close == std::string_view::npos || close > 40 ||
	    head.substr(0, close).find("PRIVATE KEY") == std::string_view::npos)
		return i + 1;
	close += i + 11;
	std::size_t end = s.find("-----END ", close + 5);
	if (end == std::string_view::npos)
		end = s.size();
	else
	{
		std::string_view tail = s.substr(end + 9, 64);
		std::size_t dashes = tail.find("-----");
		end = dashes == std::string_view::npos ? s.size() : end + 9 + dashes + 5;
	}
	findings.add(PiiKind::Secret, i, end);
	return end;
}

} // namespace

bool SecretDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	// Every shape has a digit, an upper-case letter, '_' or '-' (prefixes, PEM dashes, Bearer
	// tokens with a digit or mixed case): all-lower-case prose and plain URLs are skipped.
	return profile.has(Chars::Digit | Chars::Upper | Chars::Underscore | Chars::Dash);
}

void SecretDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
	for (std::size_t i = 0; i < n; ++i)
	{
		char c = s[i];
		if (c == '-')
		{
			if (i == 0 || s[i - 1] != '-')
				i = scanPem(s, i, findings) - 1;
			continue;
		}
		if (!isWordChar(c))
			continue;
		// the start of a word: try the shapes, then skip to the end of the word
		std::size_t wordEnd = i + 1;
		while (wordEnd < n && isWordChar(s[wordEnd]))
			++wordEnd;
		if (c == 'B' || c == 'b')
			scanBearer(s, i, findings);
		else if (n - i >= 12 && isShapeStart(c) && pairStartsShape(c, s[i + 1]))
		{
			char c1 = s[i + 1];
			for (const auto& shape : shapes)
			{
				if (shape.prefix[0] != c || shape.prefix[1] != c1 ||
				    !startsWith(s, i, shape.prefix, shape.prefixLength))
					continue;
				std::size_t p = i + shape.prefixLength;
				while (p < n && inCharset(s[p], shape.charset))
					++p;
				std::size_t body = p - i - shape.prefixLength;
				if (body < shape.minBody || (shape.maxBody && body > shape.maxBody))
					continue;
				if (p < n && isWordChar(s[p]) && shape.charset != B64Url && shape.charset != AlnumDash)
					continue;
				// "sk-" also starts kebab-case names (sk-loading-spinner-container): the generic
				// prefix needs a random-looking body, with a digit and an upper-case letter
				if (shape.prefixLength == 3 && shape.prefix[2] == '-' && !randomLooking(s, i + 3, p))
					continue;
				if (findings.add(PiiKind::Secret, i, p) && p > wordEnd)
					wordEnd = p;
				break;
			}
		}
		i = wordEnd - 1;
	}
}

} // namespace PostHog
