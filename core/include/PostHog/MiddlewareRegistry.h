//
// MiddlewareRegistry.h
//
// Middleware registered in code, placed in the chain by name.
//

#ifndef PostHog_MiddlewareRegistry_INCLUDED
#define PostHog_MiddlewareRegistry_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Middleware.h"
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace PostHog
{

class PostHog_API MiddlewareRegistry
/// Stages an application provides in code, for statically linked programs that load no .so
/// and for before_send hooks:
///
///     ClientOptions options;
///     options.middleware.add("scrub", new MyScrubber);          // a Middleware object
///     options.middleware.addFunction("before_send", [](Message& m) {
///         if (m.event() == "secret") return false;              // drop
///         m.properties().set("checked", true);                  // modify
///         return true;                                          // pass
///     });
///
/// Name a registered stage in posthog.pipeline.stages to place it; unnamed ones run after the
/// configured stages, in registration order. A function that throws drops the message and
/// logs a warning (sdk-specs' before_send contract); a Middleware object follows its
/// on-error policy. Registered objects are configured from posthog.pipeline.<name>.* like
/// loaded ones.
///
/// A registered object is shared, not copied: when several clients are built from copies of
/// the same ClientOptions, their workers may call it at the same time, so such an object must
/// be thread-safe (a function registered with addFunction() must be too). Register a fresh
/// object per client otherwise.
{
public:
	using Function = std::function<bool(Message&)>;

	void add(const std::string& name, Middleware::Ptr middleware);
	void add(const std::string& name, Middleware* middleware) { add(name, Middleware::Ptr(middleware)); }
	void addFunction(const std::string& name, Function function);

	Middleware::Ptr find(const std::string& name) const;
	/// Null when nothing is registered under name.

	const std::vector<std::pair<std::string, Middleware::Ptr>>& entries() const noexcept { return _entries; }
	bool empty() const noexcept { return _entries.empty(); }

private:
	std::vector<std::pair<std::string, Middleware::Ptr>> _entries;
};

} // namespace PostHog

#endif // PostHog_MiddlewareRegistry_INCLUDED
