//
// PhoneDetector.h
//

#ifndef PostHog_PhoneDetector_INCLUDED
#define PostHog_PhoneDetector_INCLUDED

#include "Detector.h"
#include <string>

namespace PostHog
{

class PhoneDetector : public Detector
/// Phone numbers.
///
/// International forms of every country: '+' (or the international prefix "00") followed by
/// an assigned ITU country code and the national number, with single spaces, dashes, dots or
/// parentheses between digit groups ("+44 20 7946 0958", "+49-30-1234567", "+33 1.23.45.67.89",
/// "+44 (0)20 7946 0958", "0044 20 7946 0958", E.164 "+14155552671"). 8 to 15 digits in all
/// (16 with a "(0)" trunk digit); +1 and +7 numbers must have exactly 11 and a NANP number after
/// +1 must have a valid area code and exchange.
///
/// National forms of the default region. US and the other NANP regions (CA, PR, ...):
/// (415) 555-2671, 415-555-2671, 415.555.2671, 415 555 2671, 1-415-555-2671, with the area
/// code and exchange starting 2-9. Other regions (GB, DE, FR, NL, BE, CH, AT, IT, SE, AU, NZ,
/// JP, IN, IE, ZA): numbers written with the trunk prefix 0 and the region's national length,
/// with at least one separator ("020 7946 0958", "01 23 45 67 89", "0412 345 678"); national
/// numbers without a trunk 0 (Italian mobiles, say) are found only in their international form. A bare run of
/// digits counts only as the whole value of a phone-like key (phone, mobile, tel, ... see ScanContext):
/// "4155552671" in an order id stays.
///
/// Not phones: timestamps and dates (separators ':' 'T' and 4-2-2 groups do not fit), "+12.5%",
/// "+100 points" (too few digits), ISBNs and zip+4 codes (wrong grouping).
{
public:
	explicit PhoneDetector(const std::string& region = "US");
	/// Throws Poco::InvalidArgumentException for a region it has no national rule for.

	PiiKind kind() const noexcept override { return PiiKind::Phone; }
	Gate gate() const noexcept override { return Gate{0, 8, 8}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

	static std::string supportedRegions();
	/// "US, CA, ..." for error messages and documentation.

	static bool validCountryCode(std::string_view digits, std::size_t& length) noexcept;
	/// True when digits starts with an assigned ITU country code; its length (1-3) in length.

private:
	bool scanInternational(std::string_view s, std::size_t i, Findings& findings, std::size_t& next) const;
	bool scanNanp(std::string_view s, std::size_t i, Findings& findings, std::size_t& next) const;
	bool scanTrunk(std::string_view s, std::size_t i, const ScanContext& context, Findings& findings,
	               std::size_t& next) const;
	void scanBare(std::string_view s, Findings& findings) const;

	bool _nanp = true;
	unsigned _minDigits = 10; /// national length with the trunk 0 (non-NANP regions)
	unsigned _maxDigits = 10;
};

} // namespace PostHog

#endif // PostHog_PhoneDetector_INCLUDED
