//
// JwtDetector.h
//

#ifndef PostHog_JwtDetector_INCLUDED
#define PostHog_JwtDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class JwtDetector : public Detector
/// JSON Web Tokens (JWS compact form): a base64url header that starts "eyJ" (the encoding of
/// '{"'), a '.', a base64url payload of at least 10 characters, a '.', and a signature (empty
/// for alg "none"). The whole token is the match.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Jwt; }
	Gate gate() const noexcept override { return Gate{Chars::Dot, 24, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;
};

} // namespace PostHog

#endif // PostHog_JwtDetector_INCLUDED
