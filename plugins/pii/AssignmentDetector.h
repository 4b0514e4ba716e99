//
// AssignmentDetector.h
//

#ifndef PostHog_AssignmentDetector_INCLUDED
#define PostHog_AssignmentDetector_INCLUDED

#include "Detector.h"
#include "KeyMatcher.h"

namespace PostHog
{

class AssignmentDetector : public Detector
/// Secrets assigned to a sensitive name inside free text, as log lines, shell exports,
/// configuration dumps and logged JSON bodies write them (kind secret):
///
///   AWS_SECRET=wJalrXUt...        password: hunter2        "api_key": "abc123"
///
/// The name (letters, digits, _ . -, optionally in quotes) must be a sensitive key name
/// (KeyMatcher, the same rule as for property names), followed by '=' or ':' (a space may
/// follow ':'), then the value: a quoted string, or a run up to a space, quote, '&', ',', ';'
/// or a closing bracket. Only the value is the match. "tokens_used: 12", "author=bob" stay
/// (ordinary names); URLs are left to UrlDetector, which runs first.
{
public:
	explicit AssignmentDetector(const KeyMatcher& keys);

	PiiKind kind() const noexcept override { return PiiKind::Secret; }
	Gate gate() const noexcept override { return Gate{Chars::Query | Chars::Colon, 5, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

private:
	const KeyMatcher& _keys;
};

} // namespace PostHog

#endif // PostHog_AssignmentDetector_INCLUDED
