//
// PiiKind.h
//
// The kinds of personal data the pii stage knows, and what it does with each.
//

#ifndef PostHog_PiiKind_INCLUDED
#define PostHog_PiiKind_INCLUDED

#include <cstddef>
#include <string>

namespace PostHog
{

enum class PiiKind : unsigned char
/// What a detector found. The name of each (kindName) is the word in the redaction marker
/// "[REDACTED:<name>]", the prefix of a hash "<name>:<hex>", and the stem of its mode option
/// "<name>Mode" (sensitiveKey -> keyMode).
{
	Email,
	Phone,
	Card,
	Ssn,
	Ip,
	Iban,
	Jwt,
	Secret,
	Url,
	SensitiveKey,
	Count
};

constexpr std::size_t piiKindCount = static_cast<std::size_t>(PiiKind::Count);

enum class PiiMode : unsigned char
/// What happens to a finding.
{
	Off,    /// the detector does not run
	Redact, /// the matched text becomes "[REDACTED:<kind>]"
	Hash,   /// the matched text becomes "<kind>:<hex HMAC-SHA256>" (keyed, stable, joinable)
	Remove  /// the whole property (or array element) holding it is removed
};

const char* kindName(PiiKind kind) noexcept;
/// "email", "phone", "card", "ssn", "ip", "iban", "jwt", "secret", "url", "sensitive_key".

const char* kindOption(PiiKind kind) noexcept;
/// The mode option of the kind: "emailMode" ... "urlMode", "keyMode".

PiiMode parseMode(const std::string& word);
/// "off", "redact", "hash" or "remove" (any case). Throws Poco::InvalidArgumentException.

struct Finding
/// One match: [begin, end) in the scanned text.
{
	PiiKind kind;
	std::size_t begin;
	std::size_t end;
};

} // namespace PostHog

#endif // PostHog_PiiKind_INCLUDED
