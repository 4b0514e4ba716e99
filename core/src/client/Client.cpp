//
// Client.cpp
//

#include "PostHog/Client.h"
#include "PostHog/Exceptions.h"
#include "PostHog/RequestContext.h"
#include "client/ClientCalls.h"
#include "client/ClientImpl.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/UuidGenerator.h"
#include "errors/ErrorTracker.h"

namespace PostHog
{

namespace ClientCalls
{

// Stamps the fields every message shares. Returns false (after rejecting) on a bad uuid.
bool stamp(ClientImpl& impl, Message& message, const EventOptions& options)
{
	// A Message is constructed with the current time (Poco::Timestamp's default): reuse that
	// reading for the uuid v7 and the timestamp instead of reading the clock again (a clock
	// read is a visible share of capture(); docs/performance.md).
	const Poco::Timestamp now = message.timestamp();
	if (options.uuid.empty())
	{
		UuidGenerator::next(now, PropertiesAccess::uuid(message));
	}
	else
	{
		Poco::UUID uuid;
		if (!UuidGenerator::parse(options.uuid, uuid))
		{
			impl.reject(std::string(Message::typeName(message.type())) + " '" + message.event() +
			            "' rejected: uuid '" + options.uuid +
			            "' is not a UUID (expected 8-4-4-4-12 hex digits)");
			return false;
		}
		message.setUuid(uuid);
	}
	message.setTimestamp(options.timestamp ? *options.timestamp : now);
	Properties& props = message.properties();
	if (!options.groups.empty())
	{
		Properties groups;
		for (const auto& g : options.groups)
			groups.set(g.first, g.second);
		props.set("$groups", groups);
	}
	if (!options.set.empty() && message.type() != Message::Type::Identify)
		props.set("$set", options.set);
	if (!options.setOnce.empty())
		props.set("$set_once", options.setOnce);
	if (options.personless)
		props.set("$process_person_profile", false);
	if (options.disableGeoip)
		props.set("$geoip_disable", *options.disableGeoip);
	return true;
}

// Opted out, or disabled by configuration: every call is a silent no-op.
bool silenced(const ClientImpl& impl)
{
	return impl.optedOut() || (!impl.accepting() && !impl.options().enabled);
}

const EventOptions& noOptions()
{
	static const EventOptions none;
	return none;
}

} // namespace ClientCalls

using namespace ClientCalls;

Client::Client(ClientOptions options) : _impl(new ClientImpl(std::move(options)))
{
	startErrorTracking();
}

Client::Client(const Poco::Util::AbstractConfiguration& config)
    : _impl(new ClientImpl(ClientOptions::fromConfiguration(config)))
{
	startErrorTracking();
}

Client::~Client()
{
	// Shut down while the error tracker still exists, so that crash records it sent are
	// confirmed (and deleted) when the final flush delivers them.
	shutdown();
	_errors.reset();
}

Uuid Client::capture(const std::string& distinctId, const std::string& event, Properties properties)
{
	return capture(distinctId, event, std::move(properties), noOptions());
}

Uuid Client::capture(const std::string& distinctId, const std::string& event, Properties properties,
                     const EventOptions& options)
{
	ClientImpl& impl = *_impl;
	if (silenced(impl))
		return Uuid();
	// Inside a RequestScope: the context's distinct id when none is given, else a personless
	// event under a generated id; the caller's properties win over the context's.
	const std::string* id = &distinctId;
	std::string generatedId;
	if (const RequestContext* context = RequestContext::current())
	{
		if (id->empty() && !context->distinctId().empty())
			id = &context->distinctId();
		else if (id->empty())
		{
			generatedId = UuidGenerator::toString(UuidGenerator::next());
			id = &generatedId;
			properties.setIfAbsent("$process_person_profile", false);
		}
		context->applyTo(properties);
	}
	if (id->empty())
	{
		impl.reject("capture '" + event +
		            "' rejected: a distinct id is required (server-side capture has no ambient user; "
		            "use EventOptions::personless for events without a person)");
		return Uuid();
	}
	if (event.empty())
	{
		impl.reject("capture for '" + *id + "' rejected: the event name is empty");
		return Uuid();
	}
	if (&options == &noOptions())
	{
		// No option: nothing but the uuid and the time to add, so the record is queued from the
		// arguments, without a Message to build, copy into the queue and destroy.
		Poco::Timestamp now;
		now -= now.epochMicroseconds() % 1000; // "now" is sent in milliseconds, as a Message has it
		Poco::UUID uuid;
		UuidGenerator::next(now, uuid);
		const QueuedMessages::Parts parts{Message::Type::Capture, event, *id, properties, uuid,
		                                  now.epochMicroseconds()};
		return impl.enqueue(parts) ? Uuid(uuid) : Uuid();
	}
	Message message(Message::Type::Capture, event, *id, std::move(properties));
	if (!stamp(impl, message, options))
		return Uuid();
	if (options.flags || options.sendFeatureFlags)
		impl.attachFlags(message, options);
	Uuid uuid(message.uuid()); // before the message is moved away
	if (!impl.enqueue(std::move(message)))
		uuid = Uuid(); // one returned object: no move on the way out
	return uuid;
}

bool Client::identify(const std::string& distinctId, Properties properties)
{
	return identify(distinctId, std::move(properties), noOptions());
}

bool Client::identify(const std::string& distinctId, Properties properties, const EventOptions& options)
{
	ClientImpl& impl = *_impl;
	if (silenced(impl))
		return false;
	if (distinctId.empty())
	{
		impl.reject("identify rejected: a distinct id is required");
		return false;
	}
	properties.merge(options.set, false);
	Message message(Message::Type::Identify, "$identify", distinctId);
	message.properties().set("$set", properties);
	if (!stamp(impl, message, options))
		return false;
	return impl.enqueue(std::move(message));
}

bool Client::alias(const std::string& previousId, const std::string& newId)
{
	return alias(previousId, newId, noOptions());
}

bool Client::alias(const std::string& previousId, const std::string& newId, const EventOptions& options)
{
	ClientImpl& impl = *_impl;
	if (silenced(impl))
		return false;
	if (previousId.empty() || newId.empty())
	{
		impl.reject(std::string("alias rejected: ") +
		            (previousId.empty() ? "the previous distinct id" : "the new id (alias)") +
		            " is empty; alias needs both");
		return false;
	}
	Message message(Message::Type::Alias, "$create_alias", previousId,
	                Properties{{"distinct_id", previousId}, {"alias", newId}});
	if (!stamp(impl, message, options))
		return false;
	return impl.enqueue(std::move(message));
}

bool Client::groupIdentify(const std::string& groupType, const std::string& groupKey, Properties properties)
{
	return groupIdentify(groupType, groupKey, std::move(properties), noOptions());
}

bool Client::groupIdentify(const std::string& groupType, const std::string& groupKey, Properties properties,
                           const EventOptions& options, const std::string& distinctId)
{
	ClientImpl& impl = *_impl;
	if (silenced(impl))
		return false;
	if (groupType.empty() || groupKey.empty())
	{
		impl.reject(std::string("group identify rejected: the group ") +
		            (groupType.empty() ? "type" : "key") + " is empty");
		return false;
	}
	std::string id = distinctId.empty() ? "$" + groupType + "_" + groupKey : distinctId;
	Message message(
	    Message::Type::GroupIdentify, "$groupidentify", id,
	    Properties{{"$group_type", groupType}, {"$group_key", groupKey}, {"$group_set", properties}});
	if (!stamp(impl, message, options))
		return false;
	return impl.enqueue(std::move(message));
}

Uuid Client::pageview(const std::string& distinctId, const std::string& url, Properties properties)
{
	return pageview(distinctId, url, std::move(properties), noOptions());
}

Uuid Client::pageview(const std::string& distinctId, const std::string& url, Properties properties,
                      const EventOptions& options)
{
	if (silenced(*_impl))
		return Uuid();
	if (url.empty())
	{
		if (_impl->accepting())
			_impl->reject("pageview for '" + distinctId + "' rejected: the url is empty");
		return Uuid();
	}
	properties.set("$current_url", url);
	return capture(distinctId, "$pageview", std::move(properties), options);
}

void Client::registerProperties(const Properties& properties)
{
	_impl->context().registerProperties(properties);
}

void Client::unregisterProperty(const std::string& key)
{
	_impl->context().unregisterProperty(key);
}

Client::FlushResult Client::flush()
{
	return flush(_impl->options().shutdownTimeout);
}

Client::FlushResult Client::flush(Poco::Timespan timeout)
{
	try
	{
		FlushResult result = _impl->flush(timeout);
		if (result == FlushResult::Delivered && _errors)
			_errors->delivered(); // crash records queued at start are now confirmed
		return result;
	}
	catch (...)
	{
		return FlushResult::TimedOut;
	}
}

bool Client::shutdown()
{
	return shutdown(_impl->options().shutdownTimeout);
}

bool Client::shutdown(Poco::Timespan timeout)
{
	try
	{
		bool delivered = _impl->shutdown(timeout);
		if (delivered && _errors)
			_errors->delivered();
		return delivered;
	}
	catch (...)
	{
		return false;
	}
}

void Client::optOut() noexcept
{
	_impl->setOptedOut(true);
}

void Client::optIn() noexcept
{
	_impl->setOptedOut(false);
}

bool Client::isOptedOut() const noexcept
{
	return _impl->optedOut() || !_impl->options().enabled;
}

bool Client::isEnabled() const noexcept
{
	return _impl->options().enabled;
}

ClientStatistics Client::statistics() const
{
	return _impl->statistics();
}

const ClientOptions& Client::options() const noexcept
{
	return _impl->options();
}

const Pipeline& Client::pipeline() const noexcept
{
	return _impl->pipeline();
}

} // namespace PostHog
