//
// CardDetector.h
//

#ifndef PostHog_CardDetector_INCLUDED
#define PostHog_CardDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class CardDetector : public Detector
/// Payment card numbers: 13 to 19 digits, compact or in groups separated by single spaces or
/// dashes, that pass the Luhn check and start like a card of a real scheme: Visa 4, Mastercard
/// 51-55 and 2221-2720, Amex 34/37, Discover/UnionPay/Maestro 6, JCB/Diners 30/35/36/38,
/// Maestro 50/56-59. A run of more than 19 digits is not a card, nor one that continues with
/// letters or '.'. When a grouped run is longer (a card followed by its expiry or CVV, or
/// next to a phone number), windows of whole groups laid out like a card (4-4-4-4[-n], 4-6-5,
/// 4-6-4) are tried. 16-digit numbers failing Luhn, ms timestamps (they start with 1) and
/// order numbers stay.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Card; }
	Gate gate() const noexcept override { return Gate{0, 13, 13}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

	static bool isCardNumber(std::string_view digits) noexcept;
	/// True for 13-19 plain digits with a card scheme prefix that pass Luhn.
	static bool luhn(std::string_view digits) noexcept;
};

} // namespace PostHog

#endif // PostHog_CardDetector_INCLUDED
