//
// IbanDetector.cpp
//

#include "IbanDetector.h"

namespace PostHog
{

namespace
{

// IBAN lengths per country code (SWIFT IBAN registry).
struct Country
{
	char code[3];
	unsigned char length;
};

const Country countries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30}};

char upper(char c) noexcept
{
	return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

} // namespace

unsigned IbanDetector::ibanLength(char a, char b) noexcept
{
	for (const auto& c : countries)
	{
		if (c.code[0] == a && c.code[1] == b)
			return c.length;
	}
	return 0;
}

bool IbanDetector::mod97(const char* iban, unsigned length) noexcept
{
	unsigned r = 0;
	for (unsigned k = 0; k < length; ++k)
	{
		char c = iban[(k + 4) % length]; // the first four characters move to the end
		if (Chars::isDigit(c))
			r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

bool IbanDetector::worthScanning(const TextProfile& profile, const ScanContext&) const noexcept
{
	return profile.length >= 15 && profile.digits >= 4 && profile.has(Chars::Upper | Chars::Lower);
}

void IbanDetector::scan(std::string_view s, const ScanContext&, Findings& findings) const
{
	const std::size_t n = s.size();
	for (std::size_t i = 0; i + 15 <= n; ++i)
	{
		// only at the start of a word
		if (i > 0 && (Chars::of(s[i - 1]) &
		              (Chars::Upper | Chars::Lower | Chars::Digit | Chars::Underscore | Chars::Dash)))
		{
			while (i + 15 <= n && (Chars::of(s[i]) & (Chars::Upper | Chars::Lower | Chars::Digit)))
				++i;
			continue;
		}
		if (!Chars::isDigit(s[i + 2]) || !Chars::isDigit(s[i + 3]) || !Chars::isAlpha(s[i]) ||
		    !Chars::isAlpha(s[i + 1]))
			continue;
		if (i > 0 && (Chars::isAlnum(s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '-'))
			continue;
		unsigned length = ibanLength(upper(s[i]), upper(s[i + 1]));
		if (length == 0)
			continue;
		char buf[40];
		unsigned count = 0;
		std::size_t p = i;
		while (count < length && p < n)
		{
			char c = s[p];
			if (Chars::isAlnum(c))
			{
				buf[count++] = upper(c);
				++p;
			}
			else if (c == ' ' && count > 0 && count % 4 == 0 && p + 1 < n && Chars::isAlnum(s[p + 1]))
				++p;
			else
				break;
		}
		if (count != length || (p < n && (Chars::isAlnum(s[p]) || s[p] == '_')))
			continue;
		if (mod97(buf, length) && findings.add(PiiKind::Iban, i, p))
			i = p;
	}
}

} // namespace PostHog
