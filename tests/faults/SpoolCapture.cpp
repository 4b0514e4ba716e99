//
// SpoolCapture.cpp
//
// posthog-spool-capture: the process FaultsTest kills with SIGKILL. It captures COUNT events
// through a spooled client, prints "spooled N" once they are all on disk, then flushes and
// shuts down, printing "done delivered=D replayed=R pending=P". COUNT 0 only replays.
//
//     posthog-spool-capture HOST SPOOL_DIR COUNT [BATCH_SIZE]
//
// Exit codes: 0 all delivered, 1 not all delivered, 2 usage, 3 the client could not start.
//

#include "Poco/Exception.h"
#include "Poco/NumberParser.h"
#include "Poco/Thread.h"
#include "PostHog/Client.h"
#include <iostream>

int main(int argc, char** argv)
{
	if (argc < 4)
	{
		std::cerr << "usage: posthog-spool-capture HOST SPOOL_DIR COUNT [BATCH_SIZE]" << std::endl;
		return 2;
	}
	try
	{
		PostHog::ClientOptions o;
		o.apiKey = "phc_fault_key_1234";
		o.host = argv[1];
		o.spoolPath = argv[2];
		int count = Poco::NumberParser::parse(argv[3]);
		o.batchSize = argc > 4 ? static_cast<std::size_t>(Poco::NumberParser::parse(argv[4])) : 20;
		o.batchInterval = Poco::Timespan(0, 50 * 1000);
		o.queueOverflow = PostHog::ClientOptions::Overflow::Block;
		o.retryBaseDelay = Poco::Timespan(0, 5 * 1000);
		o.shutdownTimeout = Poco::Timespan(60, 0);
		PostHog::Client client(o);
		for (int i = 0; i < count; ++i)
			client.capture("user-" + std::to_string(i % 13), "killed-" + std::to_string(i),
			               {{"i", i}, {"pad", std::string(200, 'k')}});
		while (client.statistics().spooled < static_cast<std::uint64_t>(count))
			Poco::Thread::sleep(2);
		std::cout << "spooled " << count << std::endl;
		bool ok = client.shutdown();
		auto s = client.statistics();
		std::cout << "done delivered=" << s.delivered << " replayed=" << s.replayed
		          << " pending=" << s.spoolPending << std::endl;
		return ok ? 0 : 1;
	}
	catch (Poco::Exception& e)
	{
		std::cerr << "posthog-spool-capture: " << e.displayText() << std::endl;
		return 3;
	}
}
