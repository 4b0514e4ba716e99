//
// Explain.cpp
//

#include "flags/Explain.h"
#include <utility>

namespace PostHog
{

Explain::~Explain() = default;

void ExplainLines::line(const std::string& flagKey, const std::string& text)
{
	_lines.push_back(flagKey + ": " + text);
}

ExplainFunction::ExplainFunction(std::function<void(const std::string&, const std::string&)> function)
    : _function(std::move(function))
{
}

void ExplainFunction::line(const std::string& flagKey, const std::string& text)
{
	if (_function)
		_function(flagKey, text);
}

} // namespace PostHog
