//
// ProgressLine.cpp
//

#include "ProgressLine.h"
#include "Poco/NumberFormatter.h"
#include <ostream>
#include <unistd.h>

namespace PostHogSend
{

ProgressLine::ProgressLine(std::ostream& out, bool enabled) : _out(out), _enabled(enabled) {}

bool ProgressLine::stderrIsTerminal()
{
	return ::isatty(STDERR_FILENO) == 1;
}

void ProgressLine::setTotal(Poco::UInt64 bytes)
{
	_total = bytes;
}

void ProgressLine::update(std::size_t lines, Poco::UInt64 bytes)
{
	if (!_enabled)
		return;
	Poco::Timestamp now;
	if (now - _start < 1000 * 1000 || now - _last < 250 * 1000)
		return;
	_last = now;
	std::string text = "posthog-send: " + std::to_string(lines) + " lines read (" +
	                   Poco::NumberFormatter::format(static_cast<double>(bytes) / 1e6, 1);
	if (_total)
		text += " of " + Poco::NumberFormatter::format(static_cast<double>(_total) / 1e6, 1) + " MB, " +
		        std::to_string(bytes * 100 / _total) + "%)";
	else
		text += " MB)";
	_out << "\r\x1b[K" << text << std::flush;
	_shown = true;
}

void ProgressLine::clear()
{
	if (_shown)
		_out << "\r\x1b[K" << std::flush;
	_shown = false;
}

} // namespace PostHogSend
