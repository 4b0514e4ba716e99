//
// Pipeline.cpp
//

#include "PostHog/Pipeline.h"
#include "Poco/File.h"
#include "Poco/Logger.h"
#include "Poco/Path.h"
#include "pipeline/PipelineBuilder.h"
#include "pipeline/PluginLoader.h"
#include <chrono>
#include <dlfcn.h>
#include <set>
#include <unistd.h>

namespace PostHog
{

namespace
{

// Time is measured on one message in kTimingPeriod per stage and scaled up: two clock reads per
// stage per message would cost more than a cheap stage itself.
constexpr std::uint64_t kTimingPeriod = 16;

// Distinct drop reasons counted per stage; later ones are counted together.
constexpr std::size_t kMaxDropReasons = 100;

template<typename T>
void bump(std::atomic<T>& counter, T by = 1)
{
	// Single writer (see Middleware's thread-safety contract): no locked instruction needed.
	counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

} // namespace

Pipeline::Observer::~Observer() = default;

Pipeline::Pipeline() = default;

Pipeline::~Pipeline()
{
	// Instances first, libraries after (unloading code that live objects use crashes).
	_stages.clear();
	_loader.reset();
}

std::vector<std::string> Pipeline::defaultPluginDirectories()
{
	std::vector<std::string> dirs;
	Dl_info info;
	if (dladdr(reinterpret_cast<void*>(&Pipeline::defaultPluginDirectories), &info) && info.dli_fname)
	{
		Poco::Path lib(info.dli_fname);
		lib.makeAbsolute();
		Poco::Path dir = lib.parent();
		dir.pushDirectory("posthog-cpp");
		dir.pushDirectory("plugins");
		dirs.push_back(dir.toString());
	}
	try
	{
		char buf[4096];
		ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
		if (n > 0)
		{
			buf[n] = 0;
			Poco::Path exeDir = Poco::Path(std::string(buf)).parent();
			Poco::Path installed(exeDir);
			installed.popDirectory();
			installed.pushDirectory("lib");
			installed.pushDirectory("posthog-cpp");
			installed.pushDirectory("plugins");
			dirs.push_back(installed.toString());
			dirs.push_back(exeDir.toString());
		}
	}
	catch (...)
	{
	}
	std::vector<std::string> unique;
	std::set<std::string> seen;
	for (const auto& d : dirs)
	{
		if (seen.insert(d).second)
			unique.push_back(d);
	}
	return unique;
}

std::unique_ptr<Pipeline> Pipeline::build(const Poco::Util::AbstractConfiguration& config,
                                          const MiddlewareRegistry& registry, MiddlewareContext& context)
{
	std::unique_ptr<Pipeline> pipeline(new Pipeline);
	PipelineBuilder builder(config, registry, context);
	pipeline->_loader.reset(
	    new PluginLoader(PipelineBuilder::pluginDirectories(config), PipelineBuilder::allowInsecure(config)));
	builder.build(*pipeline, *pipeline->_loader);
	return pipeline;
}

std::vector<std::string> Pipeline::pluginDirectories(const Poco::Util::AbstractConfiguration& config)
{
	return PipelineBuilder::pluginDirectories(config);
}

void Pipeline::add(const std::string& stageName, Middleware::Ptr middleware, Middleware::OnError onError)
{
	std::unique_ptr<Stage> stage(new Stage);
	stage->name = stageName;
	stage->middleware = std::move(middleware);
	stage->onError = onError;
	stage->kind = stage->middleware->name();
	Poco::FastMutex::ScopedLock lock(_statsMutex);
	_stages.push_back(std::move(stage));
}

void Pipeline::setErrorHandler(ErrorHandler handler)
{
	_errorHandler = std::move(handler);
}

void Pipeline::setObserver(Observer* observer) const
{
	_observer.store(observer, std::memory_order_release);
}

Pipeline::Outcome Pipeline::process(Message& message, Observer* observer)
{
	if (!observer)
		observer = _observer.load(std::memory_order_acquire);
	Outcome outcome;
	for (auto& stagePtr : _stages)
	{
		Stage& stage = *stagePtr;
		std::uint64_t seen = stage.in.load(std::memory_order_relaxed);
		bump(stage.in);
		bool timed = (seen % kTimingPeriod) == 0;
		std::chrono::steady_clock::time_point start;
		if (timed)
			start = std::chrono::steady_clock::now();
		std::unique_ptr<Message> before;
		if (observer)
			before.reset(new Message(message));
		std::string error;
		Middleware::Result result = runStage(stage, message, before.get(), error);
		if (timed)
		{
			auto ns =
			    std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
			        .count();
			bump(stage.nanos, static_cast<std::uint64_t>(ns) * kTimingPeriod);
		}
		if (observer)
			observer->stageDone(stage.name, *before, message, result, error);
		if (!result.passed())
		{
			countDrop(stage, result.reason());
			outcome.passed = false;
			outcome.droppedBy = stage.name;
			outcome.reason = result.reason();
			outcome.drop = DropReason{stage.name, stage.kind, result.reason()};
			return outcome;
		}
		bump(stage.passed);
	}
	return outcome;
}

Middleware::Result Pipeline::runStage(Stage& stage, Message& message, const Message* before,
                                      std::string& error)
{
	// A fail-open stage that throws must let the message go on unchanged by it (the
	// Middleware contract), so its input is kept. The copy goes into a per-thread buffer
	// whose capacity is reused, so it allocates only while events keep growing.
	thread_local Message backup;
	bool keep = stage.onError == Middleware::OnError::Pass && !before;
	if (keep)
		backup = message;
	try
	{
		return stage.middleware->process(message);
	}
	catch (Poco::Exception& e)
	{
		error = e.displayText();
	}
	catch (std::exception& e)
	{
		error = e.what();
	}
	catch (...)
	{
		error = "unknown exception";
	}
	bump(stage.errors);
	bool drop = stage.onError == Middleware::OnError::Drop;
	std::string text = "stage '" + stage.name + "' threw on event '" + message.event() + "': " + error +
	                   (drop ? "; the message was dropped (onError = drop)"
	                         : "; the message went on unchanged by this stage (onError = pass)");
	if (before)
		message = *before;
	else if (keep)
		std::swap(message, backup);
	if (_errorHandler)
		_errorHandler(stage.name, text);
	return drop ? Middleware::Result::drop("stage error: " + error) : Middleware::Result::pass();
}

void Pipeline::countDrop(Stage& stage, const std::string& reason)
{
	bump(stage.dropped);
	Poco::FastMutex::ScopedLock lock(_statsMutex);
	// Reasons may quote event names: bound the table so hostile input cannot grow it.
	auto it = stage.dropReasons.find(reason);
	if (it != stage.dropReasons.end())
		++it->second;
	else if (stage.dropReasons.size() < kMaxDropReasons)
		stage.dropReasons.emplace(reason, 1);
	else
		++stage.dropReasons["(other reasons)"];
}

std::vector<Pipeline::StageStatistics> Pipeline::statistics() const
{
	std::vector<StageStatistics> out;
	Poco::FastMutex::ScopedLock lock(_statsMutex);
	for (const auto& s : _stages)
	{
		StageStatistics st;
		st.name = s->name;
		st.kind = s->kind;
		st.in = s->in.load(std::memory_order_relaxed);
		st.passed = s->passed.load(std::memory_order_relaxed);
		st.dropped = s->dropped.load(std::memory_order_relaxed);
		st.errors = s->errors.load(std::memory_order_relaxed);
		st.seconds = static_cast<double>(s->nanos.load(std::memory_order_relaxed)) / 1e9;
		st.dropReasons = s->dropReasons;
		out.push_back(std::move(st));
	}
	return out;
}

std::vector<std::string> Pipeline::stageNames() const
{
	std::vector<std::string> names;
	for (const auto& s : _stages)
		names.push_back(s->name);
	return names;
}

} // namespace PostHog
