//
// Detector.h
//
// The interface of one kind of personal-data detector.
//

#ifndef PostHog_Detector_INCLUDED
#define PostHog_Detector_INCLUDED

#include "Findings.h"
#include "PiiKind.h"
#include "ScanContext.h"
#include "TextProfile.h"
#include <string_view>

namespace PostHog
{

class Detector
/// Finds one kind of personal data in a string with a hand-written scanner (no regular
/// expressions: one PCRE match per pattern per string costs more than a whole hand-written scan).
/// The scrubber first asks worthScanning() with the string's TextProfile; most strings are
/// refused there in a few nanoseconds, and scan() runs only on the rest.
{
public:
	virtual ~Detector();

	struct Gate
	/// The cheapest pre-check, as data the scrubber tests inline before any virtual call: the
	/// string must be at least minLength bytes, hold at least minDigits digits, and (unless
	/// anyOf is 0) contain a byte of one of the classes in anyOf.
	{
		std::uint16_t anyOf = 0;
		std::uint32_t minLength = 0;
		std::uint32_t minDigits = 0;

		bool passes(const TextProfile& p) const noexcept
		{
			return p.length >= minLength && p.digits >= minDigits && (anyOf == 0 || (p.classes & anyOf) != 0);
		}
	};

	virtual PiiKind kind() const noexcept = 0;

	virtual Gate gate() const noexcept = 0;
	/// Asked once, when the scrubber is built.

	virtual bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept = 0;
	/// Asked when the gate passes: false when the string cannot hold a match (no '@' for an
	/// e-mail, too few digits for a card...). Must never be false for a string scan() would
	/// match.

	virtual void scan(std::string_view text, const ScanContext& context, Findings& findings) const = 0;
	/// Adds every match in text to findings (overlaps with earlier detectors are ignored).
};

} // namespace PostHog

#endif // PostHog_Detector_INCLUDED
