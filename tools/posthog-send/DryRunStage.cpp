//
// DryRunStage.cpp
//

#include "DryRunStage.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Timestamp.h"
#include <ostream>

namespace PostHogSend
{

const std::string DryRunStage::kStageName = "posthog-send-dry-run";

DryRunStage::DryRunStage(std::ostream& out, std::string maskedKey, std::size_t batchSize, bool geoip)
    : _out(out), _maskedKey(std::move(maskedKey)), _batchSize(batchSize ? batchSize : 1), _geoip(geoip)
{
}

std::string DryRunStage::name() const
{
	return "dry-run";
}

PostHog::Middleware::Result DryRunStage::process(PostHog::Message& message)
{
	// A full batch is printed when the next message arrives (or at finish()), so that with
	// --explain the lines about its last message come before it.
	if (_pending.size() >= _batchSize)
		printBatch();
	_pending.push_back(message.toJSON(_geoip));
	++_events;
	return Result::drop("dry run: not sent");
}

void DryRunStage::finish()
{
	if (!_pending.empty())
		printBatch();
}

void DryRunStage::printBatch()
{
	// Parsed back with Poco (keys in wire order) and pretty-printed by Poco's stringify.
	Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
	body.set("api_key", _maskedKey);
	Poco::JSON::Array::Ptr batch = new Poco::JSON::Array;
	for (const auto& json : _pending)
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		batch->add(parser.parse(json));
	}
	body.set("batch", batch);
	body.set("sent_at", Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ"));
	body.stringify(_out, 2);
	_out << '\n';
	_out.flush();
	_pending.clear();
	++_batches;
}

std::string DryRunStage::maskKey(const std::string& key)
{
	if (key.empty())
		return "(not set)";
	if (key.size() <= 8)
		return "\xe2\x80\xa6";
	std::size_t underscore = key.find('_');
	std::string prefix =
	    underscore != std::string::npos && underscore < 8 ? key.substr(0, underscore + 1) : "";
	return prefix + "\xe2\x80\xa6" + key.substr(key.size() - 4);
}

} // namespace PostHogSend
