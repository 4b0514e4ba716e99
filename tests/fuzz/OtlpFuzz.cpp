//
// OtlpFuzz.cpp
//
// libFuzzer target: arbitrary bytes as a log record (body, attributes parsed from JSON when the
// input holds JSON, else a string attribute, trace and span ids, flags, resource attributes)
// through OtlpWriter. The request body it writes must pass OtlpLogsEndpoint's strict check
// (valid JSON, OTLP shape, AnyValues); anything else (a check failure, a crash, undefined
// behaviour) is a finding.
//

#include "OtlpLogsEndpoint.h"
#include "Poco/JSON/Parser.h"
#include "PostHog/LogRecord.h"
#include "logs/OtlpWriter.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	if (size < 2)
		return 0;
	const std::string input(reinterpret_cast<const char*>(data) + 2, size - 2);
	const std::size_t cut = size > 2 ? data[1] % (input.size() + 1) : 0;

	PostHog::LogRecord record;
	record.level = static_cast<PostHog::LogLevel>(data[0] % 6);
	record.body = input.substr(0, cut);
	if (record.body.empty())
		record.body = "x";
	record.flags = (data[0] & 0x80) ? data[1] : -1;
	record.timeUnixNano = 1735689600000000000ULL + size;
	const std::string rest = input.substr(cut);
	try
	{
		record.attributes = PostHog::Properties::fromVar(Poco::JSON::Parser().parse(rest), 16);
	}
	catch (...)
	{
		record.attributes.set(rest.substr(0, 16).empty() ? "k" : rest.substr(0, 16), rest);
	}
	record.distinctId = rest.substr(0, 8);
	record.traceId = rest.size() >= 32 ? rest.substr(0, 32) : "";
	record.spanId = rest.size() >= 16 ? rest.substr(rest.size() - 16) : "";
	if (!PostHog::OtlpWriter::isHexId(record.traceId, 32))
		record.traceId.clear(); // LogService leaves invalid ids out before the writer sees them
	if (!PostHog::OtlpWriter::isHexId(record.spanId, 16))
		record.spanId.clear();
	for (char& c : record.traceId)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	for (char& c : record.spanId)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

	PostHog::LogOptions options;
	options.serviceName = record.body;
	options.resourceAttributes[rest.substr(0, 8).empty() ? "r" : rest.substr(0, 8)] = input;
	std::string body = PostHog::OtlpWriter::envelopeHead(options);
	PostHog::OtlpWriter::appendRecord(body, record);
	body += PostHog::OtlpWriter::envelopeTail();
	std::string error;
	if (!PostHogTest::OtlpLogsEndpoint::check(body, error))
	{
		std::fprintf(stderr, "OTLP check failed: %s\n", error.c_str());
		std::abort();
	}
	return 0;
}
