//
// RecordSender.cpp
//

#include "logs/RecordSender.h"
#include "Poco/Random.h"
#include "delivery/HttpTransport.h"
#include "encoding/GzipWriter.h"
#include <algorithm>

namespace PostHog
{

namespace
{

constexpr long kMaxBackoffMs = 30 * 1000;
constexpr long kMaxRetryAfterMs = 60 * 1000;

bool retryable(int status)
{
	return status == 0 || status == 408 || status == 429 || status >= 500;
}

} // namespace

RecordSender::RecordSender(const ClientOptions& options, std::string endpoint, std::string route,
                           const Reporter& reporter)
    : _options(options), _endpoint(std::move(endpoint)), _route(std::move(route)), _reporter(reporter)
{
}

RecordSender::~RecordSender() = default;

void RecordSender::abort()
{
	_abort.store(true);
	_aborted.set();
}

RecordSender::Outcome RecordSender::send(std::size_t count, const Encoder& encode)
{
	Outcome outcome;
	if (count > 0)
		deliver(0, count, encode, outcome);
	return outcome;
}

bool RecordSender::post(const std::string& json, int& status, long& retryAfterMs, std::string& error)
{
	try
	{
		if (!_transport)
		{
			_transport.reset(new HttpTransport(_options, HttpTransport::makeContext(_options)));
			_transport->setEndpoint(_endpoint);
		}
		HttpTransport::Response response;
		if (_options.gzip)
		{
			GzipWriter::compress(json, std::string(), std::string(), _gzipped, _options.gzipLevel);
			response = _transport->post(_gzipped, true);
		}
		else
			response = _transport->post(json, false);
		status = response.status;
		retryAfterMs = response.retryAfterMs;
		error = response.error;
		return true;
	}
	catch (Poco::Exception& e)
	{
		status = -1;
		error = e.displayText();
		return false;
	}
}

long RecordSender::backoffMs(int attempt, long retryAfterMs)
{
	if (retryAfterMs >= 0)
		return std::min(retryAfterMs, kMaxRetryAfterMs);
	long base = static_cast<long>(_options.retryBaseDelay.totalMilliseconds());
	long delay = base;
	for (int i = 0; i < attempt && delay < kMaxBackoffMs; ++i)
		delay *= 2;
	delay = std::min(delay, kMaxBackoffMs);
	static thread_local Poco::Random random;
	long half = delay / 2;
	return half + static_cast<long>(random.next(static_cast<Poco::UInt32>(delay - half + 1)));
}

void RecordSender::deliver(std::size_t begin, std::size_t end, const Encoder& encode, Outcome& outcome)
{
	const std::size_t n = end - begin;
	std::string json;
	encode(json, begin, end);
	for (int attempt = 0;; ++attempt)
	{
		int status = 0;
		long retryAfterMs = -1;
		std::string error;
		bool posted = !_abort.load() && post(json, status, retryAfterMs, error);
		if (posted)
			++outcome.requests;
		if (posted && status >= 200 && status < 300)
		{
			outcome.sent += n;
			return;
		}
		if (posted && status == 413 && n > 1)
		{
			deliver(begin, begin + n / 2, encode, outcome);
			deliver(begin + n / 2, end, encode, outcome);
			return;
		}
		if (posted && retryable(status) && attempt < _options.maxRetries &&
		    !_aborted.tryWait(backoffMs(attempt, retryAfterMs)))
		{
			++outcome.retried;
			continue;
		}
		outcome.failed += n;
		std::string why = !posted         ? (_abort.load() ? "the client shut down" : error)
		                  : status == 413 ? "HTTP 413: a single record is larger than the endpoint accepts"
		                  : status == 0   ? error
		                                  : "HTTP " + std::to_string(status);
		_reporter.report(_abort.load() && !posted ? ClientError::Shutdown : ClientError::DeliveryFailed,
		                 "PostHog " + _route + ": " + std::to_string(n) + " record(s) not delivered to " +
		                     _endpoint.substr(0, _endpoint.find('?')) + ": " + why,
		                 status > 0 ? status : 0, n);
		return;
	}
}

} // namespace PostHog
