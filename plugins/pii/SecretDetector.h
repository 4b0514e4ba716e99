//
// SecretDetector.h
//

#ifndef PostHog_SecretDetector_INCLUDED
#define PostHog_SecretDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class SecretDetector : public Detector
/// Credentials with a recognisable shape, found at the start of a word:
///
///   Stripe        sk_live_ sk_test_ rk_live_ rk_test_ whsec_   + 16 or more letters/digits
///   OpenAI etc.   sk-                                          + 20 or more [A-Za-z0-9_-]
///                 with a digit and an upper-case letter (not kebab-case names: sk-loading-...)
///   GitHub        ghp_ gho_ ghs_ ghu_ ghr_ + 30 or more; github_pat_ + 40 or more
///   GitLab        glpat- + 20 or more
///   AWS           AKIA ASIA AGPA AIDA AROA ANPA ANVA AIPA + exactly 16 [A-Z0-9]
///   Google        AIza + 35 [A-Za-z0-9_-]
///   Slack         xoxb- xoxp- xoxa- xoxr- xoxs- xoxe- xapp- + 10 or more [A-Za-z0-9-]
///   npm           npm_ + 36;  PyPI pypi- + 50 or more;  Hugging Face hf_ + 30 or more
///   SendGrid      SG.<22>.<43>;  Shopify shpat_ shpss_ shpca_ shppa_ + 32 hex
///   DigitalOcean  dop_v1_ doo_v1_ + 64 hex
///   Bearer        "Bearer <token>" (any case): the token, 16 or more of [A-Za-z0-9-._~+/] then
///                 '=' padding, with a digit or both letter cases ("the bearer of this card"
///                 stays)
///   PEM           "-----BEGIN ... PRIVATE KEY-----" up to and including its END line (or
///                 the end of the string)
///
/// The match is the secret itself (for Bearer, the token after the word).
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Secret; }
	Gate gate() const noexcept override { return Gate{0, 16, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;
};

} // namespace PostHog

#endif // PostHog_SecretDetector_INCLUDED
