//
// AiRoute.h
//
// The isolated delivery route of AI events ($ai_generation, $ai_trace, ...).
//

#ifndef PostHog_AiRoute_INCLUDED
#define PostHog_AiRoute_INCLUDED

#include "PostHog/ClientOptions.h"
#include "PostHog/ClientStatistics.h"
#include "PostHog/Message.h"
#include "client/Reporter.h"
#include "logs/RecordQueue.h"
#include <memory>
#include <string>

namespace PostHog
{

class AiRoute
/// What Client::captureAi() queues on: its own RecordQueue posting the /batch/ wire shape
/// ({"api_key":...,"batch":[events]}) to {host}/i/v0/ai/batch/, which takes events up to
/// kMaxEventBytes (larger than analytics capture's 1 MB). An event is serialised once, when it
/// is captured, so that retries resend exactly the same envelope (uuid, timestamp, distinct id,
/// event) and an oversized event is refused at the call, logging its name and size only. Null
/// values of objects are left out (array elements keep their place). No thread starts before
/// the first event.
{
public:
	static constexpr std::size_t kMaxEventBytes = 8 * 1024 * 1024;

	AiRoute(const ClientOptions& options, const Reporter& reporter);

	bool capture(const Message& message);
	/// Serialises and queues the event; false (counted as dropped) when it is too large or the
	/// route has shut down.

	bool flush(Poco::Timespan timeout) { return _queue->flush(timeout); }
	bool shutdown(Poco::Timespan timeout) { return _queue->shutdown(timeout); }
	RouteStatistics statistics() const { return _queue->statistics(); }

	static Properties withoutNulls(const Properties& properties);
	/// properties with every null-valued key of every object (nested ones and those in arrays)
	/// removed; null array elements stay.

private:
	const ClientOptions& _options;
	const Reporter& _reporter;
	std::unique_ptr<RecordQueue> _queue;
};

} // namespace PostHog

#endif // PostHog_AiRoute_INCLUDED
