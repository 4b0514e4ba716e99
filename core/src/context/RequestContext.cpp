//
// RequestContext.cpp
//

#include "PostHog/RequestContext.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/String.h"

namespace PostHog
{

namespace
{

thread_local const RequestContext* t_current = nullptr;

} // namespace

// The thread-local slot is set and restored by RequestScope (RequestScope.cpp).
const RequestContext*& currentRequestContextSlot() noexcept
{
	return t_current;
}

RequestContext::RequestContext(std::string distinctId, std::string sessionId, Properties properties)
    : _distinctId(sanitize(distinctId)), _sessionId(sanitize(sessionId)), _properties(std::move(properties))
{
}

void RequestContext::setDistinctId(const std::string& distinctId)
{
	_distinctId = sanitize(distinctId);
}

void RequestContext::setSessionId(const std::string& sessionId)
{
	_sessionId = sanitize(sessionId);
}

void RequestContext::applyTo(Properties& properties) const
{
	if (!_sessionId.empty())
		properties.setIfAbsent("$session_id", _sessionId);
	properties.merge(_properties, false);
}

std::string RequestContext::sanitize(const std::string& value)
{
	std::string out;
	out.reserve(std::min(value.size(), kMaxValueLength));
	for (unsigned char c : value)
	{
		if (c < 0x20 || c == 0x7f)
			continue;
		out += static_cast<char>(c);
	}
	out = Poco::trim(out);
	if (out.size() > kMaxValueLength)
	{
		std::size_t cut = kMaxValueLength;
		while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
			--cut; // not inside a UTF-8 sequence
		out.resize(cut);
		out = Poco::trimRight(out);
	}
	return out;
}

RequestContext RequestContext::fromRequest(const Poco::Net::HTTPServerRequest& request)
{
	RequestContext context;
	try
	{
		// Poco's NameValueCollection compares names case-insensitively.
		context.setDistinctId(request.get("X-POSTHOG-DISTINCT-ID", ""));
		context.setSessionId(request.get("X-POSTHOG-SESSION-ID", ""));
		context._properties.set("$request_method", sanitize(request.getMethod()));
		std::string uri = sanitize(request.getURI());
		std::string::size_type query = uri.find('?');
		context._properties.set("$request_path", uri.substr(0, query));
		if (request.has("Host"))
		{
			std::string host = sanitize(request.getHost());
			if (!host.empty())
				context._properties.set("$current_url", "http://" + host + uri);
		}
		std::string agent = sanitize(request.get("User-Agent", ""));
		if (!agent.empty())
			context._properties.set("$user_agent", agent);
	}
	catch (...)
	{
		// A malformed request is missing context, never a failure.
	}
	return context;
}

const RequestContext* RequestContext::current() noexcept
{
	return t_current;
}

} // namespace PostHog
