//
// PhysicalLimit.h
//
// The least work any client must do per event: write its JSON and gzip it.
//

#ifndef PostHogBench_PhysicalLimit_INCLUDED
#define PostHogBench_PhysicalLimit_INCLUDED

#include <cstddef>
#include <cstdint>

namespace PostHogBench
{

class PhysicalLimit
/// Measures, on the calling thread, the two costs no design can avoid for the bench event:
///
///   json  writing each event's JSON (EventSerializer, the same bytes the sink writes, from the
///         same Properties) into a batch buffer of batchSize events;
///   gzip  compressing each batch body ({"api_key":..,"batch":[..],"sent_at":..}) with zlib's
///         deflate at the sink's level, straight (no stream classes in between).
///
/// Messages are built (uuid, timestamp) before the clocks start, so the figures are the pure
/// cost of the bytes. The worker's CPU per event divided by json + gzip is "how close the
/// worker comes to the physical limit".
{
public:
	struct Result
	{
		std::size_t events = 0;
		double jsonNsPerEvent = 0;
		double gzipNsPerEvent = 0;
		double jsonBytesPerEvent = 0;
		double gzipBytesPerEvent = 0;
		double cpuMs = 0; /// CPU the measurement itself took (thread time)
		double totalNsPerEvent() const { return jsonNsPerEvent + gzipNsPerEvent; }
	};

	static Result measure(std::size_t events, std::uint32_t seed, unsigned users, std::size_t batchSize,
	                      int gzipLevel, int rounds = 3);
	/// Best of `rounds` passes over `events` events (the best pass is the least disturbed by
	/// other processes on a shared machine).
};

} // namespace PostHogBench

#endif // PostHogBench_PhysicalLimit_INCLUDED
