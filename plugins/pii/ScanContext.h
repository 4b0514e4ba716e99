//
// ScanContext.h
//
// What the detectors may know about where a string came from: its property key.
//

#ifndef PostHog_ScanContext_INCLUDED
#define PostHog_ScanContext_INCLUDED

#include <string_view>

namespace PostHog
{
struct TextProfile;
}

namespace PostHog
{

class ScanContext
/// The key a string value sits under, and two facts about it that a few detectors use to
/// resolve ambiguous shapes (computed lazily: most strings never ask); and the string's
/// TextProfile, when the scrubber has built it.
///
///   versionKey: the normalised key contains "version", "build" or "release", or ends in "ver"
///               ("app_version", "$lib_version", "osVersion", "build_number"): a dotted quad
///               under such a key is a version, not an IPv4 address.
///   phoneKey:   the normalised key contains "phone", "mobile", "msisdn", or is "tel", "cell",
///               "fax" or ends in "tel"/"cell" after a separator ("home_tel"): a bare run of
///               digits that is a valid national number is then a phone number.
{
public:
	explicit ScanContext(std::string_view key = std::string_view()) noexcept : _key(key) {}

	std::string_view key() const noexcept { return _key; }
	const TextProfile* profile() const noexcept { return _profile; }
	void setProfile(const TextProfile* profile) noexcept { _profile = profile; }
	bool versionKey() const noexcept;
	bool phoneKey() const noexcept;

private:
	void classify() const noexcept;

	std::string_view _key;
	const TextProfile* _profile = nullptr;
	mutable bool _classified = false;
	mutable bool _version = false;
	mutable bool _phone = false;
};

} // namespace PostHog

#endif // PostHog_ScanContext_INCLUDED
