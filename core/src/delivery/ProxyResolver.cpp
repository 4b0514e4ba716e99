//
// ProxyResolver.cpp
//

#include "delivery/ProxyResolver.h"
#include "Poco/Environment.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/IPAddress.h"
#include "Poco/NumberParser.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/Exceptions.h"
#include <algorithm>
#include <initializer_list>

namespace PostHog
{

namespace
{

std::string lower(const std::string& s)
{
	return Poco::toLower(Poco::trim(s));
}

std::string firstEnv(std::initializer_list<const char*> names, std::string& which)
{
	for (const char* name : names)
	{
		std::string value = Poco::trim(Poco::Environment::get(name, ""));
		if (!value.empty())
		{
			which = name;
			return value;
		}
	}
	return std::string();
}

bool isLoopback(const std::string& host)
{
	std::string h = lower(host);
	if (h == "localhost" || h == "localhost.")
		return true;
	Poco::Net::IPAddress ip;
	return Poco::Net::IPAddress::tryParse(h, ip) && ip.isLoopback();
}

bool splitPort(std::string& entry, unsigned& port)
/// Removes an optional ":port" from entry (IPv6 addresses are written [addr]:port); false when
/// the entry is malformed.
{
	port = 0;
	if (entry.front() == '[')
	{
		auto close = entry.find(']');
		if (close == std::string::npos)
			return false;
		if (close + 1 < entry.size() && entry[close + 1] == ':' &&
		    !Poco::NumberParser::tryParseUnsigned(entry.substr(close + 2), port))
			return false;
		entry = entry.substr(1, close - 1);
	}
	else if (std::count(entry.begin(), entry.end(), ':') == 1)
	{
		auto colon = entry.find(':');
		if (!Poco::NumberParser::tryParseUnsigned(entry.substr(colon + 1), port))
			return false;
		entry = entry.substr(0, colon);
	}
	return true;
}

bool networkContains(const std::string& cidr, const Poco::Net::IPAddress& host)
{
	auto slash = cidr.find('/');
	Poco::Net::IPAddress network;
	unsigned bits;
	if (!Poco::Net::IPAddress::tryParse(cidr.substr(0, slash), network) ||
	    !Poco::NumberParser::tryParseUnsigned(cidr.substr(slash + 1), bits) ||
	    network.family() != host.family() ||
	    bits > (network.family() == Poco::Net::IPAddress::IPv4 ? 32u : 128u))
		return false;
	Poco::Net::IPAddress mask(bits, network.family());
	return (host & mask) == (network & mask);
}

} // namespace

ProxyResolver::Proxy ProxyResolver::parseProxy(const std::string& url, const std::string& source)
{
	std::string value = Poco::trim(url);
	if (value.find("://") == std::string::npos)
		value = "http://" + value;
	Poco::URI uri;
	bool ok = true;
	try
	{
		uri = Poco::URI(value);
	}
	catch (Poco::Exception&)
	{
		ok = false;
	}
	if (!ok || Poco::toLower(uri.getScheme()) != "http" || uri.getHost().empty() ||
	    (!uri.getPath().empty() && uri.getPath() != "/") || !uri.getRawQuery().empty())
		throw ConfigurationException(
		    source + " = '" + maskProxyUrl(url) +
		    "' is not an http://[user:password@]host[:port] proxy URL (https:// and socks "
		    "proxies are not supported)");
	Proxy proxy;
	proxy.host = uri.getHost();
	proxy.port = uri.getPort();
	std::string userInfo = uri.getUserInfo();
	auto colon = userInfo.find(':');
	Poco::URI::decode(userInfo.substr(0, colon), proxy.username); // Poco::URI keeps user info encoded
	if (colon != std::string::npos)
		Poco::URI::decode(userInfo.substr(colon + 1), proxy.password);
	proxy.source = source;
	proxy.url = maskProxyUrl(Poco::trim(url));
	return proxy;
}

void ProxyResolver::apply(const Proxy& proxy, Poco::Net::HTTPClientSession& session)
{
	if (proxy.host.empty())
		return;
	Poco::Net::HTTPClientSession::ProxyConfig config;
	config.host = proxy.host;
	config.port = proxy.port;
	config.username = proxy.username;
	config.password = proxy.password;
	config.authMethod = proxy.username.empty() ? Poco::Net::HTTPClientSession::PROXY_AUTH_NONE
	                                           : Poco::Net::HTTPClientSession::PROXY_AUTH_HTTP_BASIC;
	session.setProxyConfig(config);
}

std::string ProxyResolver::maskProxyUrl(const std::string& url)
{
	auto scheme = url.find("://");
	std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
	auto at = url.find('@', start);
	auto slash = url.find('/', start);
	if (at == std::string::npos || (slash != std::string::npos && slash < at))
		return url;
	auto colon = url.find(':', start);
	if (colon == std::string::npos || colon > at)
		return url;
	return url.substr(0, colon + 1) + "***" + url.substr(at);
}

bool ProxyResolver::noProxyMatches(const std::string& noProxy, const std::string& host, Poco::UInt16 port)
{
	std::string h = lower(host);
	if (h.size() > 1 && h.front() == '[' && h.back() == ']')
		h = h.substr(1, h.size() - 2);
	while (!h.empty() && h.back() == '.')
		h.pop_back();
	Poco::StringTokenizer entries(noProxy, ", \t",
	                              Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
	for (const auto& raw : entries)
	{
		if (entryMatches(Poco::toLower(raw), h, port))
			return true;
	}
	return false;
}

bool ProxyResolver::entryMatches(std::string e, const std::string& h, Poco::UInt16 port)
{
	if (e == "*")
		return true;
	unsigned entryPort = 0;
	if (!splitPort(e, entryPort) || (entryPort != 0 && entryPort != port))
		return false;
	Poco::Net::IPAddress hostIp;
	bool hostIsIp = Poco::Net::IPAddress::tryParse(h, hostIp);
	if (e.find('/') != std::string::npos)
		return hostIsIp && networkContains(e, hostIp);
	Poco::Net::IPAddress entryIp;
	if (Poco::Net::IPAddress::tryParse(e, entryIp))
		return hostIsIp && entryIp == hostIp;
	if (e.compare(0, 2, "*.") == 0)
		e = e.substr(2);
	else if (!e.empty() && e.front() == '.')
		e = e.substr(1);
	while (!e.empty() && e.back() == '.')
		e.pop_back();
	if (e.empty())
		return false;
	return h == e || (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 &&
	                  h[h.size() - e.size() - 1] == '.');
}

ProxyResolver::Proxy ProxyResolver::proxyFor(const ClientOptions& options, const Poco::URI& target)
{
	Proxy proxy;
	std::string configured = Poco::trim(options.proxy);
	if (Poco::toLower(configured) == "none")
		return proxy;
	if (!configured.empty())
	{
		proxy = parseProxy(configured, "posthog.http.proxy");
	}
	else
	{
		if (isLoopback(target.getHost()))
			return proxy;
		std::string which;
		std::string value;
		if (target.getScheme() == "https")
			value = firstEnv({"https_proxy", "HTTPS_PROXY"}, which);
		else if (Poco::Environment::get("REQUEST_METHOD", "").empty())
			value = firstEnv({"http_proxy", "HTTP_PROXY"}, which);
		else
			value = firstEnv({"http_proxy"}, which);
		if (value.empty())
			return proxy;
		proxy = parseProxy(value, which);
	}
	std::string which;
	std::string noProxy = firstEnv({"no_proxy", "NO_PROXY"}, which);
	if (!noProxy.empty() && noProxyMatches(noProxy, target.getHost(), target.getPort()))
		return Proxy();
	return proxy;
}

} // namespace PostHog
