//
// ScanContext.cpp
//

#include "ScanContext.h"
#include "KeyMatcher.h"

namespace PostHog
{

bool ScanContext::versionKey() const noexcept
{
	classify();
	return _version;
}

bool ScanContext::phoneKey() const noexcept
{
	classify();
	return _phone;
}

void ScanContext::classify() const noexcept
{
	if (_classified)
		return;
	_classified = true;
	KeyMatcher::Normalized n(_key);
	std::string_view s = n.text();
	auto contains = [&](std::string_view w) { return s.find(w) != std::string_view::npos; };
	auto endsWith = [&](std::string_view w)
	{ return s.size() >= w.size() && s.substr(s.size() - w.size()) == w; };
	_version = contains("version") || contains("build") || contains("release") || endsWith("ver");
	_phone = contains("phone") || contains("mobile") || contains("msisdn") || s == "tel" || s == "cell" ||
	         s == "fax" || n.lastWord() == "tel" || n.lastWord() == "cell" || n.lastWord() == "fax";
}

} // namespace PostHog
