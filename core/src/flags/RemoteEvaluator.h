//
// RemoteEvaluator.h
//
// Asks PostHog to evaluate flags: POST {host}/flags/?v=2.
//

#ifndef PostHog_RemoteEvaluator_INCLUDED
#define PostHog_RemoteEvaluator_INCLUDED

#include "PostHog/FlagValue.h"
#include "PostHog/Properties.h"
#include "flags/FlagsHttp.h"
#include <atomic>
#include <map>
#include <string>
#include <vector>

namespace PostHog
{

class RemoteEvaluator
/// Builds the /flags request of the official SDKs (project key in the body, distinct id,
/// groups, person and group properties, geoip_disable, flag_keys_to_evaluate), sends it with the
/// flags retry policy (transport errors, 502 and 504 only; 300 ms then doubling) and parses the
/// v2 answer (and the legacy v1 one). Payloads arrive as JSON-encoded strings: they are
/// decoded, and one that does not parse is treated as missing. Never throws. Thread-safe.
{
public:
	struct Request
	{
		std::string distinctId;
		std::string deviceId;
		std::map<std::string, std::string> groups;
		Properties personProperties;
		std::map<std::string, Properties> groupProperties;
		std::vector<std::string> flagKeys; /// empty: every flag
		bool disableGeoip = true;
	};

	struct Flag
	{
		FlagValue value;
		std::string payload; /// decoded payload as compact JSON, or empty
		std::string reason;
		long id = 0;
		long version = 0;
		signed char hasExperiment = -1; /// metadata.has_experiment: 1, 0, or -1 when not reported
	};

	struct Response
	{
		std::map<std::string, Flag> flags; /// the flags PostHog decided (failed ones left out)
		std::string requestId;
		std::string error; /// "", "errors_while_computing_flags", "quota_limited", "timeout", ...
		bool minimalFlagCalledEvents = false; /// the server's gate: minimalFlagCalledEvents: true
		bool ok() const noexcept { return error.empty() || error == "errors_while_computing_flags"; }
	};

	RemoteEvaluator(const FlagsHttp& http, std::string projectKey, Poco::Timespan timeout, int retries);

	Response evaluate(const Request& request) const;
	static std::string body(const Request& request, const std::string& projectKey);
	static Response parse(const std::string& body);
	/// Parses a 2xx body; error "unknown_error" when it is not a /flags answer.

	std::uint64_t requests() const noexcept { return _requests.load(std::memory_order_relaxed); }
	void resetCounters() noexcept { _requests = 0; }

private:
	const FlagsHttp& _http;
	std::string _projectKey;
	Poco::Timespan _timeout;
	int _retries;
	mutable std::atomic<std::uint64_t> _requests{0};
};

} // namespace PostHog

#endif // PostHog_RemoteEvaluator_INCLUDED
