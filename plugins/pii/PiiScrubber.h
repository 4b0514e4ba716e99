//
// PiiScrubber.h
//

#ifndef PostHog_PiiScrubber_INCLUDED
#define PostHog_PiiScrubber_INCLUDED

#include "Detector.h"
#include "Findings.h"
#include "HmacSha256.h"
#include "KeyMatcher.h"
#include "PiiOptions.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace PostHog
{

class PiiScrubber
/// Finds personal data in strings and says what to put in its place.
///
/// The detectors run in this priority order (an earlier one owns a span; later ones cannot
/// claim an overlapping one): url, jwt, secret, email, iban, card, phone, ssn, ip, assignment (kind secret:
/// what a sensitive name is assigned in text, unless a typed detector claimed it). Before any scanning, one
/// pass builds the string's TextProfile and each detector's worthScanning() refuses most strings outright (no
/// '@': no e-mail; fewer than 13 digits: no card ...).
///
/// Modes (PiiOptions::modes, per kind): Redact replaces the matched text with
/// "[REDACTED:<kind>]"; Hash with "<kind>:<64 hex>" = HMAC-SHA256(hashKey, normalised match),
/// where the normalisation makes the same datum hash alike in its usual spellings (e-mail
/// lower-cased; phone, card and SSN digits only; IBAN upper-case without spaces); Remove asks
/// the caller to remove the whole property. Off disables the detector.
///
/// Not thread-safe (scratch buffers and the HMAC engine are reused): one per stage.
{
public:
	enum class Verdict
	{
		Keep,    /// nothing found
		Replace, /// out holds the scrubbed text
		Remove   /// a finding's mode is Remove: drop the property
	};

	explicit PiiScrubber(const PiiOptions& options);
	/// Throws Poco::InvalidArgumentException for an unknown defaultRegion.
	~PiiScrubber();

	Verdict scrubText(std::string_view key, std::string_view text, std::string& out);
	/// Scrubs a string value found under key (the key only informs context rules; see
	/// ScanContext). On Replace, out is the text with every finding replaced.

	Verdict scrubInteger(std::int64_t value, std::string& out);
	/// A card number stored as a JSON integer (13-19 digits passing the card checks).

	Verdict scrubWhole(PiiKind kind, std::string_view raw, std::string& out);
	/// The whole value (raw: its text or JSON) is personal data of kind (a sensitive key).

	bool isSensitiveKey(std::string_view key) const noexcept;
	/// True when the key's name makes its value secret and keyMode is not off. Keys starting
	/// with '$' (PostHog's own) are never sensitive by name.

	void find(std::string_view key, std::string_view text, Findings& findings) const;
	/// Every finding of the enabled detectors (for tests and the fuzzer).

	PiiMode mode(PiiKind kind) const noexcept { return _options.modes[static_cast<std::size_t>(kind)]; }
	const PiiOptions& options() const noexcept { return _options; }

	std::size_t minLength() const noexcept { return _detectors.empty() ? SIZE_MAX : _minLength; }
	/// The shortest string any enabled detector reads (SIZE_MAX with every detector off).

private:
	void appendMask(PiiKind kind, std::string_view matched, std::string& out);

	PiiOptions _options;
	KeyMatcher _keys;
	std::vector<std::unique_ptr<Detector>> _detectors; // enabled ones, in priority order
	std::vector<Detector::Gate> _gates;                // _gates[i] of _detectors[i]
	std::size_t _minLength = 0;                        // the shortest string any detector reads
	std::unique_ptr<HmacSha256> _hmac;
	Findings _findings;
	std::string _scratch;
};

} // namespace PostHog

#endif // PostHog_PiiScrubber_INCLUDED
