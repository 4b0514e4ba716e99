//
// IbanDetector.h
//

#ifndef PostHog_IbanDetector_INCLUDED
#define PostHog_IbanDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class IbanDetector : public Detector
/// International bank account numbers: a country code of the IBAN registry, two check digits
/// and the country's exact BBAN length, compact ("DE89370400440532013000") or in the printed
/// groups of four ("DE89 3704 0044 0532 0130 00"), in either case, whose ISO 7064 mod-97
/// check gives 1. A wrong length, a wrong check, or letters/digits continuing the run leave
/// it alone.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Iban; }
	Gate gate() const noexcept override { return Gate{Chars::Upper | Chars::Lower, 15, 4}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

	static unsigned ibanLength(char a, char b) noexcept;
	/// The IBAN length of the country with code ab (upper case), 0 for none.
	static bool mod97(const char* iban, unsigned length) noexcept;
	/// True when the (upper-case, compact) IBAN's check is valid.
};

} // namespace PostHog

#endif // PostHog_IbanDetector_INCLUDED
