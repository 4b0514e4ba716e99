//
// MicroBench.cpp
//
// posthog-microbench: the cost of each piece of the capture road, per message, on one thread.
//
//     posthog-microbench [--events K] [--rounds R] [--pipeline FILE] [--json]
//
// Every figure is the best of R rounds over K bench events (BenchEvent, the bench-peers event),
// in thread CPU time, so that other processes on a shared machine disturb it little. The last
// line of standard output is the same figures as one JSON object.
//

#include "BenchEvent.h"
#include "Poco/File.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/Logger.h"
#include "Poco/NumberParser.h"
#include "Poco/TemporaryFile.h"
#include "Poco/Util/Application.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/LayeredConfiguration.h"
#include "Poco/Util/MapConfiguration.h"
#include "Poco/Util/OptionException.h"
#include "Poco/Util/PropertyFileConfiguration.h"
#include "Poco/Util/XMLConfiguration.h"
#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "PostHog/MiddlewareContext.h"
#include "PostHog/Pipeline.h"
#include "encoding/EventSerializer.h"
#include "encoding/GzipWriter.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/UuidGenerator.h"
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <new>
#include <sstream>
#include <zlib.h>

#ifndef POSTHOG_SOURCE_DIR
#define POSTHOG_SOURCE_DIR ""
#endif

// Allocation counting for the memory comparison (only while `counting` is set, single-threaded).
// The replacement operator delete frees with free(); GCC, seeing both inlined, takes that for a
// new/free mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace
{
volatile bool counting = false;
volatile std::size_t allocations = 0;
volatile long long liveBytes = 0; // malloc_usable_size + the 8-byte chunk header, net of frees
} // namespace

void* operator new(std::size_t n)
{
	void* p = std::malloc(n ? n : 1);
	if (!p)
		throw std::bad_alloc();
	if (counting)
	{
		allocations = allocations + 1;
		liveBytes = liveBytes + static_cast<long long>(malloc_usable_size(p) + 8);
	}
	return p;
}

void operator delete(void* p) noexcept
{
	if (counting && p)
		liveBytes = liveBytes - static_cast<long long>(malloc_usable_size(p) + 8);
	std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
	operator delete(p);
}

using namespace PostHogBench;
using PostHog::Message;

namespace
{

double threadCpuNs()
{
	timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

std::int64_t monoNs()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

class NoopMiddleware : public PostHog::Middleware
/// A stage that does nothing: what the chain itself costs per stage.
{
public:
	std::string name() const override { return "noop"; }
	Result process(Message&) override { return Result::pass(); }
};

Poco::JSON::Object::Ptr pocoEventDirect(Mulberry32& r, unsigned users)
/// makeEvent building Poco::JSON::Object directly (what an application would write).
{
	static const char* const titles[] = {"The Matrix",    "Spirited Away", "Heat", "Alien",
	                                     "Am\xC3\xA9lie", "Arrival",       "Up",   "Drive"};
	static const char* const genres[] = {"sci-fi", "animation", "crime", "horror", "comedy", "drama"};
	static const char* const oses[] = {"ios", "android", "web", "tvos"};
	unsigned u = static_cast<unsigned>(r.next() * users);
	unsigned m = static_cast<unsigned>(r.next() * 5000);
	double position = std::floor(r.next() * 360000 + 0.5) / 100;
	double rating = std::floor(r.next() * 50 + 0.5) / 10;
	Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	o->set("movie_id", "tt" + std::to_string(1000000 + m));
	o->set("title", std::string(titles[m & 7]));
	o->set("duration_s", 3600 + static_cast<int>(m % 4000));
	o->set("position_s", position);
	o->set("rating", rating);
	o->set("is_premium", (u & 3) == 0);
	Poco::JSON::Object::Ptr screen = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	screen->set("w", 1920);
	screen->set("h", 1080);
	Poco::JSON::Object::Ptr device = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
	device->set("os", std::string(oses[u & 3]));
	device->set("app_version", "5." + std::to_string(m % 20) + "." + std::to_string(u % 10));
	device->set("screen", screen);
	o->set("device", device);
	Poco::JSON::Array::Ptr g = new Poco::JSON::Array;
	g->add(std::string(genres[m % 6]));
	g->add(std::string(genres[(m + 1) % 6]));
	o->set("genres", g);
	return o;
}

class MicroBench : public Poco::Util::Application
{
public:
	MicroBench() { setUnixOptions(true); }

protected:
	void defineOptions(Poco::Util::OptionSet& options) override
	{
		Application::defineOptions(options);
		options.addOption(Poco::Util::Option("help", "", "print this help"));
		options.addOption(Poco::Util::Option("events", "", "events per round (default 20000)").argument("K"));
		options.addOption(
		    Poco::Util::Option("rounds", "", "rounds; the best is reported (default 5)").argument("R"));
		options.addOption(
		    Poco::Util::Option("pipeline", "",
		                       "configuration with the stages to measure (default config/pipeline.xml)")
		        .argument("FILE"));
		options.addOption(
		    Poco::Util::Option("only", "",
		                       "run only this section (basics, uuid_return, memory, json, gzip, "
		                       "chain, stages, capture)")
		        .argument("SECTION"));
	}

	void handleOption(const std::string& name, const std::string& value) override
	{
		Application::handleOption(name, value);
		unsigned v = 0;
		if (name == "help")
			_help = true;
		else if (name == "pipeline")
			_pipelineFile = value;
		else if (name == "only")
			_only = value;
		else if (!Poco::NumberParser::tryParseUnsigned(value, v) || v == 0)
			throw Poco::Util::InvalidArgumentException("--" + name + " " + value +
			                                           " is not a positive integer");
		else if (name == "events")
			_events = v;
		else if (name == "rounds")
			_rounds = v;
	}

	int main(const std::vector<std::string>&) override
	{
		if (_help)
		{
			Poco::Util::HelpFormatter help(options());
			help.setCommand(commandName());
			help.format(std::cout);
			return EXIT_OK;
		}
		Poco::Logger::get("PostHog").setLevel(Poco::Message::PRIO_FATAL);
		_json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		try
		{
			makeMessages();
			const std::pair<const char*, void (MicroBench::*)()> sections[] = {
			    {"basics", &MicroBench::benchBasics}, {"uuid_return", &MicroBench::benchUuidReturn},
			    {"memory", &MicroBench::benchMemory}, {"json", &MicroBench::benchSerialisation},
			    {"gzip", &MicroBench::benchGzip},     {"chain", &MicroBench::benchChain},
			    {"stages", &MicroBench::benchStages}, {"capture", &MicroBench::benchCapture},
			    {"flags", &MicroBench::benchFlags}};
			for (const auto& section : sections)
			{
				if (_only.empty() || _only == section.first)
					(this->*section.second)();
			}
		}
		catch (Poco::Exception& e)
		{
			std::cerr << "posthog-microbench: " << e.displayText() << "\n";
			return EXIT_SOFTWARE;
		}
		std::ostringstream line;
		_json->stringify(line);
		std::cout << line.str() << std::endl;
		return EXIT_OK;
	}

private:
	double best(const std::function<void()>& setup, const std::function<void()>& body, double perOps)
	/// Best-of-rounds thread CPU ns per op of body (setup runs untimed before each round).
	{
		double bestNs = 0;
		for (unsigned r = 0; r < _rounds; ++r)
		{
			setup();
			double t0 = threadCpuNs();
			body();
			double ns = (threadCpuNs() - t0) / perOps;
			if (r == 0 || ns < bestNs)
				bestNs = ns;
		}
		return bestNs;
	}

	void report(const std::string& section, const std::string& key, double value, const std::string& unit,
	            const std::string& note = std::string())
	{
		std::cout << std::left << std::setw(58) << (section + ": " + key) << std::right << std::setw(10)
		          << std::fixed << std::setprecision(1) << value << " " << unit
		          << (note.empty() ? "" : "  (" + note + ")") << "\n";
		Poco::JSON::Object::Ptr s;
		if (_json->has(section))
			s = _json->getObject(section);
		else
		{
			s = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
			_json->set(section, s);
		}
		s->set(key, value);
	}

	void makeMessages()
	{
		Mulberry32 r(1);
		BenchEvent ev;
		const std::string name(BenchEvent::kEventName);
		_messages.clear();
		_messages.reserve(_events);
		for (unsigned i = 0; i < _events; ++i)
		{
			BenchEvent::make(r, 10000, ev);
			_messages.emplace_back(Message::Type::Capture, name, ev.distinctId, std::move(ev.properties));
			_messages.back().setUuid(PostHog::UuidGenerator::next());
			_messages.back().setTimestamp(Poco::Timestamp());
		}
	}

	void benchUuidReturn()
	/// What capture() could hand back as its uuid: the std::string it returns (formatted, one
	/// allocation, freed by the caller), a fixed 36-byte text formatted into the caller's object
	/// (no allocation), or the 16 bytes alone, formatted only when the caller asks.
	{
		const double n = _events;
		volatile unsigned sink = 0;
		std::vector<Poco::UUID> ids(256);
		for (auto& id : ids)
			id = PostHog::UuidGenerator::next();
		double asString = best([] {},
		                       [&]
		                       {
			                       for (unsigned i = 0; i < _events; ++i)
			                       {
				                       std::string s = PostHog::UuidGenerator::toString(ids[i & 255]);
				                       sink = sink + static_cast<unsigned char>(s[35]);
			                       }
		                       },
		                       n);
		report("uuid_return", "std::string (today)", asString, "ns/call", "format + allocate + free");
		double fixed = best([] {},
		                    [&]
		                    {
			                    for (unsigned i = 0; i < _events; ++i)
			                    {
				                    char text[36];
				                    PostHog::UuidGenerator::format(ids[i & 255], text);
				                    sink = sink + static_cast<unsigned char>(text[35]);
			                    }
		                    },
		                    n);
		report("uuid_return", "fixed 36-byte text", fixed, "ns/call", "format, no allocation");
		double lazy = best([] {},
		                   [&]
		                   {
			                   for (unsigned i = 0; i < _events; ++i)
			                   {
				                   Poco::UUID copy = ids[i & 255];
				                   sink = sink + copy.version();
			                   }
		                   },
		                   n);
		report("uuid_return", "16 bytes, not formatted", lazy, "ns/call", "lazy, when the caller ignores it");
	}

	void benchBasics()
	{
		const double n = _events;
		volatile unsigned sink = 0;
		double clock = best([] {},
		                    [&]
		                    {
			                    for (unsigned i = 0; i < _events; ++i)
				                    sink = sink + static_cast<unsigned>(monoNs());
		                    },
		                    n);
		report("basics", "clock_gettime(MONOTONIC)", clock, "ns/call", "what timing one capture() adds");
		double uuid = best([] {},
		                   [&]
		                   {
			                   for (unsigned i = 0; i < _events; ++i)
				                   sink = sink + PostHog::UuidGenerator::next().version();
		                   },
		                   n);
		report("basics", "UuidGenerator::next", uuid, "ns/call");
		Poco::UUID u = PostHog::UuidGenerator::next();
		double uuidStr =
		    best([] {},
		         [&]
		         {
			         for (unsigned i = 0; i < _events; ++i)
				         sink = sink + static_cast<unsigned>(PostHog::UuidGenerator::toString(u).size());
		         },
		         n);
		report("basics", "UuidGenerator::toString", uuidStr, "ns/call", "capture() returns it");
		double ts = best([] {},
		                 [&]
		                 {
			                 for (unsigned i = 0; i < _events; ++i)
				                 sink = sink + static_cast<unsigned>(Poco::Timestamp().epochMicroseconds());
		                 },
		                 n);
		report("basics", "Poco::Timestamp()", ts, "ns/call");
		Mulberry32 r(1);
		BenchEvent ev;
		double make = best([&] { r = Mulberry32(1); },
		                   [&]
		                   {
			                   for (unsigned i = 0; i < _events; ++i)
				                   BenchEvent::make(r, 10000, ev);
		                   },
		                   n);
		report("basics", "make bench event (Properties)", make, "ns/event",
		       "driver side, not timed in capture()");
	}

	void benchMemory()
	{
		// Properties vs Poco::JSON::Object for the bench event: the memory a queued event costs.
		const double n = _events;
		Mulberry32 r(1);
		std::vector<BenchEvent> props(_events);
		double buildProps = best([&] { r = Mulberry32(1); },
		                         [&]
		                         {
			                         for (unsigned i = 0; i < _events; ++i)
				                         BenchEvent::make(r, 10000, props[i]);
		                         },
		                         n);
		std::vector<Poco::JSON::Object::Ptr> objects(_events);
		double buildPoco = best(
		    [&]
		    {
			    r = Mulberry32(1);
			    for (auto& o : objects)
				    o = nullptr;
		    },
		    [&]
		    {
			    for (unsigned i = 0; i < _events; ++i)
				    objects[i] = pocoEventDirect(r, 10000);
		    },
		    n);
		report("properties_vs_poco", "build Properties", buildProps, "ns/event", "incl. distinct id string");
		report("properties_vs_poco", "build Poco::JSON::Object", buildPoco, "ns/event");

		props.assign(_events, BenchEvent());
		objects.assign(_events, nullptr);
		r = Mulberry32(1);
		counting = true;
		allocations = 0;
		liveBytes = 0;
		for (unsigned i = 0; i < _events; ++i)
		{
			BenchEvent ev;
			BenchEvent::make(r, 10000, ev);
			props[i].properties = std::move(ev.properties);
		}
		counting = false;
		// The live heap of a Properties is its one buffer (nested objects and arrays are encoded
		// into it); summed directly, as the allocation hooks lose track of a moved std::string.
		double propsBytes = 0;
		for (const auto& e : props)
		{
			const std::string& b = PostHog::PropertiesAccess::encoded(e.properties);
			if (b.capacity() > 15)
				propsBytes += static_cast<double>(malloc_usable_size(const_cast<char*>(b.data())) + 8);
		}
		propsBytes /= n;
		double propsAllocs = static_cast<double>(allocations) / n;
		r = Mulberry32(1);
		counting = true;
		allocations = 0;
		liveBytes = 0;
		for (unsigned i = 0; i < _events; ++i)
			objects[i] = pocoEventDirect(r, 10000);
		counting = false;
		double pocoBytes = static_cast<double>(liveBytes) / n;
		double pocoAllocs = static_cast<double>(allocations) / n;
		report("properties_vs_poco", "Properties heap bytes", propsBytes, "B/event",
		       "live after building, malloc chunk sizes");
		report("properties_vs_poco", "Properties allocations", propsAllocs, "/event",
		       "while building (temporaries incl.)");
		report("properties_vs_poco", "Poco::JSON::Object heap bytes", pocoBytes, "B/event");
		report("properties_vs_poco", "Poco::JSON::Object allocations", pocoAllocs, "/event");
		report("properties_vs_poco", "sizeof(Message)", sizeof(Message), "B", "plus its Properties buffer");

		std::string out;
		double writeProps =
		    best([] {},
		         [&]
		         {
			         for (unsigned i = 0; i < _events; ++i)
			         {
				         out.clear();
				         PostHog::JsonWriter::appendEncodedObject(
				             out, PostHog::PropertiesAccess::encoded(props[i].properties).data(),
				             PostHog::PropertiesAccess::encoded(props[i].properties).data() +
				                 PostHog::PropertiesAccess::encoded(props[i].properties).size());
			         }
		         },
		         n);
		std::ostringstream os;
		double writePoco = best([] {},
		                        [&]
		                        {
			                        for (unsigned i = 0; i < _events; ++i)
			                        {
				                        os.str(std::string());
				                        objects[i]->stringify(os);
			                        }
		                        },
		                        n);
		report("properties_vs_poco", "JSON of Properties (JsonWriter)", writeProps, "ns/event");
		report("properties_vs_poco", "JSON of Poco::JSON::Object (stringify)", writePoco, "ns/event");
	}

	void benchSerialisation()
	{
		const double n = _events;
		std::string out;
		out.reserve(1 << 20);
		std::size_t bytes = 0;
		double ser = best([] {},
		                  [&]
		                  {
			                  out.clear();
			                  bytes = 0;
			                  for (unsigned i = 0; i < _events; ++i)
			                  {
				                  if (out.size() > 900000)
				                  {
					                  bytes += out.size();
					                  out.clear();
				                  }
				                  PostHog::EventSerializer::append(out, _messages[i], false);
				                  out.push_back(',');
			                  }
			                  bytes += out.size();
		                  },
		                  n);
		report("json", "EventSerializer::append (whole event)", ser, "ns/event");
		report("json", "event JSON bytes", static_cast<double>(bytes) / n, "B/event");
		double ts = best([] {},
		                 [&]
		                 {
			                 out.clear();
			                 for (unsigned i = 0; i < _events; ++i)
				                 PostHog::JsonWriter::appendTimestamp(out, _messages[i].timestamp());
		                 },
		                 n);
		report("json", "JsonWriter::appendTimestamp", ts, "ns/call");
	}

	void benchGzip()
	{
		// The same batch bodies the sink builds (100 events), compressed at the sink's level.
		const std::size_t batch = 100;
		std::vector<std::string> bodies;
		for (std::size_t b = 0; b + batch <= _messages.size(); b += batch)
		{
			std::string events;
			for (std::size_t i = b; i < b + batch; ++i)
			{
				if (i != b)
					events.push_back(',');
				PostHog::EventSerializer::append(events, _messages[i], false);
			}
			bodies.push_back(std::move(events));
		}
		const double n = static_cast<double>(bodies.size() * batch);
		const std::string head = "{\"api_key\":\"phc_benchmark_key\",\"batch\":[";
		const std::string tail = "],\"sent_at\":\"2026-11-27T10:00:00.000Z\"}";
		for (int level : {1, 6})
		{
			std::string gz;
			std::size_t gzBytes = 0;
			double poco = best([&] { gzBytes = 0; },
			                   [&]
			                   {
				                   for (const auto& b : bodies)
				                   {
					                   PostHog::GzipWriter::compress(head, b, tail, gz, level);
					                   gzBytes += gz.size();
				                   }
			                   },
			                   n);
			z_stream z{};
			deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
			std::string whole, out;
			double raw = best([] {},
			                  [&]
			                  {
				                  for (const auto& b : bodies)
				                  {
					                  whole.assign(head).append(b).append(tail);
					                  deflateReset(&z);
					                  out.resize(deflateBound(&z, whole.size()));
					                  z.next_in = reinterpret_cast<Bytef*>(&whole[0]);
					                  z.avail_in = static_cast<uInt>(whole.size());
					                  z.next_out = reinterpret_cast<Bytef*>(&out[0]);
					                  z.avail_out = static_cast<uInt>(out.size());
					                  deflate(&z, Z_FINISH);
				                  }
			                  },
			                  n);
			deflateEnd(&z);
			std::string l = "level " + std::to_string(level);
			report("gzip", "GzipWriter::compress, " + l, poco, "ns/event", "what the sink runs");
			report("gzip", "raw zlib deflate, " + l, raw, "ns/event", "the physical limit's gzip");
			report("gzip", "gzip bytes, " + l, static_cast<double>(gzBytes) / n, "B/event");
		}
	}

	void benchChain()
	{
		const double n = _events;
		std::vector<Message> work;
		auto fresh = [&] { work = _messages; };
		Poco::Util::MapConfiguration::Ptr empty = new Poco::Util::MapConfiguration;
		PostHog::MiddlewareContext context(Poco::Logger::get("PostHog"));
		{
			PostHog::MiddlewareRegistry none;
			auto p = PostHog::Pipeline::build(*empty, none, context);
			double t = best(
			    fresh,
			    [&]
			    {
				    for (auto& m : work)
					    p->process(m);
			    },
			    n);
			report("chain", "empty chain, process()", t, "ns/message", "the worker skips it when empty");
		}
		for (unsigned stages : {1u, 4u, 8u})
		{
			PostHog::MiddlewareRegistry registry;
			std::vector<PostHog::Middleware::Ptr> direct;
			for (unsigned s = 0; s < stages; ++s)
			{
				PostHog::Middleware::Ptr m(new NoopMiddleware);
				registry.add("noop" + std::to_string(s + 1), m);
				direct.push_back(m);
			}
			auto p = PostHog::Pipeline::build(*empty, registry, context);
			double chained = best(
			    fresh,
			    [&]
			    {
				    for (auto& m : work)
					    p->process(m);
			    },
			    n);
			volatile bool passed = true;
			double called = best(
			    fresh,
			    [&]
			    {
				    for (auto& m : work)
					    for (auto& d : direct)
						    passed = d->process(m).passed();
			    },
			    n);
			std::string k = std::to_string(stages) + " no-op stage" + (stages > 1 ? "s" : "");
			report("chain", k + " via Pipeline", chained, "ns/message");
			report("chain", k + " called directly", called, "ns/message");
			report("chain", k + ": overhead per stage", (chained - called) / stages, "ns/stage");
			if (stages == 1)
				_oneNoop = chained;
		}
	}

	static void copyTree(const Poco::Util::AbstractConfiguration& from, const std::string& key,
	                     Poco::Util::MapConfiguration& to)
	/// Copies key and every key below it.
	{
		if (from.has(key))
			to.setString(key, from.getRawString(key));
		Poco::Util::AbstractConfiguration::Keys children;
		from.keys(key, children);
		for (const auto& child : children)
			copyTree(from, key + "." + child, to);
	}

	void benchStages()
	{
		const double n = _events;
		std::string file = _pipelineFile;
		if (file.empty() && *POSTHOG_SOURCE_DIR)
		{
			std::string def = std::string(POSTHOG_SOURCE_DIR) + "/config/pipeline.xml";
			if (Poco::File(def).exists())
				file = def;
		}
		Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
		Poco::AutoPtr<Poco::Util::MapConfiguration> top = new Poco::Util::MapConfiguration;
		config->add(Poco::Util::AbstractConfiguration::Ptr(top, true), -100, false);
		if (!file.empty())
		{
			if (file.size() > 4 && file.compare(file.size() - 4, 4, ".xml") == 0)
				config->add(new Poco::Util::XMLConfiguration(file), 0, false);
			else
				config->add(new Poco::Util::PropertyFileConfiguration(file), 0, false);
		}
		std::string stages =
		    config->getString("posthog.pipeline.stages", "validation, enrichment, sampling, pii");
		std::cout << "stages from " << (file.empty() ? std::string("built-in defaults") : file) << ": "
		          << stages << "\n";
		PostHog::MiddlewareContext context(Poco::Logger::get("PostHog"));
		PostHog::MiddlewareRegistry none;
		std::vector<Message> work;
		auto fresh = [&] { work = _messages; };
		std::vector<std::string> names;
		{
			std::istringstream in(stages);
			std::string s;
			while (std::getline(in, s, ','))
			{
				s.erase(0, s.find_first_not_of(" \t\n"));
				s.erase(s.find_last_not_of(" \t\n") + 1);
				if (!s.empty())
					names.push_back(s);
			}
		}
		for (const auto& name : names)
		{
			// A configuration with this stage's section only: a section that the stage list
			// does not name stops Pipeline::build.
			Poco::AutoPtr<Poco::Util::MapConfiguration> single = new Poco::Util::MapConfiguration;
			copyTree(*config, "posthog.pipeline." + name, *single);
			if (config->has("posthog.pipeline.pluginPath"))
				single->setString("posthog.pipeline.pluginPath",
				                  config->getString("posthog.pipeline.pluginPath"));
			single->setString("posthog.pipeline.stages", name);
			try
			{
				auto p = PostHog::Pipeline::build(*single, none, context);
				std::size_t passed = 0;
				double t = best(
				    fresh,
				    [&]
				    {
					    passed = 0;
					    for (auto& m : work)
						    passed += p->process(m).passed ? 1 : 0;
				    },
				    n);
				report("stages", name + " (net of the chain)", t - _oneNoop, "ns/message",
				       std::to_string(passed) + "/" + std::to_string(work.size()) + " passed");
			}
			catch (Poco::Exception& e)
			{
				std::cout << "stages: " << name << ": unavailable: " << e.message() << "\n";
			}
		}
		top->setString("posthog.pipeline.stages", stages);
		try
		{
			auto p = PostHog::Pipeline::build(*config, none, context);
			double t = best(
			    fresh,
			    [&]
			    {
				    for (auto& m : work)
					    p->process(m);
			    },
			    n);
			report("stages", "whole chain: " + stages, t, "ns/message");
		}
		catch (Poco::Exception& e)
		{
			std::cout << "stages: whole chain: unavailable: " << e.message() << "\n";
		}
	}

	void benchCapture()
	{
		// The caller's side of capture(): the worker runs (and writes JSON) on the other core;
		// batches are never due (size 100000, interval 1 h) and the host refuses connections, so
		// no network work competes. Properties are made before the clock starts.
		PostHog::ClientOptions o;
		o.apiKey = "phc_benchmark_key";
		o.host = "http://127.0.0.1:1";
		o.batchSize = 100000;
		o.batchInterval = Poco::Timespan(3600, 0);
		o.queueCapacity = 10 * _events + 1;
		o.maxRetries = 0;
		o.onError = [](const PostHog::ClientError&) {};
		PostHog::Client client(o);
		const std::string name(BenchEvent::kEventName);
		std::vector<BenchEvent> events(_events);
		std::vector<std::uint64_t> lat(_events);
		double bestAmortised = 0, bestP50 = 0, bestP99 = 0, bestMean = 0;
		for (unsigned round = 0; round < _rounds; ++round)
		{
			Mulberry32 r(1);
			for (auto& e : events)
				BenchEvent::make(r, 10000, e);
			std::int64_t t0 = monoNs();
			for (auto& e : events)
				client.capture(e.distinctId, name, std::move(e.properties));
			double amortised = static_cast<double>(monoNs() - t0) / _events;
			r = Mulberry32(1);
			for (auto& e : events)
				BenchEvent::make(r, 10000, e);
			std::int64_t sum = 0;
			for (unsigned i = 0; i < _events; ++i)
			{
				std::int64_t a = monoNs();
				client.capture(events[i].distinctId, name, std::move(events[i].properties));
				lat[i] = static_cast<std::uint64_t>(monoNs() - a);
				sum += static_cast<std::int64_t>(lat[i]);
			}
			std::sort(lat.begin(), lat.end());
			double p50 = static_cast<double>(lat[lat.size() / 2]);
			double p99 = static_cast<double>(lat[lat.size() * 99 / 100]);
			double mean = static_cast<double>(sum) / _events;
			if (round == 0 || amortised < bestAmortised)
				bestAmortised = amortised;
			if (round == 0 || p50 < bestP50)
			{
				bestP50 = p50;
				bestP99 = p99;
				bestMean = mean;
			}
		}
		client.shutdown(Poco::Timespan(0));
		report("capture", "capture() amortised, no per-call clock", bestAmortised, "ns/call", "wall");
		report("capture", "capture() p50, timed per call", bestP50, "ns", "wall, incl. ~1 clock read");
		report("capture", "capture() p99", bestP99, "ns");
		report("capture", "capture() mean", bestMean, "ns");
	}

	void benchFlags()
	{
		// One getFeatureFlag for a flag with three property filters, decided locally from a
		// definitions file (no network), $feature_flag_called off: the caller's whole cost.
		Poco::TemporaryFile file;
		{
			Poco::FileOutputStream out(file.path());
			out << R"({"flags":[{"id":1,"key":"three-filters","active":true,"filters":{"groups":[{"properties":[)"
			       R"({"key":"plan","value":["pro","enterprise"],"operator":"exact","type":"person"},)"
			       R"({"key":"seats","value":10,"operator":"gt","type":"person"},)"
			       R"({"key":"email","value":"@example.com","operator":"icontains","type":"person"}],)"
			       R"("rollout_percentage":100}]}}],"group_type_mapping":{},"cohorts":{}})";
		}
		PostHog::ClientOptions o;
		o.apiKey = "phc_benchmark_key";
		o.host = "http://127.0.0.1:1";
		o.flagsDefinitionsFile = file.path();
		o.onError = [](const PostHog::ClientError&) {};
		PostHog::Client client(o);
		PostHog::FlagOptions options;
		options.sendFeatureFlagEvents = false;
		options.personProperties =
		    PostHog::Properties{{"plan", "pro"}, {"seats", 25}, {"email", "ada@example.com"}};
		const std::string id = "user-42";
		std::vector<std::uint64_t> lat(_events);
		double bestP50 = 0;
		unsigned on = 0;
		for (unsigned round = 0; round < _rounds; ++round)
		{
			for (unsigned i = 0; i < _events; ++i)
			{
				std::int64_t a = monoNs();
				on += client.getFeatureFlag("three-filters", id, options).isEnabled() ? 1 : 0;
				lat[i] = static_cast<std::uint64_t>(monoNs() - a);
			}
			std::sort(lat.begin(), lat.end());
			double p50 = static_cast<double>(lat[lat.size() / 2]);
			if (round == 0 || p50 < bestP50)
				bestP50 = p50;
		}
		if (on != _events * _rounds)
			throw Poco::AssertionViolationException(
			    "getFeatureFlag did not decide the benchmark flag locally");
		client.shutdown(Poco::Timespan(0));
		report("flags", "getFeatureFlag() p50, 3 property filters, local", bestP50, "ns",
		       "wall, incl. ~1 clock read; called-events off");
	}

	unsigned _events = 20000;
	unsigned _rounds = 5;
	std::string _only;
	std::string _pipelineFile;
	bool _help = false;
	std::vector<Message> _messages;
	double _oneNoop = 0;
	Poco::JSON::Object::Ptr _json;
};

} // namespace

POCO_APP_MAIN(MicroBench)
