//
// LogRateCap.cpp
//

#include "logs/LogRateCap.h"

namespace PostHog
{

LogRateCap::LogRateCap(std::size_t maxLogs, Poco::Timespan window) : _maxLogs(maxLogs), _window(window) {}

LogRateCap::Verdict LogRateCap::admit(const Poco::Timestamp& now)
{
	if (_maxLogs == 0 || _window.totalMicroseconds() <= 0)
		return Verdict::Admit;
	Poco::FastMutex::ScopedLock lock(_mutex);
	if (now < _windowStart || now - _windowStart >= _window.totalMicroseconds())
	{
		_windowStart = now;
		_count = 0;
		_warned = false;
	}
	if (_count < _maxLogs)
	{
		++_count;
		return Verdict::Admit;
	}
	if (_warned)
		return Verdict::Drop;
	_warned = true;
	return Verdict::DropFirstInWindow;
}

} // namespace PostHog
