//
// Middleware.h
//
// The plugin interface: one stage of the pipeline between the queue and the batching sink.
//

#ifndef PostHog_Middleware_INCLUDED
#define PostHog_Middleware_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Message.h"
#include "PostHog/OptionSpec.h"
#include "Poco/SharedPtr.h"
#include <string>

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

class PostHog_API Middleware
/// A stage of the pipeline. Every message that leaves the queue passes through the stages in
/// the order of posthog.pipeline.stages; each may edit it and pass it on, or drop it with a
/// reason. A plugin author writes one subclass:
///
///     class TagMiddleware : public PostHog::Middleware
///     {
///     public:
///         std::string name() const override { return "tag"; }
///         const PostHog::OptionTable& options() const override
///         {
///             static const PostHog::OptionTable table = {
///                 {"value", PostHog::OptionSpec::String, "blue", "the tag to add"}};
///             return table;
///         }
///         void configure(const Poco::Util::AbstractConfiguration& config) override
///         {
///             _value = config.getString("value"); // the default comes from the table
///         }
///         Result process(PostHog::Message& message) override
///         {
///             message.properties().set("tag", _value);
///             return Result::pass();
///         }
///     private:
///         std::string _value;
///     };
///
///     POCO_BEGIN_MANIFEST(PostHog::Middleware)
///         POCO_EXPORT_CLASS(TagMiddleware)
///     POCO_END_MANIFEST
///
/// and builds it as a shared library against PostHog::Core. Including this header records the
/// interface version in the library (the posthogMiddlewareAbiVersion symbol below); the
/// pipeline refuses a library built against another version instead of crashing on it.
///
/// Lifecycle: the pipeline creates the instance, calls attach() and configure() once, then
/// process() for every message, and destroys the instance before it unloads the library.
///
/// Thread safety: the pipeline never calls process() on one instance from two threads at once
/// (the worker thread calls it; in sync mode the Client serialises the calls), so a stage
/// needs no locking of its own state. configure() happens-before the first process().
///
/// Errors: an exception thrown by process() never reaches the application or stops the
/// worker. The pipeline counts it and applies the stage's on-error policy (key
/// posthog.pipeline.<stage>.onError = drop | pass; default from defaultOnError()): a privacy
/// stage fails closed (drop), an enrichment stage fails open (pass).
{
public:
	using Ptr = Poco::SharedPtr<Middleware>;

	class PostHog_API Result
	/// What process() decided: pass the message on, or drop it with a reason.
	{
	public:
		static Result pass() noexcept { return Result(); }
		static Result drop(std::string reason) { return Result(std::move(reason)); }
		bool passed() const noexcept { return _passed; }
		const std::string& reason() const noexcept { return _reason; }

	private:
		Result() noexcept : _passed(true) {}
		explicit Result(std::string reason) : _passed(false), _reason(std::move(reason)) {}
		bool _passed;
		std::string _reason;
	};

	enum class OnError
	{
		Drop, /// fail closed: a message the stage could not process is dropped
		Pass  /// fail open: it goes on unchanged by this stage
	};

	Middleware();
	virtual ~Middleware();

	Middleware(const Middleware&) = delete;
	Middleware& operator=(const Middleware&) = delete;

	virtual std::string name() const = 0;
	/// The kind of stage ("sampling"). The stage's name in the chain (its key in
	/// posthog.pipeline.stages) is chosen by the configuration and may differ.

	virtual const OptionTable& options() const;
	/// The options this stage accepts (none by default). The pipeline checks the configuration
	/// against this table before configure(): an unknown key, or a value of the wrong type
	/// or range, is a ConfigurationException naming stage, key and value.

	virtual void attach(MiddlewareContext& context);
	/// Called once before configure(), with the client's shared context (super properties set
	/// in code, the logger). The context outlives the stage. Default: nothing.

	virtual void configure(const Poco::Util::AbstractConfiguration& config);
	/// Called once with a view of posthog.pipeline.<stage>.* in which every option of
	/// options() has a value (its default when the configuration does not set it). Throw
	/// ConfigurationException for a bad combination; it reaches the user prefixed with the
	/// stage's name ("stage 'x': ..."). PostHog::ConfigMap reads lists and maps. Default: nothing.

	virtual Result process(Message& message) = 0;
	/// Pass the message on (possibly edited) or drop it. May throw; see the class comment.

	virtual OnError defaultOnError() const;
	/// The on-error policy when the configuration sets none. Default: Drop (fail closed).
};

} // namespace PostHog

extern "C" __attribute__((weak, visibility("default"))) unsigned posthogMiddlewareAbiVersion()
/// The middleware interface version this library was compiled against. Defined (weakly) in
/// every library that includes this header; the pipeline reads it from a plugin before
/// loading its classes.
{
	return POSTHOG_MIDDLEWARE_ABI_VERSION;
}

#endif // PostHog_Middleware_INCLUDED
