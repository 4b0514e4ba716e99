//
// InspectorApplication.cpp
//

#include "InspectorApplication.h"
#include "BatchHandler.h"
#include "CaptureTally.h"
#include "Poco/FileStream.h"
#include "Poco/Net/HTTPServer.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/NumberParser.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/Option.h"
#include "Poco/Util/OptionException.h"
#include "Poco/Util/OptionSet.h"
#include <csignal>
#include <ctime>
#include <iostream>

using Poco::Util::Option;

namespace PostHogInspector
{

InspectorApplication::InspectorApplication()
{
	setUnixOptions(true);
}

void InspectorApplication::defineOptions(Poco::Util::OptionSet& options)
{
	Poco::Util::Application::defineOptions(options);
	options.addOption(Option("help", "h", "print this help and exit"));
	options.addOption(
	    Option("port", "p", "port to listen on, on 127.0.0.1 (default 0: a free port)").argument("N"));
	options.addOption(Option("port-file", "", "write the port to FILE once listening").argument("FILE"));
	options.addOption(
	    Option("exit-after-idle", "", "stop once no request has arrived for MS milliseconds (default: never)")
	        .argument("MS"));
	options.addOption(Option("full", "", "print whole properties (default: cut at 200 characters)"));
}

void InspectorApplication::handleOption(const std::string& name, const std::string& value)
{
	Poco::Util::Application::handleOption(name, value);
	if (name == "help")
	{
		_help = true;
		stopOptionsProcessing();
	}
	else if (name == "port")
	{
		if (!Poco::NumberParser::tryParseUnsigned(value, _port) || _port > 65535)
			throw Poco::Util::InvalidArgumentException("--port '" + value +
			                                           "' is not a port number (0 to 65535)");
	}
	else if (name == "port-file")
	{
		_portFile = value;
	}
	else if (name == "exit-after-idle")
	{
		int ms = 0;
		if (!Poco::NumberParser::tryParse(value, ms) || ms < 1)
			throw Poco::Util::InvalidArgumentException("--exit-after-idle '" + value +
			                                           "' is not a positive number of milliseconds");
		_idleMs = ms;
	}
	else if (name == "full")
	{
		_full = true;
	}
}

void InspectorApplication::printHelp() const
{
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
	help.setUsage("[options]");
	help.setHeader("A local stand-in for PostHog's capture endpoint: prints every batch it receives and a "
	               "summary when it stops (SIGINT, SIGTERM or --exit-after-idle).");
	help.format(std::cout);
}

void InspectorApplication::waitForStop(const sigset_t& signals, const CaptureTally& tally) const
{
	Poco::Timestamp started;
	for (;;)
	{
		timespec wait{0, 100 * 1000 * 1000};
		int sig = sigtimedwait(&signals, nullptr, &wait);
		if (sig == SIGINT || sig == SIGTERM)
			return;
		if (_idleMs > 0)
		{
			Poco::Timestamp last = tally.requests() ? tally.lastActivity() : started;
			if (last.elapsed() / 1000 >= _idleMs)
				return;
		}
	}
}

int InspectorApplication::main(const ArgVec&)
{
	if (_help)
	{
		printHelp();
		return EXIT_OK;
	}
	// The signals are taken with sigtimedwait() below, so they are blocked before any server
	// thread starts (threads inherit the mask), or one of those threads would die of them.
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, nullptr);

	Poco::FastMutex outMutex;
	CaptureTally tally;
	BatchHandler::Settings settings;
	settings.out = &std::cout;
	settings.outMutex = &outMutex;
	settings.tally = &tally;
	settings.full = _full;

	// Poco 1.11's ServerSocket(address) also sets SO_REUSEPORT, which would let a second process
	// listen on the same port and take part of the requests: bound without it.
	Poco::Net::ServerSocket socket;
	socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(_port)), true, false);
	socket.listen(64);
	Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(8);
	params->setKeepAlive(true);
	Poco::Net::HTTPServer server(new BatchHandler::Factory(settings), socket, params);
	server.start();
	Poco::UInt16 port = socket.address().port();
	{
		Poco::FastMutex::ScopedLock lock(outMutex);
		std::cout << "posthog-capture-inspector: listening on http://127.0.0.1:" << port << std::endl;
	}
	if (!_portFile.empty())
	{
		Poco::FileOutputStream file(_portFile);
		file << port << "\n";
	}

	waitForStop(signals, tally);
	server.stopAll(true);
	Poco::FastMutex::ScopedLock lock(outMutex);
	std::cout << tally.summary() << std::endl;
	return EXIT_OK;
}

} // namespace PostHogInspector
