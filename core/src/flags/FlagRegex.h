//
// FlagRegex.h
//
// The pattern of a regex / not_regex filter, compiled once per definitions load.
//

#ifndef PostHog_Flags_FlagRegex_INCLUDED
#define PostHog_Flags_FlagRegex_INCLUDED

#include <memory>
#include <string>
#include <string_view>

namespace Poco
{
class RegularExpression;
}

namespace PostHog
{

class FlagRegex
/// A flag filter's regular expression, run as JavaScript and the flags service run it: an
/// unanchored search, `$` only at the very end. Patterns outside the syntax both engines read
/// alike, and subjects with non-ASCII characters or carriage returns, cannot be decided locally
/// (the server is asked, as posthog-node does). Matching is bounded by PCRE's match and
/// recursion limits, so a pathological pattern fails fast instead of hanging.
{
public:
	enum Result
	{
		NoMatch,
		Matched,
		Invalid,
		/// The pattern does not compile: regex and not_regex are both false.
		ServerOnly
		/// Not decidable locally.
	};

	explicit FlagRegex(const std::string& pattern);
	~FlagRegex();

	FlagRegex(const FlagRegex&) = delete;
	FlagRegex& operator=(const FlagRegex&) = delete;

	Result search(std::string_view subject) const;
	/// Whether the pattern occurs anywhere in subject.

	bool serverOnly() const noexcept { return _state == State::ServerOnly; }

	static bool portable(const std::string& pattern);
	/// True when JavaScript and the flags service read the pattern the same way.

private:
	enum class State
	{
		Empty,
		Compiled,
		Invalid,
		ServerOnly
	};

	State _state;
	std::unique_ptr<Poco::RegularExpression> _regex;
};

} // namespace PostHog

#endif // PostHog_Flags_FlagRegex_INCLUDED
