//
// ReasonText.cpp
//

#include "ReasonText.h"

namespace PostHog
{

namespace ReasonText
{

std::string quote(std::string_view s)
{
	if (s.size() <= kQuoteLimit)
		return "'" + std::string(s) + "'";
	std::size_t cut = kQuoteLimit;
	while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
		--cut;
	return "'" + std::string(s.substr(0, cut)) + "...'";
}

const char* describe(const Value& v) noexcept
{
	switch (v.type())
	{
	case Value::NullType:
		return "null";
	case Value::BoolType:
		return "a bool";
	case Value::IntType:
		return "an int";
	case Value::DoubleType:
		return "a number";
	case Value::StringType:
		return "a string";
	case Value::ArrayType:
		return "an array";
	case Value::ObjectType:
		return "an object";
	}
	return "a value";
}

} // namespace ReasonText

} // namespace PostHog
