//
// PhysicalLimit.cpp
//

#include "PhysicalLimit.h"
#include "BenchEvent.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/Exception.h"
#include "Poco/UUIDGenerator.h"
#include "PostHog/Message.h"
#include <algorithm>
#include <ctime>
#include <string>
#include <vector>
#include <zlib.h>

namespace PostHogBench
{

namespace
{

double threadCpuNs()
{
	timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

} // namespace

PhysicalLimit::Result PhysicalLimit::measure(std::size_t events, std::uint32_t seed, unsigned users,
                                             std::size_t batchSize, int gzipLevel, int rounds)
{
	double cpu0 = threadCpuNs();
	Result best;
	best.events = events;
	if (events == 0)
		return best;
	batchSize = std::max<std::size_t>(1, batchSize);

	std::vector<PostHog::Message> messages;
	messages.reserve(events);
	Mulberry32 r(seed);
	BenchEvent ev;
	const std::string eventName(BenchEvent::kEventName);
	for (std::size_t i = 0; i < events; ++i)
	{
		BenchEvent::make(r, users, ev);
		messages.emplace_back(PostHog::Message::Type::Capture, eventName, ev.distinctId,
		                      std::move(ev.properties));
		messages.back().setUuid(Poco::UUIDGenerator::defaultGenerator().createRandom());
		messages.back().setTimestamp(Poco::Timestamp());
	}

	z_stream z{};
	if (deflateInit2(&z, gzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		throw Poco::RuntimeException("zlib deflateInit2 failed at level " + std::to_string(gzipLevel));
	const std::string head = "{\"api_key\":\"phc_benchmark_key\",\"batch\":[";
	std::string body, gz;
	body.reserve(batchSize * 600);
	for (int round = 0; round < std::max(1, rounds); ++round)
	{
		double jsonNs = 0, gzipNs = 0;
		std::size_t jsonBytes = 0, gzipBytes = 0;
		for (std::size_t begin = 0; begin < events; begin += batchSize)
		{
			std::size_t end = std::min(events, begin + batchSize);
			double t0 = threadCpuNs();
			body.assign(head);
			for (std::size_t i = begin; i < end; ++i)
			{
				if (i != begin)
					body.push_back(',');
				body.append(messages[i].toJSON(false));
			}
			body.append("],\"sent_at\":\"");
			body.append(Poco::DateTimeFormatter::format(Poco::Timestamp(),
			                                            Poco::DateTimeFormat::ISO8601_FRAC_FORMAT));
			body.append("\"}");
			double t1 = threadCpuNs();
			deflateReset(&z);
			gz.resize(deflateBound(&z, body.size()));
			z.next_in = reinterpret_cast<Bytef*>(&body[0]);
			z.avail_in = static_cast<uInt>(body.size());
			z.next_out = reinterpret_cast<Bytef*>(&gz[0]);
			z.avail_out = static_cast<uInt>(gz.size());
			if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			{
				deflateEnd(&z);
				throw Poco::RuntimeException("zlib deflate did not finish a batch");
			}
			gz.resize(gz.size() - z.avail_out);
			double t2 = threadCpuNs();
			jsonNs += t1 - t0;
			gzipNs += t2 - t1;
			jsonBytes += body.size();
			gzipBytes += gz.size();
		}
		double n = static_cast<double>(events);
		if (round == 0 || jsonNs / n + gzipNs / n < best.totalNsPerEvent())
		{
			best.jsonNsPerEvent = jsonNs / n;
			best.gzipNsPerEvent = gzipNs / n;
			best.jsonBytesPerEvent = static_cast<double>(jsonBytes) / n;
			best.gzipBytesPerEvent = static_cast<double>(gzipBytes) / n;
		}
	}
	deflateEnd(&z);
	best.cpuMs = (threadCpuNs() - cpu0) / 1e6;
	return best;
}

} // namespace PostHogBench
