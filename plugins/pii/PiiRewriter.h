//
// PiiRewriter.h
//

#ifndef PostHog_PiiRewriter_INCLUDED
#define PostHog_PiiRewriter_INCLUDED

#include "DecisionCache.h"
#include "PiiScrubber.h"
#include "PostHog/PropertyRewriter.h"
#include <cstdint>
#include <string>
#include <vector>

namespace PostHog
{

class PiiRewriter : public PropertyRewriter
/// Walks an event's properties (Properties::rewrite edits the encoded buffer in place, so an
/// event with nothing to scrub is not copied) and applies the scrubber to every value:
///
///   - a key on the allow-list (exact name, any depth): left alone, not even descended into;
///   - a sensitive key name (not $-prefixed): the whole value, whatever its type, is masked
///     as kind sensitive_key (null and "" are left as they are: they hold nothing);
///   - a string: scrubbed by the detectors; an integer: checked for a card number;
///   - an object or array: descended into (array elements are judged under the key of the
///     array); a property whose finding's mode is remove is removed (an array element alone).
///
/// Keys and values repeat from event to event, so two DecisionCaches remember what was judged:
/// each key's class (allowed, sensitive or ordinary) and which (key, string) pairs the detectors
/// found nothing in. Both decisions depend only on the strings and the options, so a cached
/// answer is the answer the scan would give.
///
/// Nesting deeper than maxDepth throws InvalidMessageException: the stage fails closed, and the
/// pipeline drops what it could not scan.
{
public:
	PiiRewriter(PiiScrubber& scrubber, const PiiOptions& options);

	Action visit(std::string_view key, const Value& value, unsigned depth, Value& replacement) override;

	bool allowed(std::string_view key) const noexcept;

private:
	enum class KeyClass : unsigned char
	{
		Ordinary = 1,
		Allowed = 2,
		Sensitive = 3
	};

	KeyClass classify(std::string_view key, std::size_t keyHash);
	Action scrubString(std::string_view key, std::size_t keyHash, std::string_view text, Value& replacement);
	Action apply(PiiScrubber::Verdict verdict, Value& replacement);

	PiiScrubber& _scrubber;
	std::vector<std::string> _allow;
	std::uint64_t _allowLengths = 0; // bit n: some allowed key has n bytes (n < 64)
	unsigned _maxDepth;
	std::string _out;          // the replacement text; valid until the next visit()
	DecisionCache _keyClasses; // key -> KeyClass
	DecisionCache _cleanTexts; // (key, text) -> nothing found
};

} // namespace PostHog

#endif // PostHog_PiiRewriter_INCLUDED
