//
// LogRateCap.h
//
// The tumbling-window cap on log records.
//

#ifndef PostHog_LogRateCap_INCLUDED
#define PostHog_LogRateCap_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Timespan.h"
#include "Poco/Timestamp.h"
#include <cstddef>

namespace PostHog
{

class LogRateCap
/// Admits at most maxLogs records per window; the window restarts when it has passed or when
/// the clock went backwards. A cap of 0 or a window of 0 admits everything. Thread-safe.
{
public:
	enum class Verdict
	{
		Admit,
		Drop,             /// over the cap
		DropFirstInWindow /// over the cap, and the first drop of this window (warn once)
	};

	LogRateCap(std::size_t maxLogs, Poco::Timespan window);

	Verdict admit(const Poco::Timestamp& now = Poco::Timestamp());

private:
	const std::size_t _maxLogs;
	const Poco::Timespan _window;
	Poco::FastMutex _mutex;
	Poco::Timestamp _windowStart;
	std::size_t _count = 0;
	bool _warned = false;
};

} // namespace PostHog

#endif // PostHog_LogRateCap_INCLUDED
