//
// BenchApplication.cpp
//

#include "BenchApplication.h"
#include "BenchEvent.h"
#include "PhysicalLimit.h"
#include "Poco/File.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/NumberParser.h"
#include "Poco/Path.h"
#include "Poco/Runnable.h"
#include "Poco/String.h"
#include "Poco/Thread.h"
#include "Poco/URI.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/OptionException.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <sys/resource.h>
#include <thread>

#ifndef POSTHOG_SOURCE_DIR
#define POSTHOG_SOURCE_DIR ""
#endif

using Poco::Util::Option;
using Poco::Util::OptionSet;

namespace PostHogBench
{

namespace
{

double realtimeMs()
{
	timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::int64_t monoNs()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double cpuMs(int who)
{
	rusage ru;
	getrusage(who, &ru);
	return (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	        static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
}

enum class Mode
{
	Burst,
	Yield,
	Rate
};

class Producer : public Poco::Runnable
/// One capture loop (common.mjs's captureLoop): makes each event outside the timed region,
/// times the capture() call alone.
{
public:
	Producer(PostHog::Client& client, std::uint64_t count, std::uint32_t seed, unsigned users, Mode mode,
	         std::uint64_t yieldEvery, double rate, bool timing, const std::atomic<bool>& go,
	         const std::int64_t& startNs)
	    : _client(client), _count(count), _seed(seed), _users(users), _mode(mode), _yieldEvery(yieldEvery),
	      _rate(rate), _timing(timing), _go(go), _startNs(startNs)
	{
		if (_timing)
			_latencies.resize(count); // touched here, not on the first lap of the loop
	}

	void run() override
	{
		while (!_go.load(std::memory_order_acquire))
			std::this_thread::yield();
		Mulberry32 r(_seed);
		BenchEvent ev;
		const std::string eventName(BenchEvent::kEventName);
		std::int64_t inCalls = 0;
		for (std::uint64_t i = 0; i < _count; ++i)
		{
			BenchEvent::make(r, _users, ev);
			if (_timing)
			{
				std::int64_t a = monoNs();
				_client.capture(ev.distinctId, eventName, std::move(ev.properties));
				std::int64_t d = monoNs() - a;
				_latencies[i] = static_cast<std::uint64_t>(d);
				inCalls += d;
			}
			else
			{
				_client.capture(ev.distinctId, eventName, std::move(ev.properties));
			}
			if (_mode != Mode::Burst && (i + 1) % _yieldEvery == 0)
			{
				std::int64_t ahead = 0;
				if (_mode == Mode::Rate)
					ahead = _startNs + static_cast<std::int64_t>(static_cast<double>(i + 1) * 1e9 / _rate) -
					        monoNs();
				if (ahead >= 1000000)
					std::this_thread::sleep_for(std::chrono::nanoseconds(ahead));
				else
					std::this_thread::yield();
			}
		}
		_callsNs = inCalls;
		timespec ts;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
		_cpuMs = static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
	}

	std::vector<std::uint64_t>& latencies() { return _latencies; }
	std::int64_t callsNs() const { return _callsNs; }
	double cpuMs() const { return _cpuMs; }

private:
	PostHog::Client& _client;
	std::uint64_t _count;
	std::uint32_t _seed;
	unsigned _users;
	Mode _mode;
	std::uint64_t _yieldEvery;
	double _rate;
	bool _timing;
	const std::atomic<bool>& _go;
	const std::int64_t& _startNs;
	std::vector<std::uint64_t> _latencies;
	std::int64_t _callsNs = 0;
	double _cpuMs = 0;
};

} // namespace

BenchApplication::BenchApplication() : _overrides(new Poco::Util::MapConfiguration)
{
	setUnixOptions(true);
}

void BenchApplication::defineOptions(OptionSet& options)
{
	Application::defineOptions(options);
	auto add = [&](const char* name, const char* arg, const char* text)
	{
		Option o(name, "", text);
		o.required(false).repeatable(std::string(name) == "set");
		if (arg)
			o.argument(arg);
		options.addOption(o);
	};
	add("help", nullptr, "print this help and exit");
	add("host", "URL", "capture endpoint (loopback only), e.g. http://127.0.0.1:8765");
	add("n", "N", "events to capture (default 200000)");
	add("users", "U", "distinct ids in the pool (default 10000)");
	add("seed", "S", "PRNG seed (default 1)");
	add("mode", "MODE", "burst | yield | rate (default burst)");
	add("yield-every", "K", "yield / pace every K captures (default 100)");
	add("rate", "EPS", "events per second in rate mode, all threads together (default 10000)");
	add("timing", "on|off", "time every capture() call (default on)");
	add("max-queue", "M", "posthog.queue.capacity");
	add("flush-at", "F", "posthog.batch.size (unless --max-batch is given too)");
	add("max-batch", "B", "posthog.batch.size");
	add("flush-interval", "MS", "posthog.batch.interval");
	add("gzip", "on|off", "posthog.http.gzip");
	add("api-key", "KEY", "posthog.apiKey (default phc_benchmark_key)");
	add("shutdown-timeout-ms", "MS", "how long shutdown() may take (default 120000)");
	add("pipeline", "FILE", "configuration file with posthog.* keys (the flags win over it)");
	add("threads", "N", "producer threads (default 1)");
	add("connections", "C", "posthog.http.connections");
	add("set", "KEY=VALUE", "any posthog.* key (repeatable)");
	add("limit-events", "K", "events for the physical-limit measurement (0: skip; default min(N, 20000))");
	add("print-events", "K", "print the first K events as JSON and exit");
}

std::uint64_t BenchApplication::number(const std::string& option, const std::string& value, std::uint64_t min,
                                       std::uint64_t max) const
{
	Poco::UInt64 v = 0;
	if (!Poco::NumberParser::tryParseUnsigned64(Poco::trim(value), v) || v < min || v > max)
		throw Poco::Util::InvalidArgumentException("--" + option + " " + value +
		                                           " is not an integer between " + std::to_string(min) +
		                                           " and " + std::to_string(max));
	return v;
}

bool BenchApplication::onOff(const std::string& option, const std::string& value) const
{
	if (value == "on")
		return true;
	if (value == "off")
		return false;
	throw Poco::Util::InvalidArgumentException("--" + option + " " + value + " is not on or off");
}

void BenchApplication::handleOption(const std::string& name, const std::string& value)
{
	Application::handleOption(name, value);
	const std::uint64_t big = 1000000000ULL;
	if (name == "help")
		_help = true;
	else if (name == "host")
		_host = value;
	else if (name == "n")
		_n = number(name, value, 0, big);
	else if (name == "users")
		_users = static_cast<unsigned>(number(name, value, 1, big));
	else if (name == "seed")
		_seed = static_cast<std::uint32_t>(number(name, value, 0, 0xFFFFFFFFULL));
	else if (name == "mode")
	{
		if (value != "burst" && value != "yield" && value != "rate")
			throw Poco::Util::InvalidArgumentException("--mode " + value + " is not burst, yield or rate");
		_mode = value;
	}
	else if (name == "yield-every")
		_yieldEvery = number(name, value, 1, big);
	else if (name == "rate")
	{
		double r = 0;
		if (!Poco::NumberParser::tryParseFloat(value, r) || !(r > 0))
			throw Poco::Util::InvalidArgumentException("--rate " + value + " is not a positive number");
		_rate = r;
	}
	else if (name == "timing")
		_timing = onOff(name, value);
	else if (name == "max-queue")
		_overrides->setString("posthog.queue.capacity", std::to_string(number(name, value, 1, 100000000)));
	else if (name == "flush-at")
	{
		_flushAtSet = true;
		if (!_maxBatchSet)
			_overrides->setString("posthog.batch.size", std::to_string(number(name, value, 1, 100000)));
	}
	else if (name == "max-batch")
	{
		_maxBatchSet = true;
		_overrides->setString("posthog.batch.size", std::to_string(number(name, value, 1, 100000)));
	}
	else if (name == "flush-interval")
		_overrides->setString("posthog.batch.interval", std::to_string(number(name, value, 1, 3600000)));
	else if (name == "gzip")
		_overrides->setString("posthog.http.gzip", onOff(name, value) ? "true" : "false");
	else if (name == "api-key")
		_apiKey = value;
	else if (name == "shutdown-timeout-ms")
		_shutdownTimeoutMs = static_cast<long>(number(name, value, 0, 24ULL * 3600 * 1000));
	else if (name == "pipeline")
		_pipelineFile = value;
	else if (name == "threads")
		_threads = static_cast<unsigned>(number(name, value, 1, 256));
	else if (name == "connections")
		_overrides->setString("posthog.http.connections", std::to_string(number(name, value, 1, 64)));
	else if (name == "set")
	{
		std::string::size_type eq = value.find('=');
		if (eq == std::string::npos || eq == 0 || value.compare(0, 8, "posthog.") != 0)
			throw Poco::Util::InvalidArgumentException("--set " + value + " is not posthog.<key>=<value>");
		_overrides->setString(Poco::trim(value.substr(0, eq)), Poco::trim(value.substr(eq + 1)));
	}
	else if (name == "limit-events")
		_limitEvents = static_cast<long long>(number(name, value, 0, big));
	else if (name == "print-events")
		_printEvents = number(name, value, 1, big);
}

void BenchApplication::usage(const std::string& problem) const
{
	if (!problem.empty())
		std::cerr << "posthog-bench: " << problem << "\n";
	Poco::Util::HelpFormatter help(options());
	help.setCommand(commandName());
	help.setUsage("--host http://127.0.0.1:PORT --n N [options]");
	help.setHeader("The bench-peers driver for posthog-cpp (scripts/bench-compare.sh runs it).");
	help.format(problem.empty() ? std::cout : std::cerr);
}

int BenchApplication::printEvents() const
{
	Mulberry32 r(_seed);
	BenchEvent ev;
	for (std::uint64_t i = 0; i < _printEvents; ++i)
	{
		BenchEvent::make(r, _users, ev);
		PostHog::Properties line{
		    {"distinctId", ev.distinctId}, {"event", BenchEvent::kEventName}, {"properties", ev.properties}};
		std::cout << line.toJSON() << "\n";
	}
	return EXIT_OK;
}

int BenchApplication::main(const std::vector<std::string>& args)
{
	if (_help)
	{
		usage("");
		return EXIT_OK;
	}
	if (!args.empty())
	{
		usage("unexpected argument '" + args[0] + "'");
		return EXIT_USAGE;
	}
	if (_printEvents)
		return printEvents();
	try
	{
		return runBenchmark();
	}
	catch (PostHog::ConfigurationException& e)
	{
		std::cerr << "posthog-bench: " << e.message() << "\n";
		return EXIT_CONFIG;
	}
	catch (Poco::Exception& e)
	{
		std::cerr << "posthog-bench: " << e.displayText() << "\n";
		return EXIT_SOFTWARE;
	}
}

int BenchApplication::runBenchmark()
{
	if (_host.empty())
	{
		usage("--host is required");
		return EXIT_USAGE;
	}
	Poco::URI uri(_host);
	const std::string& h = uri.getHost();
	bool loopback = h == "localhost" || h == "::1" || h == "[::1]" ||
	                (h.compare(0, 4, "127.") == 0 && std::count(h.begin(), h.end(), '.') == 3);
	if (!loopback)
	{
		std::cerr << "posthog-bench: refusing non-loopback host " << _host << "\n";
		return EXIT_USAGE;
	}

	// Configuration: the file (if any) below, the flags on top.
	if (!_pipelineFile.empty())
	{
		Poco::Path path(_pipelineFile);
		if (!Poco::File(path).exists() && path.isRelative() && *POSTHOG_SOURCE_DIR)
		{
			Poco::Path fromSource(Poco::Path(std::string(POSTHOG_SOURCE_DIR) + "/"), _pipelineFile);
			if (Poco::File(fromSource).exists())
				path = fromSource;
		}
		if (!Poco::File(path).exists())
			throw PostHog::ConfigurationException("--pipeline " + _pipelineFile +
			                                      ": no such file (relative paths are tried "
			                                      "against the working directory and the source tree)");
		try
		{
			loadConfiguration(path.toString(), PRIO_DEFAULT);
		}
		catch (Poco::Exception& e)
		{
			throw PostHog::ConfigurationException("--pipeline " + path.toString() +
			                                      " cannot be read: " + e.displayText());
		}
		_pipelineFile = path.toString();
	}
	_overrides->setString("posthog.host", _host);
	_overrides->setString("posthog.apiKey", _apiKey);
	config().add(Poco::Util::AbstractConfiguration::Ptr(_overrides, true), PRIO_APPLICATION - 100, false);

	PostHog::ClientOptions options = PostHog::ClientOptions::fromConfiguration(config());
	std::atomic<std::uint64_t> errorReports{0}, errorEvents{0};
	std::mutex firstErrorMutex;
	std::string firstError;
	options.onError = [&](const PostHog::ClientError& e)
	{
		errorReports.fetch_add(1);
		errorEvents.fetch_add(e.events);
		std::lock_guard<std::mutex> lock(firstErrorMutex);
		if (firstError.empty())
			firstError = std::string(PostHog::ClientError::kindName(e.kind)) + ": " + e.message;
	};

	PostHog::Client client(options);
	const PostHog::ClientOptions& eff = client.options();
	Mode mode = _mode == "yield" ? Mode::Yield : _mode == "rate" ? Mode::Rate : Mode::Burst;

	std::atomic<bool> go{false};
	std::int64_t startNs = 0;
	std::vector<std::unique_ptr<Producer>> producers;
	for (unsigned t = 0; t < _threads; ++t)
	{
		std::uint64_t count = _n / _threads + (t < _n % _threads ? 1 : 0);
		producers.emplace_back(new Producer(client, count, _seed + t, _users, mode, _yieldEvery,
		                                    _rate / _threads, _timing, go, startNs));
	}
	std::vector<std::unique_ptr<Poco::Thread>> threads;
	if (_threads > 1)
	{
		for (unsigned t = 0; t < _threads; ++t)
		{
			threads.emplace_back(new Poco::Thread("bench producer " + std::to_string(t + 1)));
			threads.back()->start(*producers[t]);
		}
	}

	double t0 = realtimeMs();
	startNs = monoNs();
	go.store(true, std::memory_order_release);
	if (_threads == 1)
		producers[0]->run();
	else
		for (auto& t : threads)
			t->join();
	std::int64_t loopNs = monoNs() - startNs;
	double captureEnd = realtimeMs();

	std::int64_t s0 = monoNs();
	bool clean =
	    client.shutdown(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_shutdownTimeoutMs) * 1000));
	double shutdownMs = static_cast<double>(monoNs() - s0) / 1e6;
	double done = realtimeMs();

	// CPU accounting, before the limit measurement: everything that is neither the main thread
	// nor a producer is the client's own background work (worker and senders, joined by now).
	double selfCpu = cpuMs(RUSAGE_SELF);
	double mainCpu = cpuMs(RUSAGE_THREAD);
	double producerCpu = 0;
	if (_threads > 1)
		for (auto& p : producers)
			producerCpu += p->cpuMs();
	double backgroundCpu = selfCpu - mainCpu - producerCpu;
	rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long rssPeakKb = ru.ru_maxrss;

	PostHog::ClientStatistics stats = client.statistics();

	Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	out->set("peer", "posthog-cpp");
	out->set("peer_version", std::string(PostHog::libraryVersion()));
	out->set("n", _n);
	out->set("mode", _mode);
	out->set("yield_every", mode != Mode::Burst ? Poco::Dynamic::Var(_yieldEvery) : Poco::Dynamic::Var());
	out->set("rate", mode == Mode::Rate ? Poco::Dynamic::Var(_rate) : Poco::Dynamic::Var());
	out->set("threads", _threads);

	Poco::JSON::Object::Ptr settings = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	settings->set("batchSize", eff.batchSize);
	settings->set("batchIntervalMs", eff.batchInterval.totalMilliseconds());
	settings->set("batchMaxBytes", eff.batchMaxBytes);
	settings->set("queueCapacity", eff.queueCapacity);
	settings->set("queueOverflow",
	              eff.queueOverflow == PostHog::ClientOptions::Overflow::Block ? "block" : "drop");
	settings->set("gzip", eff.gzip);
	settings->set("gzipLevel", eff.gzipLevel);
	settings->set("connections", eff.connections);
	settings->set("maxRetries", eff.maxRetries);
	settings->set("retryDelayMs", eff.retryBaseDelay.totalMilliseconds());
	settings->set("httpTimeoutMs", eff.httpTimeout.totalMilliseconds());
	Poco::JSON::Array::Ptr stageNames = new Poco::JSON::Array;
	for (const auto& s : client.pipeline().stageNames())
		stageNames->add(s);
	settings->set("pipeline", stageNames);
	settings->set("pipelineFile",
	              _pipelineFile.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(_pipelineFile));
	settings->set("threads", _threads);
	out->set("settings", settings);

	out->set("t0_epoch_ms", t0);
	out->set("capture_loop_ms", static_cast<double>(loopNs) / 1e6);
	out->set("capture_end_epoch_ms", captureEnd);
	if (_timing && _n > 0)
	{
		std::vector<std::uint64_t> all;
		std::int64_t callsNs = 0;
		for (auto& p : producers)
		{
			all.insert(all.end(), p->latencies().begin(), p->latencies().end());
			callsNs += p->callsNs();
		}
		std::sort(all.begin(), all.end());
		std::size_t n = all.size();
		auto q = [&](double p)
		{
			return static_cast<double>(
			    all[std::min(n - 1, static_cast<std::size_t>(std::floor(p * static_cast<double>(n))))]);
		};
		out->set("capture_calls_ms", static_cast<double>(callsNs) / 1e6);
		out->set("capture_ns_mean", static_cast<double>(callsNs) / static_cast<double>(n));
		out->set("capture_ns_p50", q(0.5));
		out->set("capture_ns_p99", q(0.99));
		out->set("capture_ns_p999", q(0.999));
		out->set("capture_ns_max", static_cast<double>(all[n - 1]));
	}
	out->set("shutdown_ms", shutdownMs);
	out->set("done_epoch_ms", done);
	out->set("shutdown_timeout_ms", _shutdownTimeoutMs);
	out->set("shutdown_timed_out", shutdownMs >= static_cast<double>(_shutdownTimeoutMs) - 1);
	out->set("shutdown_clean", clean);
	out->set("client_errors_at_shutdown", errorReports.load());
	out->set("client_errors", errorReports.load());
	out->set("client_error_events", errorEvents.load());
	out->set("client_first_error",
	         firstError.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(firstError));

	Poco::JSON::Object::Ptr cs = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	cs->set("enqueued", stats.enqueued);
	cs->set("delivered", stats.delivered);
	cs->set("dropped", stats.dropped);
	cs->set("failed", stats.failed);
	cs->set("rejected", stats.rejected);
	cs->set("retried", stats.retried);
	cs->set("requests", stats.requests);
	Poco::JSON::Object::Ptr reasons = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	for (const auto& kv : stats.droppedByReason)
		reasons->set(kv.first, kv.second);
	cs->set("dropped_by_reason", reasons);
	out->set("client_stats", cs);
	Poco::JSON::Array::Ptr stages = new Poco::JSON::Array;
	for (const auto& s : stats.stages)
	{
		Poco::JSON::Object::Ptr st = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		st->set("name", s.name);
		st->set("kind", s.kind);
		st->set("in", s.in);
		st->set("passed", s.passed);
		st->set("dropped", s.dropped);
		st->set("errors", s.errors);
		st->set("ns_per_message", s.in ? s.seconds * 1e9 / static_cast<double>(s.in) : 0.0);
		stages->add(st);
	}
	out->set("stages", stages);

	out->set("main_cpu_ms", mainCpu);
	out->set("producer_cpu_ms", _threads > 1 ? producerCpu : mainCpu);
	out->set("background_cpu_ms", backgroundCpu);
	double n = static_cast<double>(std::max<std::uint64_t>(1, _n));
	out->set("background_cpu_ns_per_event", backgroundCpu * 1e6 / n);

	std::size_t limitEvents = _limitEvents < 0 ? static_cast<std::size_t>(std::min<std::uint64_t>(_n, 20000))
	                                           : static_cast<std::size_t>(_limitEvents);
	if (limitEvents)
	{
		PhysicalLimit::Result lim =
		    PhysicalLimit::measure(limitEvents, _seed, _users, eff.batchSize, eff.gzipLevel);
		Poco::JSON::Object::Ptr lo = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		lo->set("events", lim.events);
		lo->set("json_ns_per_event", lim.jsonNsPerEvent);
		lo->set("gzip_ns_per_event", lim.gzipNsPerEvent);
		lo->set("json_bytes_per_event", lim.jsonBytesPerEvent);
		lo->set("gzip_bytes_per_event", lim.gzipBytesPerEvent);
		double limitNs = lim.jsonNsPerEvent + (eff.gzip ? lim.gzipNsPerEvent : 0.0);
		lo->set("limit_ns_per_event", limitNs);
		lo->set("limit_events_per_s_one_core", limitNs > 0 ? 1e9 / limitNs : 0.0);
		lo->set("measure_cpu_ms", lim.cpuMs);
		out->set("limit", lo);
		out->set("worker_vs_limit", limitNs > 0 ? backgroundCpu * 1e6 / n / limitNs : 0.0);
	}

	out->set("self_rss_peak_kb", rssPeakKb);
	out->set("self_cpu_ms", selfCpu);
	Poco::JSON::Object::Ptr switches = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	switches->set("voluntary", static_cast<std::int64_t>(ru.ru_nvcsw));
	switches->set("involuntary", static_cast<std::int64_t>(ru.ru_nivcsw));
	out->set("ctxt_switches", switches);
	std::ostringstream line;
	out->stringify(line);
	std::cout << line.str() << std::endl;
	return EXIT_OK;
}

} // namespace PostHogBench

POCO_APP_MAIN(PostHogBench::BenchApplication)
