//
// Semver.h
//
// Versions as the semver_* flag operators read them.
//

#ifndef PostHog_Flags_Semver_INCLUDED
#define PostHog_Flags_Semver_INCLUDED

#include <string_view>

namespace PostHog
{

struct Semver
/// A major.minor.patch triple as the flags service reads it: surrounding whitespace and a
/// leading v dropped, -prerelease and +build dropped, a missing minor or patch is 0, parts after
/// the third ignored, digits only and no leading zeros. Parts are doubles because the SDKs read
/// them as JavaScript numbers.
{
	double part[3] = {0, 0, 0};

	static bool parse(std::string_view text, Semver& out) noexcept;
	/// False when text is not a version.

	static bool tildeBounds(std::string_view text, Semver& lower, Semver& upper) noexcept;
	/// ~1.2.3 is [1.2.3, 1.3.0).

	static bool caretBounds(std::string_view text, Semver& lower, Semver& upper) noexcept;
	/// ^1.2.3 is [1.2.3, 2.0.0), ^0.2.3 is [0.2.3, 0.3.0), ^0.0.3 is [0.0.3, 0.0.4).

	static bool wildcardBounds(std::string_view text, Semver& lower, Semver& upper) noexcept;
	/// 1.* is [1.0.0, 2.0.0), 1.2.* is [1.2.0, 1.3.0).

	int compare(const Semver& other) const noexcept;
	/// -1, 0 or 1.
};

} // namespace PostHog

#endif // PostHog_Flags_Semver_INCLUDED
