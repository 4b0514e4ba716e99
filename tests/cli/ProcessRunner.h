//
// ProcessRunner.h
//
// Runs a program of the build (posthog-send, the capture inspector) with pipes, for the CLI tests.
//

#ifndef PostHogTest_ProcessRunner_INCLUDED
#define PostHogTest_ProcessRunner_INCLUDED

#include "Poco/Process.h"
#include <map>
#include <string>
#include <vector>

namespace PostHogTest
{

class ProcessRunner
/// Launches a program with Poco::Process, feeds its standard input from a string and collects
/// standard output and error (each pipe drained by its own thread, so a large input or output
/// cannot deadlock).
{
public:
	struct Result
	{
		int exitCode = -1;
		std::string out;
		std::string err;
		std::string all() const { return out + err; }
	};

	static std::string binary(const std::string& name);
	/// $POSTHOG_BINARY_DIR/bin/<name> (ctest sets POSTHOG_BINARY_DIR).
	static std::string source(const std::string& relative);
	/// $POSTHOG_SOURCE_DIR/<relative>.

	static Result run(const std::string& program, const std::vector<std::string>& args,
	                  const std::string& input = "", const std::map<std::string, std::string>& env = {});
	/// The environment is this process's, with env's entries set. POSTHOG_API_KEY and
	/// POSTHOG_HOST are set to empty unless env gives them (the caller's shell cannot leak in).

	static Result send(const std::vector<std::string>& args, const std::string& input = "",
	                   const std::map<std::string, std::string>& env = {});
	/// run(binary("posthog-send"), ...).
};

} // namespace PostHogTest

#endif // PostHogTest_ProcessRunner_INCLUDED
