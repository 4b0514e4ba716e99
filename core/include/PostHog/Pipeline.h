//
// Pipeline.h
//
// The ordered chain of middleware stages, built from configuration or in code.
//

#ifndef PostHog_Pipeline_INCLUDED
#define PostHog_Pipeline_INCLUDED

#include "Poco/Mutex.h"
#include "PostHog/Middleware.h"
#include "PostHog/MiddlewareRegistry.h"
#include "PostHog/PostHog.h"
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace Poco
{
namespace Util
{
class AbstractConfiguration;
}
} // namespace Poco

namespace PostHog
{

class MiddlewareContext;
class PluginLoader;

class PostHog_API Pipeline
/// Runs each message through the stages in order. Built by build() from
///
///     posthog.pipeline.stages     = validation, enrichment, sampling, pii
///     posthog.pipeline.pluginPath = /opt/plugins:/usr/lib/x/plugins
///     posthog.pipeline.<stage>.library = PostHogSampling   (base name, or an absolute path)
///     posthog.pipeline.<stage>.class   = SamplingMiddleware
///     posthog.pipeline.<stage>.onError = drop | pass
///     posthog.pipeline.<stage>.<option> = ...
///
/// A stage with no library or class key is, in this order: middleware registered in code
/// under that name, or one of the built-in plugins named validation, enrichment, sampling or
/// pii. Registered middleware that the stages key does not name runs after the listed stages,
/// in registration order. The same stage class may appear twice under different names.
///
/// process() is called by one thread at a time (see Middleware). statistics() may be called
/// from any thread at any time.
{
public:
	struct StageStatistics
	/// Counters of one stage since the pipeline was built.
	{
		std::string name; /// the stage's name in the chain
		std::string kind; /// Middleware::name()
		std::uint64_t in = 0;
		std::uint64_t passed = 0;
		std::uint64_t dropped = 0;
		std::uint64_t errors = 0; /// exceptions thrown by process()
		double seconds = 0;       /// time spent in process() (timed on 1 message in 16, scaled)
		std::map<std::string, std::uint64_t>
		    dropReasons; /// at most 100 reasons; later ones count as "(other reasons)"
	};

	struct DropReason
	/// Why a message was dropped, in parts, so that no caller parses a text for them.
	{
		std::string stage;  /// the stage's name in the chain ("validation", or "strict" for a second one)
		std::string kind;   /// what the stage is: its Middleware::name() ("validation", "sampling")
		std::string reason; /// the reason the stage gave (Result::drop), or "stage error: ..." when it threw
	};

	struct Outcome
	/// What process() did to one message.
	{
		bool passed = true;
		std::string droppedBy; /// stage name, when dropped (the same as drop.stage)
		std::string reason;    /// drop reason, when dropped (the same as drop.reason)
		DropReason drop;       /// the stage, its kind and the reason, when dropped
	};

	class Observer
	/// Sees every stage's effect on a message (posthog-send --explain). Slow path only.
	{
	public:
		virtual ~Observer();
		virtual void stageDone(const std::string& stage, const Message& before, const Message& after,
		                       const Middleware::Result& result, const std::string& error) = 0;
		/// `error` is the exception text when the stage threw, else empty.
	};

	Pipeline();
	~Pipeline();
	/// Destroys every stage before unloading the plugin libraries.

	static std::unique_ptr<Pipeline> build(const Poco::Util::AbstractConfiguration& config,
	                                       const MiddlewareRegistry& registry, MiddlewareContext& context);
	/// Builds the chain from the posthog.pipeline.* keys of config (an empty chain when there
	/// is no stages key and nothing registered). Throws PluginException or
	/// ConfigurationException with a one-sentence message naming what and where.

	void add(const std::string& stageName, Middleware::Ptr middleware, Middleware::OnError onError);
	/// Appends an already configured stage. Only while no other thread uses the pipeline:
	/// a Client's pipeline is complete before its worker starts, and Client::pipeline() gives
	/// read-only access to it.

	Outcome process(Message& message, Observer* observer = nullptr);
	/// Runs the message through every stage until one drops it. Never throws.

	std::vector<StageStatistics> statistics() const;
	std::size_t size() const noexcept { return _stages.size(); }
	std::vector<std::string> stageNames() const;

	using ErrorHandler = std::function<void(const std::string& stage, const std::string& message)>;
	void setErrorHandler(ErrorHandler handler);
	/// Told (on the processing thread) when a stage throws; the Client reports it as
	/// ClientError::StageError. Set before the pipeline processes its first message.

	void setObserver(Observer* observer) const;
	/// The observer of every process() call that passes none, i.e. of the Client's worker, so a
	/// tool can watch a running client (posthog-send --explain). Set it before the first message
	/// is queued; it is called on the processing thread and must outlive that use. Null removes
	/// it. An observer copies each message before every stage: a slow path. Safe from any
	/// thread (the observer is one atomic pointer, which is why a const pipeline takes it).

	static std::vector<std::string> pluginDirectories(const Poco::Util::AbstractConfiguration& config);
	/// The directories plugins are loaded from, in search order: posthog.pipeline.pluginPath
	/// (':'-separated or a JSON array; every entry must be absolute) and then
	/// defaultPluginDirectories(), each once. build() and posthog-send --list-plugins both use it.

	static std::vector<std::string> defaultPluginDirectories();
	/// The directories searched after posthog.pipeline.pluginPath: the plugin directory next to
	/// the installed library (<libdir>/posthog-cpp/plugins), the build tree's plugin directory
	/// when running from the build tree, and the directory of the running executable. All
	/// absolute, none derived from the working directory.

private:
	struct Stage
	/// One link of the chain: the middleware, its on-error policy and its counters.
	{
		std::string name;
		std::string kind;
		Middleware::Ptr middleware;
		Middleware::OnError onError = Middleware::OnError::Drop;
		// Written by the processing thread only, read by statistics() from any thread.
		std::atomic<std::uint64_t> in{0};
		std::atomic<std::uint64_t> passed{0};
		std::atomic<std::uint64_t> dropped{0};
		std::atomic<std::uint64_t> errors{0};
		std::atomic<std::uint64_t> nanos{0};
		std::map<std::string, std::uint64_t> dropReasons; // guarded by _statsMutex
	};

	Middleware::Result runStage(Stage& stage, Message& message, const Message* before, std::string& error);
	/// Calls the stage. When it throws: error says what, the error is counted and reported,
	/// the message is put back as it came in (before, or a per-thread copy kept for a
	/// fail-open stage) and the result is the stage's onError outcome.

	void countDrop(Stage& stage, const std::string& reason);

	std::unique_ptr<PluginLoader> _loader; // destroyed after the stages (see ~Pipeline)
	std::vector<std::unique_ptr<Stage>> _stages;
	mutable Poco::FastMutex _statsMutex;
	ErrorHandler _errorHandler;
	mutable std::atomic<Observer*> _observer{nullptr};
};

} // namespace PostHog

#endif // PostHog_Pipeline_INCLUDED
