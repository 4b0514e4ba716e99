//
// KeyMatcher.cpp
//

#include "KeyMatcher.h"
#include "TextProfile.h"
#include <cstring>

namespace PostHog
{

namespace
{

// 15 bits from the last three characters of a term or key (5 bits each).
inline unsigned ending(char last, char before, char third) noexcept
{
	return ((static_cast<unsigned>(last) & 31) << 10) | ((static_cast<unsigned>(before) & 31) << 5) |
	       (static_cast<unsigned>(third) & 31);
}

} // namespace

const std::vector<std::pair<const char*, bool>>& KeyMatcher::builtinTerms()
{
	static const std::vector<std::pair<const char*, bool>> terms = {// passwords and secrets
	                                                                {"password", false},
	                                                                {"passwd", false},
	                                                                {"pwd", false},
	                                                                {"passphrase", false},
	                                                                {"passwordhash", false},
	                                                                {"passwordconfirmation", false},
	                                                                {"passwordconfirm", false},
	                                                                {"secret", false},
	                                                                {"secretkey", false},
	                                                                {"apisecret", false},
	                                                                {"secretaccesskey", false},
	                                                                {"privatekey", false},
	                                                                {"credentials", false},
	                                                                {"credential", false},
	                                                                // tokens and keys
	                                                                {"token", false},
	                                                                {"accesstoken", false},
	                                                                {"refreshtoken", false},
	                                                                {"idtoken", false},
	                                                                {"jwt", false},
	                                                                {"apikey", false},
	                                                                {"authorization", false},
	                                                                {"auth", true},
	                                                                {"cookie", false},
	                                                                {"otp", false},
	                                                                {"otpcode", false},
	                                                                {"mfacode", false},
	                                                                {"totp", false},
	                                                                // identity and payment
	                                                                {"ssn", false},
	                                                                {"socialsecuritynumber", false},
	                                                                {"socialsecurity", false},
	                                                                {"creditcard", false},
	                                                                {"creditcardnumber", false},
	                                                                {"cardnumber", false},
	                                                                {"ccnumber", false},
	                                                                {"ccnum", false},
	                                                                {"cvv", false},
	                                                                {"cvv2", false},
	                                                                {"cvc", false},
	                                                                {"cvc2", false},
	                                                                {"securitycode", false},
	                                                                {"accountnumber", false},
	                                                                {"iban", false},
	                                                                {"pin", true},
	                                                                {"userpin", false},
	                                                                {"cardpin", false},
	                                                                {"atmpin", false},
	                                                                {"pinnumber", false}};
	return terms;
}

KeyMatcher::KeyMatcher()
{
	for (const auto& t : builtinTerms())
		addTerm(t.first, t.second);
}

KeyMatcher::KeyMatcher(bool empty)
{
	if (!empty)
	{
		for (const auto& t : builtinTerms())
			addTerm(t.first, t.second);
	}
}

void KeyMatcher::addTerm(std::string_view key, bool exactOnly)
{
	Normalized n(key);
	std::string_view w = n.text();
	if (w.empty() || w.size() > maxTermLength)
		return;
	for (auto& t : _byLength[w.size()])
	{
		if (t.word == w)
		{
			t.exactOnly = t.exactOnly && exactOnly;
			return;
		}
	}
	_byLength[w.size()].push_back(Term{std::string(w), exactOnly});
	if (w.size() >= 3)
	{
		unsigned e = ending(w[w.size() - 1], w[w.size() - 2], w[w.size() - 3]);
		_endings[e >> 6] |= std::uint64_t(1) << (e & 63);
	}
	else
		_allShort = true;
}

bool KeyMatcher::lookup(std::string_view word, bool wholeKey) const noexcept
{
	if (word.size() > maxTermLength)
		return false;
	for (const auto& t : _byLength[word.size()])
	{
		if ((wholeKey || !t.exactOnly) && std::memcmp(t.word.data(), word.data(), word.size()) == 0)
			return true;
	}
	return false;
}

bool KeyMatcher::isSensitive(std::string_view key) const noexcept
{
	if (!_allShort)
	{
		// the last three letters or digits of the key, lower-cased
		char tail[3] = {0, 0, 0};
		unsigned found = 0;
		for (std::size_t i = key.size(); i-- > 0 && found < 3;)
		{
			if (Chars::isAlnum(key[i]))
				tail[found++] = Chars::lower(key[i]);
		}
		if (found < 3)
			return false;
		unsigned e = ending(tail[0], tail[1], tail[2]);
		if (!((_endings[e >> 6] >> (e & 63)) & 1))
			return false;
	}
	Normalized n(key);
	std::string_view s = n.text();
	if (s.empty())
		return false;
	if (lookup(s, true))
		return true;
	for (unsigned i = 1; i < n.words(); ++i)
	{
		if (lookup(s.substr(n.wordStart(i)), false))
			return true;
	}
	return false;
}

KeyMatcher::Normalized::Normalized(std::string_view key) noexcept
{
	if (key.size() > capacity)
		key = key.substr(key.size() - capacity);
	bool newWord = true;
	for (std::size_t i = 0; i < key.size(); ++i)
	{
		char c = key[i];
		std::uint16_t cls = Chars::of(c);
		if (!(cls & (Chars::Upper | Chars::Lower | Chars::Digit)))
		{
			newWord = true;
			continue;
		}
		if (!newWord && (cls & Chars::Upper) && i > 0)
		{
			std::uint16_t prev = Chars::of(key[i - 1]);
			bool nextLower = i + 1 < key.size() && (Chars::of(key[i + 1]) & Chars::Lower);
			// apiKey -> api|Key ; APIKey -> API|Key ; cvv2Code -> cvv2|Code
			if ((prev & (Chars::Lower | Chars::Digit)) || ((prev & Chars::Upper) && nextLower))
				newWord = true;
		}
		if (newWord)
		{
			_starts[_words++] = _len;
			newWord = false;
		}
		_buf[_len++] = Chars::lower(c);
	}
}

std::string_view KeyMatcher::Normalized::lastWord() const noexcept
{
	if (_words == 0)
		return std::string_view();
	return text().substr(_starts[_words - 1]);
}

} // namespace PostHog
