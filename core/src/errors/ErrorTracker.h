//
// ErrorTracker.h
//
// A client's error tracking: the rate limit, autocapture hooks and the crash records of earlier runs.
//

#ifndef PostHog_ErrorTracker_INCLUDED
#define PostHog_ErrorTracker_INCLUDED

#include "Poco/Mutex.h"
#include "Poco/Timestamp.h"
#include "PostHog/ClientOptions.h"
#include <exception>
#include <map>
#include <string>
#include <vector>

namespace PostHog
{

class Client;

class ErrorTracker
/// Owned by a client. allow() applies posthog.exceptions.rateLimit (per exception type, per
/// minute). With posthog.exceptions.autocapture the constructor installs the CrashHandler hooks
/// and makes this client their target, then queues every crash record found in the crash
/// directory as a fatal $exception (mechanism "signal", the crash's own time, a uuid derived
/// from the record). A record is deleted once a flush or shutdown reports it delivered; a start
/// that could not deliver it (the process crashed again first, PostHog unreachable) leaves it
/// for the next start, which sends the same event again under the same uuid. A record that
/// cannot be read is deleted at once.
{
public:
	ErrorTracker(Client& client, const ClientOptions& options);
	~ErrorTracker();

	ErrorTracker(const ErrorTracker&) = delete;
	ErrorTracker& operator=(const ErrorTracker&) = delete;

	bool allow(const std::string& type);
	/// False when type has had rateLimit events in the last minute.

	void captureTerminate(std::exception_ptr exception);
	/// For std::terminate: captures as fatal and unhandled, then flushes for up to two seconds.
	void captureEscaped(const std::exception& exception);
	/// For Poco::ErrorHandler: an exception that escaped a thread.

	int sendPendingCrashes();
	/// Queues the crash records in the crash directory; returns how many were queued.

	void delivered();
	/// Everything queued so far was delivered: deletes the records sent by sendPendingCrashes().

	const std::string& crashDir() const noexcept { return _crashDir; }

private:
	static void removeRecord(const std::string& file);

	Client& _client;
	std::string _crashDir;
	int _rateLimit;
	bool _autocapture;
	Poco::FastMutex _mutex;
	std::map<std::string, std::pair<Poco::Timestamp, int>> _windows;
	std::vector<std::string> _unconfirmed;
};

} // namespace PostHog

#endif // PostHog_ErrorTracker_INCLUDED
