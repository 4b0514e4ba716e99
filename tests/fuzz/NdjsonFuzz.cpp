//
// NdjsonFuzz.cpp
//
// libFuzzer target: NDJSON input through NdjsonReader::readLine and parse() (small limits so
// the depth, size and entry checks are reached). A line is either a Record or an
// InvalidMessageException whose message starts with "line <n>:" and is one line; anything
// else (another exception, a crash, undefined behaviour) is a finding.
//

#include "PostHog/Exceptions.h"
#include "NdjsonReader.h"
#include <cstdint>
#include <cstdlib>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	PostHog::NdjsonReader::Limits limits;
	limits.maxLineBytes = 4096;
	limits.maxDepth = 8;
	limits.maxEntries = 64;
	limits.maxStringBytes = 512;
	PostHog::NdjsonReader reader(limits);
	std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
	std::string line;
	std::size_t n = 0;
	for (;;)
	{
		PostHog::NdjsonReader::LineStatus status = reader.readLine(in, line);
		if (status == PostHog::NdjsonReader::End)
			break;
		++n;
		if (status == PostHog::NdjsonReader::TooLong)
		{
			if (reader.tooLongMessage(n).find('\n') != std::string::npos)
				std::abort();
			continue;
		}
		if (line.size() > limits.maxLineBytes)
			std::abort(); // readLine must never hand over more than maxLineBytes
		if (PostHog::NdjsonReader::isBlank(line))
			continue;
		try
		{
			PostHog::NdjsonReader::Record record = reader.parse(line, n);
			if (record.line != n)
				std::abort();
		}
		catch (PostHog::InvalidMessageException& e)
		{
			const std::string& m = e.message();
			std::string prefix = "line " + std::to_string(n) + ":";
			if (m.compare(0, prefix.size(), prefix) != 0 || m.find('\n') != std::string::npos)
				std::abort(); // the error must name the line and be one sentence
		}
	}
	return 0;
}
