//
// SendApplication.h
//
// posthog-send: sends NDJSON messages through the configured pipeline to PostHog.
//

#ifndef PostHogSend_SendApplication_INCLUDED
#define PostHogSend_SendApplication_INCLUDED

#include "NdjsonReader.h"
#include "Poco/Mutex.h"
#include "PostHog/ClientError.h"
#include "SendOptions.h"
#include "ToolApplication.h"
#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{
class Client;
}

namespace PostHogSend
{

class ProgressLine;
class ExplainObserver;

class SendApplication : public PostHog::ToolApplication
/// posthog-send [--config FILE] [--api-key KEY] [--host URL] [--define|-D key=value]...
///              [--dry-run] [--explain] [--list-plugins] [--version] [--help] [FILE...]
///
/// Reads NDJSON messages (see PostHog::NdjsonReader) from the FILEs, or standard input when
/// none is given ("-" also names standard input), and sends them with a PostHog::Client built
/// from the configuration: --config FILE (.xml, .properties, .ini or .json), overridden by
/// --api-key, --host and -D; POSTHOG_API_KEY and POSTHOG_HOST apply when neither sets the key
/// or the host. posthog.queue.overflow defaults to block here (a sender should wait, not drop).
///
/// Exit status (ToolApplication::exitCode() maps Poco's): 0 when every message was delivered or
/// dropped on purpose by a stage (sampling); 1 when a line was malformed or rejected as invalid
/// (by the Client or by a validation stage) or a message could not be delivered; 2 for a usage
/// or configuration error, told in one sentence.
{
public:
	SendApplication();

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const ArgVec& args) override;

private:
	struct Counts
	{
		std::size_t read = 0;      /// non-blank lines
		std::size_t malformed = 0; /// refused by the reader
		std::size_t rejected = 0;  /// refused by the Client (empty id, bad uuid, ...)
	};

	void printVersion() const;
	int listPlugins();
	int send(const std::vector<std::string>& inputs);
	std::unique_ptr<ExplainObserver> watch(PostHog::Client& client);
	/// The observer that explains every stage (--explain), or else reports what a validation
	/// stage drops with the line it came from; null when neither applies.
	void readInputs(const std::vector<std::string>& inputs, PostHog::Client& client,
	                const PostHog::NdjsonReader& reader, ExplainObserver* explain, bool enabled);
	void readInput(std::istream& in, const std::string& prefix, PostHog::Client& client,
	               const PostHog::NdjsonReader& reader, ExplainObserver* explain, bool send);
	void onClientError(const PostHog::ClientError& error);
	void printError(const std::string& text);

	SendOptions _flags;
	Counts _counts;
	std::string _location;     // the line being sent (reader thread)
	bool _rejectedNow = false; // set by onClientError for the current call
	std::unique_ptr<ProgressLine> _progress;
	Poco::UInt64 _bytes = 0;
	Poco::FastMutex _stderrMutex;
};

} // namespace PostHogSend

#endif // PostHogSend_SendApplication_INCLUDED
