//
// TlsContext.h
//
// The TLS client context of the capture connections.
//

#ifndef PostHog_TlsContext_INCLUDED
#define PostHog_TlsContext_INCLUDED

#include "Poco/Net/Context.h"
#include <string>

namespace PostHog
{

struct ClientOptions;

class TlsContext
/// Makes the TLS client context (certificates verified strictly unless posthog.http.verify is
/// false, CAs from posthog.http.caFile or the system store) and remembers, per thread, why the
/// last handshake refused a certificate: the exception that reaches the caller says only
/// "certificate verify failed". Nothing ever asks on standard input.
{
public:
	static Poco::Net::Context::Ptr make(const ClientOptions& options);
	/// Null for http hosts. Throws ConfigurationException when caFile cannot be loaded.

	static void clearFailure();
	/// Before a request on this thread.

	static const std::string& failure();
	/// Why certificates were refused during this thread's last handshake; empty when none was.
};

} // namespace PostHog

#endif // PostHog_TlsContext_INCLUDED
