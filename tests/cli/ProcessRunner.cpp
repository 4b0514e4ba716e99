//
// ProcessRunner.cpp
//

#include "ProcessRunner.h"
#include "Poco/Environment.h"
#include "Poco/Exception.h"
#include "Poco/Pipe.h"
#include "Poco/PipeStream.h"
#include "Poco/StreamCopier.h"
#include <csignal>
#include <thread>

namespace PostHogTest
{

std::string ProcessRunner::binary(const std::string& name)
{
	return Poco::Environment::get("POSTHOG_BINARY_DIR") + "/bin/" + name;
}

std::string ProcessRunner::source(const std::string& relative)
{
	return Poco::Environment::get("POSTHOG_SOURCE_DIR") + "/" + relative;
}

ProcessRunner::Result ProcessRunner::run(const std::string& program, const std::vector<std::string>& args,
                                         const std::string& input,
                                         const std::map<std::string, std::string>& env)
{
	// A program that exits before reading all its input must not kill the test with SIGPIPE.
	std::signal(SIGPIPE, SIG_IGN);
	Poco::Process::Env environment;
	environment["POSTHOG_API_KEY"] = "";
	environment["POSTHOG_HOST"] = "";
	for (const auto& kv : env)
		environment[kv.first] = kv.second;
	Poco::Pipe in, out, err;
	Poco::ProcessHandle handle = Poco::Process::launch(program, Poco::Process::Args(args.begin(), args.end()),
	                                                   &in, &out, &err, environment);
	Result result;
	std::thread writer(
	    [&]
	    {
		    try
		    {
			    Poco::PipeOutputStream stream(in);
			    stream.write(input.data(), static_cast<std::streamsize>(input.size()));
			    stream.close();
		    }
		    catch (Poco::Exception&)
		    {
			    in.close(); // the program stopped reading; what it did with the rest is the test's concern
		    }
	    });
	std::thread errors(
	    [&]
	    {
		    Poco::PipeInputStream stream(err);
		    Poco::StreamCopier::copyToString(stream, result.err);
	    });
	Poco::PipeInputStream stream(out);
	Poco::StreamCopier::copyToString(stream, result.out);
	errors.join();
	writer.join();
	result.exitCode = handle.wait();
	return result;
}

ProcessRunner::Result ProcessRunner::send(const std::vector<std::string>& args, const std::string& input,
                                          const std::map<std::string, std::string>& env)
{
	return run(binary("posthog-send"), args, input, env);
}

} // namespace PostHogTest
