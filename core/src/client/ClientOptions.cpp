//
// ClientOptions.cpp
//

#include "PostHog/ClientOptions.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include "Poco/Util/MapConfiguration.h"
#include "PostHog/ClientKeys.h"
#include "PostHog/Exceptions.h"
#include "client/Reporter.h"
#include "delivery/HttpTransport.h"
#include "errors/ExceptionOptions.h"
#include "flags/FlagsOptions.h"

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

// Reads every client key through the one table (PostHog/ClientKeys.h).
void read(const Poco::Util::AbstractConfiguration& config, ClientOptions& o)
{
	ConfigMap client = ClientKeys::read(config, "posthog");
	o.apiKey = client.getString("apiKey");
	o.host = client.getString("host");
	o.enabled = client.getBool("enabled");
	o.geoip = client.getBool("geoip");
	o.syncMode = client.getBool("syncMode");
	o.shutdownTimeout = client.getMilliseconds("shutdownTimeout");

	ConfigMap batch = ClientKeys::read(config, "posthog.batch");
	o.batchSize = static_cast<std::size_t>(batch.getInt("size"));
	o.batchInterval = batch.getMilliseconds("interval");
	o.batchMaxBytes = static_cast<std::size_t>(batch.getInt("maxBytes"));

	ConfigMap queue = ClientKeys::read(config, "posthog.queue");
	o.queueCapacity = static_cast<std::size_t>(queue.getInt("capacity"));
	o.queueOverflow =
	    queue.getEnum("overflow") == "block" ? ClientOptions::Overflow::Block : ClientOptions::Overflow::Drop;

	ConfigMap http = ClientKeys::read(config, "posthog.http");
	o.gzip = http.getBool("gzip");
	o.gzipLevel = static_cast<int>(http.getInt("gzipLevel"));
	o.httpTimeout = http.getMilliseconds("timeout");
	o.maxRetries = static_cast<int>(http.getInt("maxRetries"));
	o.connections = static_cast<int>(http.getInt("connections"));
	o.retryBaseDelay = http.getMilliseconds("retryDelay");
	o.verifyTls = http.getBool("verify");
	o.caFile = http.getString("caFile");
	o.proxy = http.getString("proxy");

	ConfigMap spool = ClientKeys::read(config, "posthog.spool");
	o.spoolPath = spool.getString("path");
	o.spoolMaxBytes = static_cast<std::uint64_t>(spool.getInt("maxBytes"));
	std::string full = spool.getEnum("full");
	o.spoolFull = full == "block"         ? ClientOptions::SpoolFull::Block
	              : full == "drop-oldest" ? ClientOptions::SpoolFull::DropOldest
	                                      : ClientOptions::SpoolFull::DropNewest;
	std::string fsync = spool.getEnum("fsync");
	o.spoolFsync = fsync == "never"      ? ClientOptions::SpoolFsync::Never
	               : fsync == "interval" ? ClientOptions::SpoolFsync::Interval
	                                     : ClientOptions::SpoolFsync::Batch;
	o.spoolFsyncInterval = spool.getMilliseconds("fsyncInterval");
}

// Throws the table's message for a key whose value (from a filled struct) is out of range.
void checkRange(const std::string& key, Poco::Int64 value)
{
	ConfigMap::checkValue("", ClientKeys::spec(key), std::to_string(value));
}

} // namespace

ClientOptions ClientOptions::fromConfiguration(const Poco::Util::AbstractConfiguration& config)
{
	ClientOptions o;
	try
	{
		ClientKeys::check(config);
		read(config, o);
		ExceptionOptions::fromConfiguration(config).applyTo(o);
		FlagsOptions::fromConfiguration(config).applyTo(o);
	}
	catch (ConfigurationException& e)
	{
		// A value that holds the project key (pasted into the wrong field) never reaches an
		// exception text unmasked (docs/security.md).
		throw ConfigurationException(
		    Reporter::maskIn(Reporter::maskIn(e.message(), config.getString("posthog.apiKey", "")),
		                     config.getString("posthog.personalApiKey", "")));
	}

	Poco::AutoPtr<Poco::Util::MapConfiguration> copy = new Poco::Util::MapConfiguration;
	copyTree(config, "posthog.pipeline", *copy);
	copyTree(config, "posthog.logs", *copy); // read by the logs pipeline (LogOptions)
	o.configuration = copy;
	o.validate();
	return o;
}

void ClientOptions::validate() const
{
	auto fail = [this](const std::string& what)
	{ throw ConfigurationException(Reporter::maskIn(Reporter::maskIn(what, apiKey), personalApiKey)); };
	if (enabled && apiKey.empty())
		fail(
		    "posthog.apiKey is not set (set it in the configuration, with --api-key, or in POSTHOG_API_KEY)");
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
	try
	{
		checkRange("posthog.batch.size", static_cast<Poco::Int64>(batchSize));
		checkRange("posthog.queue.capacity", static_cast<Poco::Int64>(queueCapacity));
		checkRange("posthog.http.connections", connections);
		checkRange("posthog.http.maxRetries", maxRetries);
		checkRange("posthog.http.gzipLevel", gzipLevel);
		checkRange("posthog.batch.interval", batchInterval.totalMilliseconds());
		checkRange("posthog.http.timeout", httpTimeout.totalMilliseconds());
		if (!spoolPath.empty())
			checkRange("posthog.spool.maxBytes", static_cast<Poco::Int64>(spoolMaxBytes));
	}
	catch (ConfigurationException& e)
	{
		fail(e.message());
	}
	try
	{
		HttpTransport::proxyFor(*this, uri); // posthog.http.proxy or the environment's: a bad URL fails here
	}
	catch (ConfigurationException& e)
	{
		fail(e.message());
	}
	FlagsOptions::fromClientOptions(*this).validate(fail);
}

} // namespace PostHog
