//
// BatchHandler.h
//
// The capture inspector's request handler: PostHog's /batch/ endpoint, printed.
//

#ifndef PostHogInspector_BatchHandler_INCLUDED
#define PostHogInspector_BatchHandler_INCLUDED

#include "CaptureTally.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/Mutex.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include <iosfwd>

namespace PostHogInspector
{

class BatchHandler : public Poco::Net::HTTPRequestHandler
/// Accepts POST /batch/ (and /capture/) as PostHog does: the body gunzipped when sent with
/// Content-Encoding: gzip, parsed as {"api_key", "batch": [...], "sent_at"}; answers 200
/// {"status": 1}, or 400/401/404/413 with a reason. Prints one line per request and one per
/// event:
///
///     POST /batch/ #1: 100 events, gzip, 41.2 KB (9.8 KB on the wire), api_key phc_…1234
///       capture        'movie played'  user-42  2026-11-27T10:21:13.409Z  {"title":"Heat",...}
{
public:
	struct Settings
	{
		std::ostream* out = nullptr;
		Poco::FastMutex* outMutex = nullptr;
		CaptureTally* tally = nullptr;
		bool full = false; /// print whole properties (else cut at 200 characters)
	};

	explicit BatchHandler(const Settings& settings);
	void handleRequest(Poco::Net::HTTPServerRequest& request,
	                   Poco::Net::HTTPServerResponse& response) override;

	class Factory : public Poco::Net::HTTPRequestHandlerFactory
	{
	public:
		explicit Factory(const Settings& settings);
		Poco::Net::HTTPRequestHandler*
		createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

	private:
		Settings _settings;
	};

	static constexpr std::size_t kMaxBody = 20 * 1024 * 1024; /// PostHog's request limit

private:
	void answer(Poco::Net::HTTPServerResponse& response, int status, const std::string& body);

	static int readBatch(Poco::Net::HTTPServerRequest& request, bool gzip, std::string& raw,
	                     std::string& body, Poco::JSON::Object::Ptr& root, std::string& why);
	/// Reads, inflates (gzip) and parses the body into root: 200, or the status that refuses
	/// it with why.

	void printBatch(std::ostream& out, const Poco::JSON::Array& batch);
	/// One line per event: kind, name, distinct id, timestamp and (cut unless full) properties.

	Settings _settings;
};

} // namespace PostHogInspector

#endif // PostHogInspector_BatchHandler_INCLUDED
