//
// SsnDetector.h
//

#ifndef PostHog_SsnDetector_INCLUDED
#define PostHog_SsnDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class SsnDetector : public Detector
/// US social security numbers written AAA-GG-SSSS or AAA GG SSSS (the same separator twice),
/// with the rules the SSA assigns by: area not 000, 666 or 900-999, group not 00, serial not
/// 0000. Nine bare digits are not taken for an SSN (too many other numbers have nine digits);
/// a bare SSN under a key such as "ssn" is caught by the sensitive-key rule instead.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Ssn; }
	Gate gate() const noexcept override { return Gate{Chars::Dash | Chars::Space, 11, 9}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;
};

} // namespace PostHog

#endif // PostHog_SsnDetector_INCLUDED
