//
// PiiMiddleware.h
//
// The built-in PII scrubbing stage (library PostHogPii).
//

#ifndef PostHog_PiiMiddleware_INCLUDED
#define PostHog_PiiMiddleware_INCLUDED

#include "PiiOptions.h"
#include "PiiRewriter.h"
#include "PiiScrubber.h"
#include "PostHog/Middleware.h"
#include <memory>

namespace PostHog
{

class PiiMiddleware : public Middleware
/// Scrubs personal data from property values, recursively through nested objects and arrays:
/// e-mail addresses, phone numbers, payment cards, US SSNs, IPv4/IPv6 addresses, IBANs, JWTs,
/// well-known secret formats, credentials and sensitive parameters in URLs (see each
/// *Detector class), and the whole value of sensitive key names (see KeyMatcher). Each kind
/// has its own mode: redact, hash (keyed HMAC-SHA256) or remove; an allow-list of keys is
/// left alone.
///
/// $-prefixed keys are PostHog's own: their names are never taken as sensitive (no $-key is
/// a credential), but their values are scanned like any other ($current_url and $referrer
/// get their query and credential scrubbing, $set/$set_once objects are descended into,
/// $ip is an IP address and is scrubbed unless allow-listed), except the machine-written
/// keys of the default allow-list ($lib, $lib_version, $insert_id, $session_id, $os_version,
/// ...), whose values cannot carry personal data and are skipped outright.
///
/// The event name and the distinct id are not scrubbed (the distinct id is the identity
/// PostHog joins on; hash it in the application if it is personal).
///
/// Fails closed: defaultOnError() is Drop, so a message that throws here (nesting deeper
/// than maxDepth) is dropped by the pipeline instead of sent unscrubbed.
///
/// Cost: one walk over the properties, and a detector scan only of the strings that their
/// TextProfile does not rule out (figures from tests/pii/PiiSpeed in docs/performance.md).
{
public:
	PiiMiddleware();
	~PiiMiddleware() override;

	std::string name() const override;
	const OptionTable& options() const override;
	void configure(const Poco::Util::AbstractConfiguration& config) override;
	/// Throws Poco::InvalidArgumentException (the pipeline names the stage) for a hash mode without hashKey
	/// or an unknown defaultRegion.
	Result process(Message& message) override;
	OnError defaultOnError() const override;

private:
	PiiOptions _options;
	std::unique_ptr<PiiScrubber> _scrubber;
	std::unique_ptr<PiiRewriter> _rewriter;
};

} // namespace PostHog

#endif // PostHog_PiiMiddleware_INCLUDED
