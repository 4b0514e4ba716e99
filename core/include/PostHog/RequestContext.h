//
// RequestContext.h
//
// What PostHog knows about the request a thread is serving: distinct id, session id, properties.
//

#ifndef PostHog_RequestContext_INCLUDED
#define PostHog_RequestContext_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <string>

namespace Poco
{
namespace Net
{
class HTTPServerRequest;
}
} // namespace Poco

namespace PostHog
{

class PostHog_API RequestContext
/// The analytics context of one incoming request, read by Client::capture(), pageview(),
/// captureException() and the flag calls when they are called without a distinct id on a thread
/// that is inside a RequestScope:
///
///     PostHog::RequestScope scope(PostHog::RequestContext::fromRequest(request));
///     client.capture("", "report exported");   // distinct id and $session_id from the headers
///
/// Explicit arguments always win: a distinct id passed to capture() replaces the context's, and
/// a property the caller set (including $session_id) is never overwritten by the context's.
/// Without a distinct id anywhere, capture() sends the event personless under a generated id.
///
/// fromRequest() reads the X-POSTHOG-DISTINCT-ID and X-POSTHOG-SESSION-ID tracing headers (any
/// casing), sanitised with sanitize(), plus $request_method, $request_path, $current_url and
/// $user_agent. Tracing headers come from the client: they are analytics context only, never
/// evidence of who the caller is.
{
public:
	static constexpr std::size_t kMaxValueLength = 1000;

	RequestContext() = default;
	RequestContext(std::string distinctId, std::string sessionId, Properties properties = Properties());

	const std::string& distinctId() const noexcept { return _distinctId; }
	/// Empty when the request carried none.
	const std::string& sessionId() const noexcept { return _sessionId; }
	/// Empty when the request carried none; sent as $session_id.
	const Properties& properties() const noexcept { return _properties; }
	/// Added to every event captured in the scope (the caller's properties win).

	void setDistinctId(const std::string& distinctId);
	void setSessionId(const std::string& sessionId);
	/// Both store sanitize(value): a value that sanitises to nothing is treated as missing.
	Properties& properties() noexcept { return _properties; }

	void applyTo(Properties& properties) const;
	/// Adds $session_id and the context properties that properties does not have yet.

	static RequestContext fromRequest(const Poco::Net::HTTPServerRequest& request);
	/// The context of a Poco HTTP server request. Never throws.

	static std::string sanitize(const std::string& value);
	/// Trims surrounding whitespace, removes control characters and caps the result at
	/// kMaxValueLength bytes (never inside a UTF-8 sequence). An empty result means "missing".

	static const RequestContext* current() noexcept;
	/// The context of the innermost RequestScope on this thread, or nullptr outside any.

private:
	std::string _distinctId;
	std::string _sessionId;
	Properties _properties;
};

} // namespace PostHog

#endif // PostHog_RequestContext_INCLUDED
