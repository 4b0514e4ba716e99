//
// FlagsEndpoint.h
//
// PostHog's feature flag endpoints on a CaptureServer, for the tests.
//

#ifndef PostHogTest_FlagsEndpoint_INCLUDED
#define PostHogTest_FlagsEndpoint_INCLUDED

#include "CaptureServer.h"
#include "Poco/JSON/Object.h"
#include "Poco/Mutex.h"
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace PostHogTest
{

class FlagsEndpoint
/// Serves, on a CaptureServer, GET /flags/definitions (definitions with an ETag and 304 when
/// If-None-Match matches; scripted 401, 402, 500, malformed bodies and delays) and
/// POST /flags/?v=2 (a v2 answer built from a table of key -> value and payload; scripted
/// quota limits, errors_while_computing_flags, HTTP errors, delays, closed connections).
/// Requests are recorded by the server (routedRequests()); the helpers here count and parse them.
{
public:
	struct Flag
	{
		std::string value;   /// "true", "false", or a variant name
		std::string payload; /// JSON text of the payload, or empty
		std::string reason = "condition_match";
		long id = 1;
		long version = 1;
		int hasExperiment = -1; /// metadata.has_experiment: 1 true, 0 false, -1 left out
	};

	struct Scripted
	/// One scripted answer instead of the normal one.
	{
		int status = 200;
		std::string body;
		long delayMs = 0;
		bool closeWithoutReply = false;
	};

	explicit FlagsEndpoint(CaptureServer& server);

	// /flags/definitions
	void setDefinitions(const std::string& json, const std::string& etag = "\"v1\"");
	void failDefinitions(int count, const Scripted& answer);
	void setDefinitionsDelay(long delayMs);
	std::size_t definitionsRequests() const;
	std::vector<CaptureServer::Request> definitionsRequestList() const;

	// /flags/?v=2
	void setFlags(const std::map<std::string, Flag>& flags);
	/// What every remote evaluation answers (restricted to flag_keys_to_evaluate when sent).
	void setFlagsFor(const std::string& distinctId, const std::map<std::string, Flag>& flags);
	/// A distinct id's own answer (overrides setFlags for it).
	void failFlags(int count, const Scripted& answer);
	void setQuotaLimited(bool limited);
	void setErrorsWhileComputing(bool errors);
	void setMinimalFlagCalledEvents(bool gate);
	/// Adds "minimalFlagCalledEvents": true to the answers (the server's minimal-event gate).
	std::size_t flagsRequests() const;
	std::vector<Poco::JSON::Object::Ptr> flagsRequestBodies() const;

	static std::string definition(const std::string& key, bool active = true, int rollout = 100,
	                              const std::string& variant = std::string(),
	                              const std::string& payloadJson = std::string());
	/// One flag definition without properties: every person gets `variant` (or true) at 100 %,
	/// nobody at 0 %. The payload is for that value.
	static std::string definitions(const std::vector<std::string>& flags);
	/// {"flags": [...], "group_type_mapping": {"0": "company"}, "cohorts": {}}

private:
	CaptureServer::Reply serveDefinitions(const CaptureServer::Request& request);
	CaptureServer::Reply serveFlags(const CaptureServer::Request& request);

	CaptureServer& _server;
	mutable Poco::FastMutex _mutex;
	std::string _definitions;
	std::string _etag;
	std::deque<Scripted> _definitionsFaults;
	long _definitionsDelay = 0;
	std::map<std::string, Flag> _flags;
	std::map<std::string, std::map<std::string, Flag>> _flagsFor;
	std::deque<Scripted> _flagsFaults;
	bool _quotaLimited = false;
	bool _errorsWhileComputing = false;
	bool _minimalGate = false;
};

} // namespace PostHogTest

#endif // PostHogTest_FlagsEndpoint_INCLUDED
