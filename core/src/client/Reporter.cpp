//
// Reporter.cpp
//

#include "client/Reporter.h"
#include "Poco/Logger.h"

namespace PostHog
{

Reporter::Reporter(Poco::Logger& logger, ErrorCallback callback, std::string apiKey)
    : _logger(logger), _callback(std::move(callback)), _apiKey(std::move(apiKey)), _masked(maskKey(_apiKey))
{
}

std::string Reporter::maskKey(const std::string& key)
{
	if (key.empty())
		return "(none)";
	std::string prefix;
	auto underscore = key.find('_');
	if (underscore != std::string::npos && underscore < 8 && underscore + 5 < key.size())
		prefix = key.substr(0, underscore + 1);
	std::string tail = key.size() > 8 ? key.substr(key.size() - 4) : std::string();
	return prefix + "\xE2\x80\xA6" + tail; // U+2026 HORIZONTAL ELLIPSIS
}

std::string Reporter::maskIn(const std::string& text, const std::string& key)
{
	if (key.size() < 4 || text.find(key) == std::string::npos)
		return text;
	std::string out = text;
	std::string masked = maskKey(key);
	for (std::size_t pos = 0; (pos = out.find(key, pos)) != std::string::npos; pos += masked.size())
		out.replace(pos, key.size(), masked);
	return out;
}

std::string Reporter::mask(const std::string& text) const
{
	if (_apiKey.size() < 4)
		return text;
	std::string out = text;
	std::size_t pos = 0;
	while ((pos = out.find(_apiKey, pos)) != std::string::npos)
	{
		out.replace(pos, _apiKey.size(), _masked);
		pos += _masked.size();
	}
	return out;
}

void Reporter::report(ClientError::Kind kind, const std::string& message, int httpStatus, std::size_t events) const
{
	ClientError error;
	error.kind = kind;
	error.message = mask(message);
	error.httpStatus = httpStatus;
	error.events = events;
	try
	{
		if (kind == ClientError::DeliveryFailed || kind == ClientError::Shutdown || kind == ClientError::QueueFull)
			_logger.error(error.message);
		else
			_logger.warning(error.message);
	}
	catch (...)
	{
	}
	if (_callback)
	{
		try
		{
			_callback(error);
		}
		catch (std::exception& e)
		{
			try
			{
				_logger.error(std::string("the PostHog error callback threw: ") + mask(e.what()));
			}
			catch (...)
			{
			}
		}
		catch (...)
		{
		}
	}
}

} // namespace PostHog
