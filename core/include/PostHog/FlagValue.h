//
// FlagValue.h
//
// The value of a feature flag for one person or group: none, true, false or a variant name.
//

#ifndef PostHog_FlagValue_INCLUDED
#define PostHog_FlagValue_INCLUDED

#include "PostHog/PostHog.h"
#include <string>

namespace PostHog
{

class PostHog_API FlagValue
/// What a feature flag evaluates to. A flag without a value (not defined, or not decidable and
/// no remote answer) is distinct from a flag that is off; a multivariate flag that is on carries
/// the name of its variant:
///
///     FlagValue value = client.getFeatureFlag("new-checkout", "user-1");
///     if (value.isVariant() && value.variant() == "test") ...
///     else if (value.isEnabled()) ...
{
public:
	FlagValue() noexcept;
	/// No value.

	FlagValue(bool enabled) noexcept;
	/// true or false.

	FlagValue(std::string variant);
	/// A variant of a multivariate flag (the flag is on). An empty name means true.

	FlagValue(const char* variant);
	/// A variant of a multivariate flag, as above.

	bool hasValue() const noexcept;
	/// True unless this is the "no value" state.

	bool isEnabled() const noexcept;
	/// True for true and for any variant.

	bool isVariant() const noexcept;
	/// True when the flag is on with a named variant.

	const std::string& variant() const noexcept;
	/// The variant name; empty unless isVariant().

	std::string toString() const;
	/// "true", "false", the variant name, or "" for no value.

	bool operator==(const FlagValue& other) const noexcept;
	bool operator!=(const FlagValue& other) const noexcept { return !(*this == other); }

private:
	enum class State : unsigned char
	{
		None,
		False,
		True,
		Variant
	};

	State _state;
	std::string _variant;
};

} // namespace PostHog

#endif // PostHog_FlagValue_INCLUDED
