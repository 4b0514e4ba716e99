//
// JsonWriter.h
//
// Appends JSON text to a std::string, straight from the compact encoding.
//
// Why not Poco::JSON::Stringifier: it works on Poco::Dynamic::Var trees, which the hot path
// does not build (see Properties.h); writing from the encoded buffer into the request buffer
// serialises each message once. The costs are in docs/performance.md.
//

#ifndef PostHog_JsonWriter_INCLUDED
#define PostHog_JsonWriter_INCLUDED

#include "Poco/Timestamp.h"
#include "encoding/Encoding.h"
#include <cstdint>
#include <string>
#include <string_view>

namespace PostHog
{

class JsonWriter
/// Stateless helpers, all appending to `out`.
{
public:
	static void appendString(std::string& out, std::string_view s);
	/// A quoted JSON string. Control characters, quotes and backslashes are escaped; bytes that
	/// are not valid UTF-8 are replaced with U+FFFD so the result is always valid JSON.

	static const char* appendEncodedValue(std::string& out, const char* p);
	/// Writes the encoded value at p; returns the position past it.

	static void appendEncodedObject(std::string& out, const char* p, const char* end);
	/// Writes the entries in [p, end) as a JSON object.

	static void appendInt(std::string& out, std::int64_t v);
	static void appendDouble(std::string& out, double v);
	/// Shortest round-trip form (std::to_chars); NaN and infinities become null.

	static void appendTimestamp(std::string& out, const Poco::Timestamp& ts);
	/// Quoted ISO 8601 UTC with milliseconds: "2025-01-01T00:00:00.000Z", or with microseconds
	/// ("2025-01-01T00:00:00.000250Z") when the timestamp has a sub-millisecond part.
	/// Hand-written: Poco::DateTimeFormatter goes through DateTime and a format string, many
	/// times slower per event (posthog-microbench, json section).

	static void appendUuid(std::string& out, const unsigned char* bytes);
	/// Quoted lower-case 8-4-4-4-12 hex form of 16 bytes.

	static bool isValidUtf8(std::string_view s);

	// Raw writers: each writes at o and returns the position past what it wrote. The caller
	// guarantees the room: kExpansion bytes per input byte (string bytes, or encoded bytes for
	// writeEncodedValue) plus kSlack. Why: std::string::append checks capacity and updates the
	// size on every call, and an event's JSON takes dozens of them; writing through a pointer
	// into room reserved once per event avoids that (docs/performance.md).
	static constexpr std::size_t kExpansion = 6; /// a control byte becomes \u00XX
	static constexpr std::size_t kSlack = 32;
	static char* writeString(char* o, std::string_view s);
	static char* writeEncodedValue(char* o, const char*& p);
	/// Writes the encoded value at p and advances p past it.
	template<typename OnKey>
	static char* writeEncodedMembers(char* o, const char* p, const char* end, OnKey&& onKey);
	/// Writes the entries in [p, end) as JSON members separated by commas, without the braces,
	/// calling onKey(key) for each key before it is written.
	static char* writeInt(char* o, std::int64_t v);
	static char* writeDouble(char* o, double v);
	static constexpr std::size_t kTimestampMax = 29;
	static char* writeTimestamp(char* o, const Poco::Timestamp& ts);
	/// 26 bytes, or kTimestampMax with microseconds.
	static char* writeUuid(char* o, const unsigned char* bytes);
	/// 38 bytes.

	static char* scratch(std::size_t size);
	/// A thread-local buffer of at least size bytes (valid until the next call on this thread).
};

//
// inlines
//
template<typename OnKey>
inline char* JsonWriter::writeEncodedMembers(char* o, const char* p, const char* end, OnKey&& onKey)
{
	bool first = true;
	while (p < end)
	{
		if (!first)
			*o++ = ',';
		first = false;
		std::string_view key;
		p = Encoding::decodeKey(p, key);
		onKey(key);
		o = writeString(o, key);
		*o++ = ':';
		o = writeEncodedValue(o, p);
	}
	return o;
}

} // namespace PostHog

#endif // PostHog_JsonWriter_INCLUDED
