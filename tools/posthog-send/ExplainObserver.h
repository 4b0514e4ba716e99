//
// ExplainObserver.h
//
// posthog-send --explain: what each pipeline stage did to each message.
//

#ifndef PostHogSend_ExplainObserver_INCLUDED
#define PostHogSend_ExplainObserver_INCLUDED

#include "Poco/Mutex.h"
#include "PostHog/Pipeline.h"
#include "PostHog/Properties.h"
#include <deque>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

namespace PostHogSend
{

class ExplainObserver : public PostHog::Pipeline::Observer
/// Prints, per message, one line per stage: passed unchanged, changed (with the difference of
/// the properties, nested objects key by key), dropped (with the reason) or threw:
///
///     line 3: capture 'movie played' for 'user-42'
///       validation   passed, unchanged
///       enrichment   changed: + $os = "linux"; ~ plan: "pro" -> "team"
///       pii          changed: ~ $set.email: "ada@example.com" -> "[redacted]"
///       sampling     dropped: not sampled (rate 0.5)
///
/// Messages are matched to their input lines by order: the worker takes messages from the
/// queue in the order they were accepted, so the caller announces each line with expect()
/// before the Client call and withdraws it with cancel() when the Client rejected it.
/// stageDone() runs on the worker thread; expect()/cancel() on the reading thread.
///
/// Without --explain, posthog-send installs it quiet: it prints nothing but the messages a
/// validation stage drops (input the user must fix), through reportInvalid, with their line.
{
public:
	using Report = std::function<void(const std::string&)>;

	ExplainObserver(std::ostream& out, std::vector<std::string> stages, std::set<std::string> validating,
	                std::string hiddenStage, bool dryRun, bool explain, Report reportInvalid);
	/// stages: the chain's stage names in order; validating: the stages whose drops are invalid
	/// input (reported through reportInvalid when not explaining).

	void expect(const std::string& location);
	void cancel();

	void stageDone(const std::string& stage, const PostHog::Message& before, const PostHog::Message& after,
	               const PostHog::Middleware::Result& result, const std::string& error) override;

	static std::vector<std::string> diff(const PostHog::Message& before, const PostHog::Message& after);
	/// The changes from before to after, one entry each: "+ key = json", "- key", "~ key: old -> new"
	/// (nested object keys as a.b), and changes of the event name, distinct id, timestamp, uuid.

private:
	void beginMessage(const PostHog::Message& message);
	/// Takes the next expected location and, when explaining, prints the message's head line.

	static std::string outcomeText(const PostHog::Message& before, const PostHog::Message& after,
	                               const PostHog::Middleware::Result& result, const std::string& error);
	/// What a stage did: threw, dropped, passed unchanged, or the changes it made.

	std::ostream& _out;
	std::vector<std::string> _stages; // visible stages, in order
	std::string _hidden;
	std::set<std::string> _validating;
	bool _dryRun;
	bool _explain;
	Report _reportInvalid;
	std::string _current; // worker thread: the location of the message in the stages
	std::size_t _width = 0;
	Poco::FastMutex _mutex;
	std::deque<std::string> _locations;
};

} // namespace PostHogSend

#endif // PostHogSend_ExplainObserver_INCLUDED
