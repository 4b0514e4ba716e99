//
// EmailDetector.h
//

#ifndef PostHog_EmailDetector_INCLUDED
#define PostHog_EmailDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class EmailDetector : public Detector
/// E-mail addresses: local@domain.tld. Around every '@': a local part of letters, digits and
/// . _ % + - (an apostrophe only between letters: o'brien), and a domain of at least two
/// dot-separated labels ending in an alphabetic top-level label of 2-24 letters.
///
/// Not e-mail: a file extension as the top-level label (logo@2x.png, icon@3x.webp: png, jpg,
/// gif, svg, webp, pdf, js, css, json, ...), a numeric last label (lodash@4.17.21,
/// @angular/core@17.0.1), a single-label domain (user@localhost), a handle (@johndoe), an SSH
/// remote (git@github.com:org/repo.git: local part "git").
/// The '@' may be percent-encoded ("%40", as in ?email=jane%40example.com).
/// Skipped unless the string has an '@' or '%', and a '.'.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Email; }
	Gate gate() const noexcept override { return Gate{Chars::At | Chars::Percent, 6, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;
};

} // namespace PostHog

#endif // PostHog_EmailDetector_INCLUDED
