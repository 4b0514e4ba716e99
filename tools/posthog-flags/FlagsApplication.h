//
// FlagsApplication.h
//
// posthog-flags: evaluates feature flags for NDJSON evaluation contexts.
//

#ifndef PostHogFlags_FlagsApplication_INCLUDED
#define PostHogFlags_FlagsApplication_INCLUDED

#include "ContextLine.h"
#include "ToolApplication.h"
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{
class Client;
}

namespace PostHogFlags
{

class FlagsApplication : public PostHog::ToolApplication
/// Reads one evaluation context a line (a file or standard input), evaluates the flags for it
/// through the posthog-cpp client (locally from the definitions, remotely for what cannot be
/// decided there unless --local-only) and writes one JSON line per input line, in order. It
/// only evaluates: no event is captured. --explain tells on stderr how each flag was decided;
/// --threads evaluates that many lines at once (blocks of lines, written in input order);
/// --bench-rounds evaluates the parsed input repeatedly and reports the throughput.
{
public:
	FlagsApplication();

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const ArgVec& args) override;

private:
	struct Evaluated
	/// One input line's output line, and the remote evaluation's error when it failed.
	{
		std::string json;
		std::string error;
	};

	void printHelp() const;
	void keepFirst(const std::string& error);
	int fail(const std::string& sentence) const;
	std::unique_ptr<PostHog::Client> makeClient(std::string& error);
	int evaluateStream(PostHog::Client& client, std::istream& in);
	int bench(PostHog::Client& client, std::istream& in);
	Evaluated evaluate(PostHog::Client& client, const ContextLine& line) const;
	/// The output line for one input line (a parse failure's too); never throws.
	void prepare(ContextLine& line) const;

	bool _help = false;
	bool _localOnly = false;
	bool _explain = false;
	int _benchRounds = 0;
	int _threads = 1;
	std::vector<std::string> _flagKeys;
	std::string _usageError;
};

} // namespace PostHogFlags

#endif // PostHogFlags_FlagsApplication_INCLUDED
