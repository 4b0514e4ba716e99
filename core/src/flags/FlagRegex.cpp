//
// FlagRegex.cpp
//

#include "flags/FlagRegex.h"
#include "Poco/Exception.h"
#include "Poco/RegularExpression.h"
#include <cstdlib>
#include <string_view>

namespace PostHog
{

namespace
{

// PCRE's own limits, set in the pattern (Poco exposes no match limit): a runaway pattern stops
// with PCRE error -8 (match limit) or -21 (recursion limit) instead of backtracking for minutes.
const char* const kLimits = "(*LIMIT_MATCH=100000)(*LIMIT_RECURSION=10000)";

bool isHex(char c) noexcept
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Escaped spaces and ASCII punctuation are literals in both engines.
bool isLiteralPunctuation(char c) noexcept
{
	return (c >= 0x20 && c <= 0x2f) || c == ':' || c == ';' || c == '=' || c == '?' || c == '@' ||
	       (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/// {n} or {n,} or {n,m} at the start of text, with counts the flags service accepts.
bool isRepetition(std::string_view text) noexcept
{
	std::size_t i = 1;
	int groups = 0;
	while (groups < 2)
	{
		const std::size_t start = i;
		while (i < text.size() && text[i] >= '0' && text[i] <= '9')
			++i;
		const std::size_t digits = i - start;
		if (digits > 10 || (digits > 0 && std::strtoull(std::string(text.substr(start, digits)).c_str(),
		                                                nullptr, 10) > 0xffffffffULL))
			return false;
		if (groups == 0 && digits == 0)
			return false;
		if (i < text.size() && text[i] == '}')
			return true;
		if (groups == 0 && i < text.size() && text[i] == ',')
		{
			++i;
			++groups;
			continue;
		}
		return false;
	}
	return false;
}

} // namespace

bool FlagRegex::portable(const std::string& pattern)
{
	std::string_view previous;
	bool inClass = false;
	std::size_t classStart = 0;
	for (std::size_t i = 0; i < pattern.size(); ++i)
	{
		const std::size_t at = i;
		const char c = pattern[i];
		if (static_cast<unsigned char>(c) > 0x7f)
			return false;
		if (c == '\\')
		{
			if (++i >= pattern.size())
				break;
			const char escaped = pattern[i];
			if (escaped == 'x')
			{
				if (i + 2 >= pattern.size() || !isHex(pattern[i + 1]) || !isHex(pattern[i + 2]))
					return false;
				i += 2;
			}
			else if (std::string_view("dDsSwWbBfnrtv").find(escaped) == std::string_view::npos &&
			         !isLiteralPunctuation(escaped))
				return false;
			// Word boundaries can exhaust the service's backtracking limit even on short values.
			if (!inClass && (escaped == 'b' || escaped == 'B'))
				return false;
			previous = "literal";
			continue;
		}
		if (c == '[')
		{
			if (inClass)
				return false;
			inClass = true;
			classStart = i;
		}
		else if (c == ']' && inClass)
		{
			const std::size_t contentStart = classStart + (pattern[classStart + 1] == '^' ? 2 : 1);
			if (i == contentStart)
				return false;
			inClass = false;
			previous = "literal";
			continue;
		}
		else if (inClass)
		{
			const std::string_view pair = std::string_view(pattern).substr(i, 2);
			if (pair == "&&" || pair == "--" || pair == "~~")
				return false;
			continue;
		}
		else if (c == '(' && i + 1 < pattern.size() && pattern[i + 1] == '?')
		{
			if (i + 2 >= pattern.size() || pattern[i + 2] != ':')
				return false;
			i += 2;
		}
		else if (c == '{')
		{
			if (!isRepetition(std::string_view(pattern).substr(i)) || previous.empty() || previous == "|" ||
			    previous == "(")
				return false;
		}
		else if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < pattern.size() &&
		         (pattern[i + 1] == '+' || pattern[i + 1] == '{'))
			return false;
		if ((c == '*' || c == '+' || c == '?' || c == '{') &&
		    (previous == "^" || previous == "$" || previous == "empty group"))
			return false;
		if (c == ')' && (previous == "(" || previous == "empty group"))
			previous = "empty group";
		else
			previous = std::string_view(pattern).substr(at, 1);
	}
	return true;
}

FlagRegex::FlagRegex(const std::string& pattern) : _state(State::Empty)
{
	if (pattern.empty())
		return;
	if (!portable(pattern))
	{
		_state = State::ServerOnly;
		return;
	}
	try
	{
		_regex = std::make_unique<Poco::RegularExpression>(kLimits + pattern,
		                                                   Poco::RegularExpression::RE_DOLLAR_ENDONLY, true);
		_state = State::Compiled;
	}
	catch (const Poco::Exception&)
	{
		_state = State::Invalid;
	}
}

FlagRegex::~FlagRegex() = default;

FlagRegex::Result FlagRegex::search(std::string_view subject) const
{
	switch (_state)
	{
	case State::Empty:
		return Matched;
	case State::Invalid:
		return Invalid;
	case State::ServerOnly:
		return ServerOnly;
	case State::Compiled:
		break;
	}
	for (char c : subject)
	{
		if (static_cast<unsigned char>(c) > 0x7f || c == '\r')
			return ServerOnly;
	}
	try
	{
		// Poco takes a std::string: one buffer per thread keeps its capacity between calls.
		thread_local std::string buffer;
		buffer.assign(subject.data(), subject.size());
		Poco::RegularExpression::Match match;
		return _regex->match(buffer, 0, match) > 0 ? Matched : NoMatch;
	}
	catch (const Poco::Exception&)
	{
		// PCRE error -8 / -21: the match or recursion limit was hit.
		return ServerOnly;
	}
}

} // namespace PostHog
