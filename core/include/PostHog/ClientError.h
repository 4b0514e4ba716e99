//
// ClientError.h
//
// What the error callback receives.
//

#ifndef PostHog_ClientError_INCLUDED
#define PostHog_ClientError_INCLUDED

#include "PostHog/PostHog.h"
#include <cstddef>
#include <functional>
#include <string>

namespace PostHog
{

struct PostHog_API ClientError
/// One report to the error callback. Every message the client does not deliver is either
/// dropped by a pipeline stage (counted per stage) or reported here, so the sum of `events`
/// over all reports plus the stage drops is exactly what was lost.
{
	enum Kind
	{
		InvalidInput,   /// a call was rejected (no distinct id, empty event name, ...); events = 1
		QueueFull,      /// messages dropped because the queue was full (aggregated per report)
		TooLarge,       /// a message over the 1 MB event limit; events = 1
		DeliveryFailed, /// a batch failed finally (non-retryable status, retries exhausted)
		Shutdown,       /// messages still queued or retrying when shutdown() gave up
		StageError,     /// a middleware stage threw (the message followed its on-error policy)
		Warning         /// anything else worth telling (events = 0)
	};

	Kind kind = Warning;
	std::string message; /// one sentence; never contains the API key
	int httpStatus = 0;  /// the last HTTP status for DeliveryFailed, 0 for network errors
	std::size_t events = 0;

	static const char* kindName(Kind kind) noexcept;
};

using ErrorCallback = std::function<void(const ClientError&)>;
/// Called from the worker, a sender thread or (for InvalidInput) the caller's thread. Keep it
/// short and thread-safe; exceptions it throws are caught and logged.

} // namespace PostHog

#endif // PostHog_ClientError_INCLUDED
