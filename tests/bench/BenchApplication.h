//
// BenchApplication.h
//
// posthog-bench: the bench-peers driver for posthog-cpp.
//

#ifndef PostHogBench_BenchApplication_INCLUDED
#define PostHogBench_BenchApplication_INCLUDED

#include "Poco/Util/Application.h"
#include "Poco/Util/MapConfiguration.h"
#include <cstdint>
#include <string>

namespace PostHogBench
{

class BenchApplication : public Poco::Util::Application
/// Implements the driver contract of the bench-peers suite that scripts/bench-compare.sh runs
/// (PEERS_SRC):
///
///     posthog-bench --host http://127.0.0.1:PORT --n N [--users 10000] [--seed 1]
///         [--mode burst|yield|rate] [--yield-every 100] [--rate 10000] [--timing on|off]
///         [--max-queue M] [--flush-at F] [--max-batch B] [--flush-interval MS] [--gzip on|off]
///         [--api-key K] [--shutdown-timeout-ms MS]
///
/// plus posthog-cpp's own:
///
///         [--pipeline FILE]     a configuration (xml, properties, ini, json) whose posthog.* keys
///                               build the client; the flags above win over it
///         [--threads N]         N producer threads share the N events (default 1: the main thread)
///         [--connections C]     posthog.http.connections
///         [--set key=value]     any other posthog.* key (repeatable; wins over the file)
///         [--limit-events K]    events for the physical-limit measurement (0: skip; default
///                               min(N, 20000))
///         [--print-events K]    print the first K events as JSON (for the byte-for-byte check
///                               against common.mjs's makeEvent) and exit
///
/// It captures N events with the real Client against --host, shuts down, and prints one JSON
/// object as the last line of standard output (the contract's fields and posthog-cpp's extras:
/// client statistics, per-stage costs, the worker's CPU per event and the physical limit).
{
public:
	BenchApplication();

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const std::vector<std::string>& args) override;

private:
	void usage(const std::string& problem) const;
	std::uint64_t number(const std::string& option, const std::string& value, std::uint64_t min,
	                     std::uint64_t max) const;
	bool onOff(const std::string& option, const std::string& value) const;
	int printEvents() const;
	int runBenchmark();

	Poco::AutoPtr<Poco::Util::MapConfiguration> _overrides; // posthog.* keys from the flags
	std::string _host;
	std::uint64_t _n = 200000;
	unsigned _users = 10000;
	std::uint32_t _seed = 1;
	std::string _mode = "burst";
	std::uint64_t _yieldEvery = 100;
	double _rate = 10000;
	bool _timing = true;
	std::string _apiKey = "phc_benchmark_key";
	long _shutdownTimeoutMs = 120000;
	std::string _pipelineFile;
	unsigned _threads = 1;
	long long _limitEvents = -1;
	std::uint64_t _printEvents = 0;
	bool _help = false;
	bool _flushAtSet = false;
	bool _maxBatchSet = false;
};

} // namespace PostHogBench

#endif // PostHogBench_BenchApplication_INCLUDED
