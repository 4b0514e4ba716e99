//
// ProgressLine.h
//
// A progress line on standard error while posthog-send reads a large input.
//

#ifndef PostHogSend_ProgressLine_INCLUDED
#define PostHogSend_ProgressLine_INCLUDED

#include "Poco/Timestamp.h"
#include "Poco/Types.h"
#include <cstddef>
#include <iosfwd>

namespace PostHogSend
{

class ProgressLine
/// Rewrites one line ("posthog-send: 120000 lines read (45.2 of 100.0 MB, 45%)") in place
/// with '\r', at most four times a second, starting once reading has taken a second (a small
/// input shows nothing). Only when enabled, which posthog-send sets when standard error is a
/// terminal: a log file or a pipe never gets '\r' lines.
{
public:
	ProgressLine(std::ostream& out, bool enabled);

	static bool stderrIsTerminal();

	void setTotal(Poco::UInt64 bytes);
	/// The size of the whole input when known (files; 0 for a pipe).

	void update(std::size_t lines, Poco::UInt64 bytes);
	/// Looks at the clock (posthog-send calls it once every 256 lines). Not thread-safe: the
	/// caller serialises it with everything else written to the same stream.

	void clear();
	/// Erases the line (before the summary or an error message is printed).

private:
	std::ostream& _out;
	bool _enabled;
	bool _shown = false;
	Poco::UInt64 _total = 0;
	Poco::Timestamp _start;
	Poco::Timestamp _last;
};

} // namespace PostHogSend

#endif // PostHogSend_ProgressLine_INCLUDED
