//
// IpDetector.h
//

#ifndef PostHog_IpDetector_INCLUDED
#define PostHog_IpDetector_INCLUDED

#include "Detector.h"

namespace PostHog
{

class IpDetector : public Detector
/// IPv4 and IPv6 addresses.
///
/// IPv4: four decimal octets 0-255 without leading zeros, not part of a longer dotted run
/// (1.3.6.1.4.1 is an OID, 1.2.3.4.5 a version), not preceded by a letter (v1.2.3.4) and not
/// under a version-like key (app_version, $lib_version, build...; see ScanContext): there a
/// dotted quad is a version; nor after "<product>/" (Chrome/120.0.0.0 in a user agent; a URL
/// host after "//" still counts). A port (":8080") or a CIDR suffix may follow.
///
/// IPv6: hexadecimal groups separated by ':' with at most one "::", 8 groups or fewer with
/// "::", an optional dotted IPv4 tail (::ffff:192.0.2.1) counting as two groups, an optional
/// zone (%eth0, left in place), in brackets or not ([2001:db8::1]:443). A compressed form with
/// two groups or fewer must start with "::" or with a group of 3-4 digits (fe80::1, ::1), so
/// that ab::cd, std::string, 12:30:45 and MAC addresses (6 groups, no "::") stay.
{
public:
	PiiKind kind() const noexcept override { return PiiKind::Ip; }
	Gate gate() const noexcept override { return Gate{Chars::Colon | Chars::Dot, 3, 0}; }
	bool worthScanning(const TextProfile& profile, const ScanContext& context) const noexcept override;
	void scan(std::string_view text, const ScanContext& context, Findings& findings) const override;

	static bool parseIpv4(std::string_view s, std::size_t i, std::size_t& end) noexcept;
	/// Four octets from s[i]; end is after the last digit.
	static bool isIpv6(std::string_view candidate) noexcept;
};

} // namespace PostHog

#endif // PostHog_IpDetector_INCLUDED
