//
// UuidGenerator.h
//
// Time-ordered UUIDv7 (RFC 9562), fast enough for the capture path.
//

#ifndef PostHog_UuidGenerator_INCLUDED
#define PostHog_UuidGenerator_INCLUDED

#include "Poco/Timestamp.h"
#include "Poco/UUID.h"
#include <string>

namespace PostHog
{

class UuidGenerator
/// Makes the UUIDs of events. Poco 1.11 has no version 7, and its random UUID takes a lock and
/// reads the random device on every call (costs in docs/performance.md). This keeps one
/// xoshiro256** generator per thread, seeded once from Poco::RandomInputStream and reseeded in
/// a child after fork() (so parent and child never produce the same ids).
{
public:
	static Poco::UUID next();
	/// 48 bits of Unix milliseconds, version 7, 74 random bits, RFC 4122 variant.
	static Poco::UUID next(const Poco::Timestamp& now);
	/// The same with the milliseconds of now: capture() reads the clock once for the uuid and
	/// the event's timestamp (a clock read is a visible share of the whole call).

	static void next(const Poco::Timestamp& now, Poco::UUID& uuid);
	/// The same, written into uuid (capture() fills the message's own uuid, no temporary).

	static std::string toString(const Poco::UUID& uuid);
	/// The lower-case 8-4-4-4-12 form (faster than Poco::UUID::toString()).

	static void format(const Poco::UUID& uuid, char* text);
	/// Writes the same 36 characters at text (no terminating zero).

	static bool parse(const std::string& text, Poco::UUID& uuid);
	/// Accepts the 8-4-4-4-12 hex form (either case). Returns false for anything else.
};

} // namespace PostHog

#endif // PostHog_UuidGenerator_INCLUDED
