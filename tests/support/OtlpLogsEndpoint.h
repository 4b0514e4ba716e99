//
// OtlpLogsEndpoint.h
//
// A strict stand-in for PostHog's /i/v1/logs endpoint, served by a CaptureServer route.
//

#ifndef PostHogTest_OtlpLogsEndpoint_INCLUDED
#define PostHogTest_OtlpLogsEndpoint_INCLUDED

#include "CaptureServer.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/Mutex.h"
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace PostHogTest
{

class OtlpLogsEndpoint
/// Checks every request the way the logs ingestion service reads it, and stricter: POST to
/// /i/v1/logs?token=<key> with Content-Type application/json, gzip when Content-Encoding says
/// so, a body that is exactly one resourceLogs holding one scopeLogs holding the records, each
/// record with string nanosecond times (observed equal to time), a severityNumber of 1..24 and
/// its text, an AnyValue body, key/value attributes, and traceId/spanId/flags only when valid.
/// Unknown fields anywhere are errors. A request that passes is answered 200 {} and its
/// records are kept; one that fails is answered 400 and its error kept.
///
///     OtlpLogsEndpoint logs("phc_test_key_1234");
///     server.route("/i/v1/logs", logs.route());
{
public:
	explicit OtlpLogsEndpoint(std::string apiKey);

	CaptureServer::Route route();
	/// The handler to give CaptureServer::route("/i/v1/logs", ...). It must not outlive this.

	void failNext(int count, int status);
	/// The next count requests are answered with status (after they were checked).

	static bool check(const std::string& json, std::string& error);
	/// The strict body check alone (no HTTP), for the fuzz target and unit tests.

	static bool checkAnyValue(const Poco::Dynamic::Var& value, bool allowEmpty, std::string& error);

	std::vector<Poco::JSON::Object::Ptr> records() const;
	/// Every record of the accepted requests, in arrival order.
	std::vector<std::map<std::string, std::string>> resources() const;
	/// The resource attributes (string values) of each accepted request.
	std::vector<std::string> errors() const;
	std::size_t requestCount() const;
	std::vector<std::size_t> batchSizes() const;
	/// The record count of each request that was checked (accepted or not).
	bool waitForRecords(std::size_t count, long timeoutMs) const;

	static std::string attribute(const Poco::JSON::Object::Ptr& record, const std::string& key);
	/// The attribute's value as JSON text of its AnyValue ({"stringValue":"x"}), or "" when absent.
	static std::string stringAttribute(const Poco::JSON::Object::Ptr& record, const std::string& key);
	/// The stringValue of the attribute, or "" when absent or not a string.

private:
	CaptureServer::Reply handle(const CaptureServer::Request& request);

	std::string _apiKey;
	mutable Poco::FastMutex _mutex;
	std::vector<Poco::JSON::Object::Ptr> _records;
	std::vector<std::map<std::string, std::string>> _resources;
	std::vector<std::string> _errors;
	std::vector<std::size_t> _batchSizes;
	std::deque<int> _failures;
	std::size_t _requests = 0;
};

} // namespace PostHogTest

#endif // PostHogTest_OtlpLogsEndpoint_INCLUDED
