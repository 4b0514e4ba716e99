//
// ClientOptions.cpp
//

#include "PostHog/ClientOptions.h"
#include "config/ConfigReader.h"
#include "delivery/HttpTransport.h"
#include "client/Reporter.h"
#include "flags/FlagsOptions.h"
#include "PostHog/Exceptions.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include "Poco/Util/MapConfiguration.h"

namespace PostHog
{

namespace
{

void copyTree(const Poco::Util::AbstractConfiguration& from, const std::string& prefix,
    Poco::Util::MapConfiguration& to)
{
	Poco::Util::AbstractConfiguration::Keys keys;
	from.keys(prefix, keys);
	for (const auto& k : keys)
	{
		std::string full = prefix + "." + k;
		if (from.has(full))
			to.setString(full, from.getString(full));
		copyTree(from, full, to);
	}
}

} // namespace

ClientOptions ClientOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ConfigReader r(config);
	ClientOptions o;
	o.apiKey = r.getString("posthog.apiKey", o.apiKey);
	o.host = r.getString("posthog.host", o.host);
	o.enabled = r.getBool("posthog.enabled", o.enabled);
	o.geoip = r.getBool("posthog.geoip", o.geoip);
	o.syncMode = r.getBool("posthog.syncMode", o.syncMode);
	o.batchSize = static_cast<std::size_t>(r.getInt("posthog.batch.size", static_cast<Poco::Int64>(o.batchSize), 1, 100000));
	o.batchInterval = r.getMilliseconds("posthog.batch.interval", o.batchInterval, 1, 3600 * 1000);
	o.batchMaxBytes = static_cast<std::size_t>(
	    r.getInt("posthog.batch.maxBytes", static_cast<Poco::Int64>(o.batchMaxBytes), 1024 * 1024, 19 * 1024 * 1024));
	o.queueCapacity =
	    static_cast<std::size_t>(r.getInt("posthog.queue.capacity", static_cast<Poco::Int64>(o.queueCapacity), 1, 100000000));
	o.queueOverflow = r.getChoice("posthog.queue.overflow", "drop", "drop,block") == "block" ? Overflow::Block : Overflow::Drop;
	o.gzip = r.getBool("posthog.http.gzip", o.gzip);
	o.gzipLevel = static_cast<int>(r.getInt("posthog.http.gzipLevel", o.gzipLevel, 1, 9));
	o.httpTimeout = r.getMilliseconds("posthog.http.timeout", o.httpTimeout, 1, 600 * 1000);
	o.maxRetries = static_cast<int>(r.getInt("posthog.http.maxRetries", o.maxRetries, 0, 100));
	o.connections = static_cast<int>(r.getInt("posthog.http.connections", o.connections, 1, 64));
	o.retryBaseDelay = r.getMilliseconds("posthog.http.retryDelay", o.retryBaseDelay, 1, 60 * 1000);
	o.verifyTls = r.getBool("posthog.http.verify", o.verifyTls);
	o.caFile = r.getString("posthog.http.caFile", o.caFile);
	o.proxy = r.getString("posthog.http.proxy", o.proxy);
	o.shutdownTimeout = r.getMilliseconds("posthog.shutdownTimeout", o.shutdownTimeout, 0, 24 * 3600 * 1000);
	o.spoolPath = r.getString("posthog.spool.path", o.spoolPath);
	o.spoolMaxBytes = static_cast<std::uint64_t>(r.getInt("posthog.spool.maxBytes",
	    static_cast<Poco::Int64>(o.spoolMaxBytes), 1LL << 20, 1LL << 40));
	std::string full = r.getChoice("posthog.spool.full", "drop-newest", "drop-newest,drop-oldest,block");
	o.spoolFull = full == "block" ? SpoolFull::Block : full == "drop-oldest" ? SpoolFull::DropOldest : SpoolFull::DropNewest;
	std::string fsync = r.getChoice("posthog.spool.fsync", "batch", "batch,interval,never");
	o.spoolFsync = fsync == "never" ? SpoolFsync::Never : fsync == "interval" ? SpoolFsync::Interval : SpoolFsync::Batch;
	o.spoolFsyncInterval = r.getMilliseconds("posthog.spool.fsyncInterval", o.spoolFsyncInterval, 1, 600 * 1000);

	FlagsOptions::fromConfiguration(config).applyTo(o);

	Poco::AutoPtr<Poco::Util::MapConfiguration> copy = new Poco::Util::MapConfiguration;
	copyTree(config, "posthog.pipeline", *copy);
	o.configuration = copy;
	o.validate();
	return o;
}

void ClientOptions::validate() const
{
	auto fail = [this](const std::string& what) { throw ConfigurationException(Reporter::maskIn(what, apiKey)); };
	if (enabled && apiKey.empty())
		fail("posthog.apiKey is not set (set it in the configuration, with --api-key, or in POSTHOG_API_KEY)");
	Poco::URI uri;
	try
	{
		uri = Poco::URI(host);
	}
	catch (Poco::Exception&)
	{
		fail("posthog.host = '" + host + "' is not a URL");
	}
	if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
		fail("posthog.host = '" + host + "' is not an http:// or https:// URL");
	if (batchSize < 1 || batchSize > 100000)
		fail("posthog.batch.size = '" + std::to_string(batchSize) + "' is not an integer between 1 and 100000");
	if (queueCapacity < 1)
		fail("posthog.queue.capacity = '0' is not an integer between 1 and 100000000");
	if (connections < 1 || connections > 64)
		fail("posthog.http.connections = '" + std::to_string(connections) + "' is not an integer between 1 and 64");
	if (maxRetries < 0 || maxRetries > 100)
		fail("posthog.http.maxRetries = '" + std::to_string(maxRetries) + "' is not an integer between 0 and 100");
	if (gzipLevel < 1 || gzipLevel > 9)
		fail("posthog.http.gzipLevel = '" + std::to_string(gzipLevel) + "' is not an integer between 1 and 9");
	if (batchInterval.totalMilliseconds() < 1)
		fail("posthog.batch.interval must be at least 1 ms");
	if (httpTimeout.totalMilliseconds() < 1)
		fail("posthog.http.timeout must be at least 1 ms");
	try
	{
		HttpTransport::proxyFor(*this, uri); // posthog.http.proxy or the environment's: a bad URL fails here
	}
	catch (ConfigurationException& e)
	{
		fail(e.message());
	}
	if (!spoolPath.empty() && (spoolMaxBytes < (1ULL << 20) || spoolMaxBytes > (1ULL << 40)))
		fail("posthog.spool.maxBytes = '" + std::to_string(spoolMaxBytes) + "' is not an integer between 1048576 and " +
		     std::to_string(1ULL << 40));
}

} // namespace PostHog
