//
// ClientOptionTables.cpp
//

#include "config/ClientOptionTables.h"

namespace PostHog
{

namespace
{

const std::string ms = "milliseconds";

OptionSpec millis(const char* name, const char* deflt, const char* description, double min, double max)
{
	return OptionSpec(name, OptionSpec::Int, deflt, description, min, max).withUnit(ms);
}

} // namespace

OptionTable ClientOptionTables::client()
{
	return {
	    {"apiKey", OptionSpec::String, "", "the project API key (required unless disabled); never logged"},
	    {"host", OptionSpec::String, "https://us.i.posthog.com",
	     "http:// or https:// URL, with an optional path prefix"},
	    {"enabled", OptionSpec::Bool, "true",
	     "false: every call is a no-op; no plugin loaded, no thread started"},
	    {"geoip", OptionSpec::Bool, "false", "false adds $geoip_disable = true to every event"},
	    {"syncMode", OptionSpec::Bool, "false", "send on the caller's thread before the call returns"},
	    millis("shutdownTimeout", "30000", "ms flush() and shutdown() wait by default", 0, 24 * 3600 * 1000),
	};
}

OptionTable ClientOptionTables::batch()
{
	return {
	    {"size", OptionSpec::Int, "100", "events per request", 1, 100000},
	    millis("interval", "5000", "ms the first message of a batch may wait for it to fill", 1, 3600 * 1000),
	    {"maxBytes", OptionSpec::Int, "5242880",
	     "JSON bytes per request; an event over 1 MB is dropped with a reason", 1024 * 1024,
	     19 * 1024 * 1024},
	};
}

OptionTable ClientOptionTables::queue()
{
	return {
	    {"capacity", OptionSpec::Int, "10000", "messages waiting for the worker", 1, 100000000},
	    OptionSpec::makeEnum(
	        "overflow", "drop,block", "drop",
	        "a full queue drops the new message (counted, reported) or makes the caller wait"),
	};
}

OptionTable ClientOptionTables::http()
{
	return {
	    {"gzip", OptionSpec::Bool, "true", "Content-Encoding: gzip"},
	    {"gzipLevel", OptionSpec::Int, "1", "gzip compression level", 1, 9},
	    millis("timeout", "10000", "ms for a whole request, connect to last byte", 1, 600 * 1000),
	    {"maxRetries", OptionSpec::Int, "10",
	     "retries of a batch (Retry-After honoured up to 60 s; 413 splits it)", 0, 100},
	    {"connections", OptionSpec::Int, "1", "requests in flight at once, each on its own connection", 1,
	     64},
	    millis("retryDelay", "100", "ms of the first backoff; doubles per attempt, capped at 10 s, jittered",
	           1, 60 * 1000),
	    {"verify", OptionSpec::Bool, "true", "verify TLS certificates (chain, dates, host name)"},
	    {"caFile", OptionSpec::String, "", "PEM CA file or directory to trust instead of the system store"},
	    {"proxy", OptionSpec::String, "",
	     "http://[user:pass@]host:port, or none; empty: HTTPS_PROXY/HTTP_PROXY/NO_PROXY"},
	};
}

OptionTable ClientOptionTables::spool()
{
	return {
	    {"path", OptionSpec::String, "", "a directory for the disk spool; empty: no spool"},
	    {"maxBytes", OptionSpec::Int, "1073741824", "bytes the spool may hold", 1LL << 20,
	     static_cast<double>(1LL << 40)},
	    OptionSpec::makeEnum("full", "drop-newest,drop-oldest,block", "drop-newest",
	                         "what a full spool does"),
	    OptionSpec::makeEnum("fsync", "batch,interval,never", "batch",
	                         "when spooled events are synced to disk"),
	    millis("fsyncInterval", "1000", "ms between syncs with fsync = interval", 1, 600 * 1000),
	};
}

OptionTable ClientOptionTables::pipeline()
{
	return {
	    {"stages", OptionSpec::List, "",
	     "the stages in order; each has its keys under posthog.pipeline.<stage>"},
	    {"pluginPath", OptionSpec::List, "", "absolute plugin directories searched first, ':'-separated"},
	    {"allowInsecurePlugins", OptionSpec::Bool, "false", "load plugins from world-writable places"},
	};
}

OptionTable ClientOptionTables::ndjson()
{
	return {
	    {"maxLineBytes", OptionSpec::Int, "1048576", "bytes in one input line", 2, 1024.0 * 1024 * 1024},
	    {"maxDepth", OptionSpec::Int, "64", "nested objects and arrays, the line's own included", 2, 1000},
	    {"maxEntries", OptionSpec::Int, "10000", "entries of one object or array", 1, 100000000},
	    {"maxStringBytes", OptionSpec::Int, "262144", "bytes of one string (key or value)", 1,
	     1024.0 * 1024 * 1024},
	};
}

} // namespace PostHog
