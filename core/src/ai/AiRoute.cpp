//
// AiRoute.cpp
//

#include "ai/AiRoute.h"
#include "PostHog/Array.h"
#include "encoding/EventSerializer.h"
#include "encoding/JsonWriter.h"

namespace PostHog
{

namespace
{

class QueuedEvent : public QueuedRecord
{
public:
	explicit QueuedEvent(std::string json) : _json(std::move(json)) {}
	void encode(std::string& out) const override { out += _json; }

private:
	std::string _json;
};

// A Value of an object or array only views its storage, so each cleaned copy is kept in a
// local until the parent has copied it in.
Properties cleanedObject(const Value& object);
Array cleanedArray(const Value& array);

template<typename Add>
void addCleaned(const Value& value, Add add)
{
	if (value.isObject())
	{
		Properties object = cleanedObject(value);
		add(Value(object));
	}
	else if (value.isArray())
	{
		Array array = cleanedArray(value);
		add(Value(array));
	}
	else
		add(value);
}

Properties cleanedObject(const Value& object)
{
	Properties out;
	for (const Entry& e : object.entries())
	{
		if (!e.value.isNull())
			addCleaned(e.value, [&](const Value& v) { out.set(e.key, v); });
	}
	return out;
}

Array cleanedArray(const Value& array)
{
	Array out;
	for (const Value& element : array.elements())
		addCleaned(element, [&](const Value& v) { out.add(v); });
	return out;
}

RecordQueue::Settings queueSettings(const ClientOptions& options)
{
	RecordQueue::Settings settings;
	settings.name = "ai";
	settings.endpoint = "/i/v0/ai/batch/";
	settings.head = "{\"api_key\":";
	JsonWriter::appendString(settings.head, options.apiKey);
	settings.head += ",\"batch\":[";
	settings.tail = "]}";
	settings.capacity = 1000;
	settings.maxBatch = 20;
	settings.threshold = 20;
	settings.interval = options.batchInterval;
	return settings;
}

} // namespace

AiRoute::AiRoute(const ClientOptions& options, const Reporter& reporter)
    : _options(options), _reporter(reporter),
      _queue(new RecordQueue(options, queueSettings(options), reporter))
{
}

Properties AiRoute::withoutNulls(const Properties& properties)
{
	Properties out;
	for (const Entry& e : properties)
	{
		if (!e.value.isNull())
			addCleaned(e.value, [&](const Value& v) { out.set(e.key, v); });
	}
	return out;
}

bool AiRoute::capture(const Message& message)
{
	std::string json;
	EventSerializer::append(json, message, _options.geoip);
	if (json.size() > kMaxEventBytes)
	{
		_queue->countDrop("too_large");
		_reporter.report(ClientError::TooLarge,
		                 "PostHog ai: event '" + message.event() +
		                     "' dropped: " + std::to_string(json.size()) + " bytes is over the " +
		                     std::to_string(kMaxEventBytes) + "-byte limit of the AI endpoint",
		                 0, 1);
		return false;
	}
	if (!_queue->push(std::unique_ptr<QueuedRecord>(new QueuedEvent(std::move(json)))))
	{
		_queue->countDrop("shutdown");
		return false;
	}
	return true;
}

} // namespace PostHog
