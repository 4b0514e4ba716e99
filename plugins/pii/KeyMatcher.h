//
// KeyMatcher.h
//
// Tells sensitive property names (password, apiKey, X-API-KEY ...) from ordinary ones.
//

#ifndef PostHog_KeyMatcher_INCLUDED
#define PostHog_KeyMatcher_INCLUDED

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace PostHog
{

class KeyMatcher
/// Decides whether a property name says its value is a secret, whatever the value is.
///
/// The rule, precisely:
///   1. The key is split into words at separators (anything not a letter or digit: _ - . space
///      $ ...) and at camelCase boundaries (apiKey -> api|key, APIKey -> api|key; digits stay
///      with the word before them: cvv2). Words are lower-cased and joined without separators:
///      "X-API-Key" -> "xapikey" with word starts at x|api|key.
///   2. The key is sensitive if the whole joined form is a term ("apikey", "pin", "auth"), or
///      if a trailing run of whole words joins to a term that is not marked exact-only
///      ("stripe_secret_key" ends in the words secret|key = "secretkey"; "x-api-key" ends in
///      "apikey"; "db_password" ends in "password").
/// Only whole trailing words count, so "tokens_used" (ends in "used"), "author" (one word,
/// not "auth"), "keyboard", "passenger", "password_strength", "token_type", "credit_card_brand"
/// and "map_pin" ("pin" is exact-only) are ordinary. Short or ambiguous terms are exact-only:
/// "pin" (map_pin, hair_pin), "auth" (oauth flows name many things auth_*), "key" in URLs.
///
/// Cost: one pass over the key into a stack buffer, then a few length-bucketed compares; no
/// allocation for keys up to 96 characters (longer keys are judged by their last 96).
{
public:
	KeyMatcher();
	/// The built-in terms (see builtinTerms()).

	explicit KeyMatcher(bool empty);
	/// No terms at all when empty is true (for URL parameter lists built from scratch).

	void addTerm(std::string_view key, bool exactOnly = false);
	/// Adds a term, given in any spelling ("client_secret", "ClientSecret"): it is normalised.

	bool isSensitive(std::string_view key) const noexcept;

	static const std::vector<std::pair<const char*, bool>>& builtinTerms();
	/// The built-in terms and whether each is exact-only.

	class Normalized
	/// A key lower-cased with separators dropped, and where its words start.
	{
	public:
		explicit Normalized(std::string_view key) noexcept;
		std::string_view text() const noexcept { return std::string_view(_buf, _len); }
		unsigned words() const noexcept { return _words; }
		unsigned wordStart(unsigned i) const noexcept { return _starts[i]; }
		std::string_view lastWord() const noexcept;

	private:
		static constexpr unsigned capacity = 96;
		char _buf[capacity];
		unsigned _len = 0;
		unsigned _starts[capacity];
		unsigned _words = 0;
	};

private:
	bool lookup(std::string_view word, bool wholeKey) const noexcept;

	struct Term
	{
		std::string word;
		bool exactOnly;
	};
	static constexpr unsigned maxTermLength = 48;
	std::vector<Term> _byLength[maxTermLength + 1];
	// Every match ends where the key ends: the last three letters/digits of the key (lower-case,
	// 5 bits each) must be the ending of some term. Refuses most keys before normalising.
	std::uint64_t _endings[512] = {};
	bool _allShort = false; // a term under three characters disables the ending filter
};

} // namespace PostHog

#endif // PostHog_KeyMatcher_INCLUDED
