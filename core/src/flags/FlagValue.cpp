//
// FlagValue.cpp
//

#include "PostHog/FlagValue.h"
#include <utility>

namespace PostHog
{

FlagValue::FlagValue() noexcept : _state(State::None) {}

FlagValue::FlagValue(bool enabled) noexcept : _state(enabled ? State::True : State::False) {}

FlagValue::FlagValue(std::string variant)
    : _state(variant.empty() ? State::True : State::Variant), _variant(std::move(variant))
{
}

FlagValue::FlagValue(const char* variant) : FlagValue(std::string(variant ? variant : "")) {}

bool FlagValue::hasValue() const noexcept
{
	return _state != State::None;
}

bool FlagValue::isEnabled() const noexcept
{
	return _state == State::True || _state == State::Variant;
}

bool FlagValue::isVariant() const noexcept
{
	return _state == State::Variant;
}

const std::string& FlagValue::variant() const noexcept
{
	return _variant;
}

std::string FlagValue::toString() const
{
	switch (_state)
	{
	case State::True:
		return "true";
	case State::False:
		return "false";
	case State::Variant:
		return _variant;
	default:
		return std::string();
	}
}

bool FlagValue::operator==(const FlagValue& other) const noexcept
{
	return _state == other._state && _variant == other._variant;
}

} // namespace PostHog
