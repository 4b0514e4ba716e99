//
// UrlDetector.h
//

#ifndef PostHog_UrlDetector_INCLUDED
#define PostHog_UrlDetector_INCLUDED

#include "Detector.h"
#include "KeyMatcher.h"

namespace PostHog
{

class UrlDetector : public Detector
/// Credentials and sensitive parameters inside URLs; only the secret part is the match, the
/// URL around it stays readable:
///
///   https://alice:s3cr3t@db.example.com/x   -> the password after "alice:"
///   https://x.com/cb?token=abc&lang=en      -> "abc"
///   https://x.com/cb#access_token=abc       -> "abc" (OAuth implicit flow fragments)
///   /reset?token=abc                        -> "abc" (a relative URL that starts with '/')
///
/// A parameter is sensitive when its name is a sensitive key (KeyMatcher: token,
/// access_token, api_key, apiKey, password, secret, client_secret, auth, ...) or one of the
/// URL-only names: sig, signature, X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token,
/// key (exact), pass, passwd, pwd, sessionid, code (exact: OAuth authorisation codes).
/// "?tokens=3", "?author=bob", "?keyboard=us" stay.
{
public:
	explicit UrlDetector(const KeyMatcher& keys);
	/// keys: the sensitive key names (with the user's additions); URL-only names are added to a
	/// copy.

	PiiKind kind() const noexcept override { return PiiKind::Url; }
	Gate gate() const noexcept override { return Gate{Chars::Slash, 4, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

private:
	void scanParameters(std::string_view s, std::size_t begin, std::size_t end, Findings& findings) const;
	void scanUrl(std::string_view s, std::size_t begin, std::size_t end, std::size_t authority,
	             Findings& findings) const;

	KeyMatcher _params;
};

} // namespace PostHog

#endif // PostHog_UrlDetector_INCLUDED
