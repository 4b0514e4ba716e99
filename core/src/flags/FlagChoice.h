//
// FlagChoice.h
//
// A flag's value within one evaluation run, held without a copy of the variant's name.
//

#ifndef PostHog_Flags_FlagChoice_INCLUDED
#define PostHog_Flags_FlagChoice_INCLUDED

#include "PostHog/FlagValue.h"
#include <string>

namespace PostHog
{

class FlagChoice
/// None, false, true or a variant, as FlagValue, but the variant's name is a pointer into the
/// definitions (a condition's variant override, a variant's key, the holdout variant), which
/// outlive the run: choices are copied freely within a run and become a FlagValue only when
/// they leave it.
{
public:
	FlagChoice() noexcept = default;
	/// No value.

	explicit FlagChoice(bool enabled) noexcept : _state(enabled ? State::True : State::False) {}

	explicit FlagChoice(const std::string& variant) noexcept
	    : _state(variant.empty() ? State::True : State::Variant), _variant(&variant)
	/// The variant of that name, true for an empty name (as FlagValue(std::string)).
	{
	}

	bool hasValue() const noexcept { return _state != State::None; }
	bool isEnabled() const noexcept { return _state == State::True || _state == State::Variant; }
	bool isVariant() const noexcept { return _state == State::Variant; }

	const std::string& variant() const noexcept
	/// The variant's name; only for a variant.
	{
		return *_variant;
	}

	FlagValue value() const
	/// The choice as a FlagValue.
	{
		switch (_state)
		{
		case State::None:
			return FlagValue();
		case State::Variant:
			return FlagValue(*_variant);
		default:
			return FlagValue(_state == State::True);
		}
	}

	bool operator==(const FlagChoice& other) const noexcept
	{
		return _state == other._state && (_state != State::Variant || *_variant == *other._variant);
	}
	bool operator!=(const FlagChoice& other) const noexcept { return !(*this == other); }

private:
	enum class State : unsigned char
	{
		None,
		False,
		True,
		Variant
	};

	State _state = State::None;
	const std::string* _variant = nullptr;
};

} // namespace PostHog

#endif // PostHog_Flags_FlagChoice_INCLUDED
