//
// NdjsonReader.h
//
// Turns NDJSON lines (one message a line) into calls on a Client.
//

#ifndef PostHog_NdjsonReader_INCLUDED
#define PostHog_NdjsonReader_INCLUDED

#include "PostHog/EventOptions.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <cstddef>
#include <iosfwd>
#include <string>

namespace Poco
{
namespace Util
{
class AbstractConfiguration;
}
} // namespace Poco

namespace PostHog
{

class Client;

class PostHog_API NdjsonReader
/// Reads the NDJSON format of posthog-send: one JSON object a line,
///
///     {"type": "capture", "distinct_id": "user-1", "event": "movie played", "properties": {"title": "Heat"}}
///     {"type": "identify", "distinct_id": "user-1", "properties": {"email": "ada@example.com"}}
///     {"type": "alias", "distinct_id": "anon-7", "alias": "user-1"}
///     {"type": "groupidentify", "group_type": "company", "group_key": "acme", "properties": {"plan": "pro"}}
///     {"type": "pageview", "distinct_id": "user-1", "url": "https://example.com/pricing"}
///
/// and turns each into a Record, which send() passes to the matching Client call:
///
///     NdjsonReader reader;
///     std::string line;
///     for (std::size_t n = 1; reader.readLine(in, line) != NdjsonReader::End; ++n)
///     {
///         try { NdjsonReader::send(client, reader.parse(line, n)); }
///         catch (PostHog::InvalidMessageException& e) { std::cerr << e.message() << '\n'; }
///     }
///
/// Fields ("type" defaults to "capture"; "?" marks an optional field; null counts as absent for
/// an optional field):
///
///     type           capture | identify | alias | groupidentify | pageview
///     distinct_id    string: every type (for alias the previous id; optional for groupidentify)
///     event          string: capture
///     properties?    object: capture, pageview, identify (sent as $set), groupidentify ($group_set)
///     alias          string: alias (the new id)
///     group_type, group_key   strings: groupidentify
///     url            string: pageview ($current_url)
///     groups?        object of strings: capture, identify, pageview ($groups)
///     set?, set_once?  objects: capture, identify, pageview ($set, $set_once)
///     timestamp?     string, ISO 8601 with seconds and a UTC offset ("2024-05-01T12:00:00.250+02:00" or
///                    "...Z"), normalised to UTC; now when absent
///     uuid?          string, 8-4-4-4-12 hex (checked by the Client); a fresh UUIDv7 when absent
///
/// A line is refused, with an InvalidMessageException whose one-sentence message starts with
/// "line <n>: ", when it is not UTF-8, not JSON, not an object, holds NaN or Infinity, holds an
/// integer outside the signed 64-bit range (decision: refused, not silently turned into a
/// double; write it as a string to keep its digits, or with an exponent to send a double), a
/// number too large for a double, an unknown type or field, a field that does not apply to
/// its type, a missing required field, or a field of the wrong JSON type, or when it passes a
/// bound of Limits. Duplicate keys in one object: the last value wins (Poco's parser).
/// Empty strings are left to the Client, which rejects them (the call returns false).
///
/// Thread safety: a reader holds only its limits; parse() and readLine() may run on any number
/// of threads at once (on different streams).
{
public:
	struct PostHog_API Limits
	/// Bounds on one line, so a hostile or broken input cannot exhaust memory or the stack.
	/// Every bound is configurable (posthog.ndjson.*).
	{
		std::size_t maxLineBytes = 1024 * 1024; /// posthog.ndjson.maxLineBytes: bytes in one line
		unsigned maxDepth = 64; /// posthog.ndjson.maxDepth: nested objects/arrays, the line's own included
		std::size_t maxEntries = 10000; /// posthog.ndjson.maxEntries: entries of one object or array
		std::size_t maxStringBytes =
		    256 * 1024; /// posthog.ndjson.maxStringBytes: bytes of one string (key or value)

		static Limits fromConfiguration(const Poco::Util::AbstractConfiguration& config);
		/// Reads posthog.ndjson.*; missing keys keep the defaults. Throws ConfigurationException
		/// naming the key and value for a bad value.
	};

	struct PostHog_API Record
	/// One parsed line.
	{
		enum Type
		{
			Capture,
			Identify,
			Alias,
			GroupIdentify,
			Pageview
		};

		Type type = Capture;
		std::size_t line = 0;   /// the line number given to parse()
		std::string distinctId; /// alias: the previous id; groupidentify: optional
		std::string event;      /// capture only
		std::string alias;      /// alias only: the new id
		std::string groupType;  /// groupidentify only
		std::string groupKey;   /// groupidentify only
		std::string url;        /// pageview only
		Properties properties;
		EventOptions options; /// timestamp, uuid, groups, set, set_once

		static const char* typeName(Type type) noexcept;
		/// "capture", "identify", "alias", "groupidentify" or "pageview".
	};

	enum LineStatus
	{
		Line,    /// a line was read
		TooLong, /// a line longer than maxLineBytes was read and discarded
		End      /// no more input
	};

	NdjsonReader();
	explicit NdjsonReader(const Limits& limits);

	const Limits& limits() const noexcept { return _limits; }

	LineStatus readLine(std::istream& in, std::string& line) const;
	/// Reads the next line (without its '\n' or "\r\n") into line. A line longer than
	/// maxLineBytes is consumed up to its end without being kept (memory stays bounded) and
	/// TooLong returned; tooLongMessage() says why. A last line without '\n' counts.

	std::string tooLongMessage(std::size_t lineNumber) const;
	/// "line 12: the line is longer than 1048576 bytes (posthog.ndjson.maxLineBytes)".

	static bool isBlank(const std::string& line) noexcept;
	/// True for a line of spaces and tabs only (posthog-send skips those without counting).

	Record parse(const std::string& line, std::size_t lineNumber) const;
	/// Parses and checks one line. Throws InvalidMessageException("line <n>: ...").
	/// Cost: Poco's JSON parser plus one pass over the bytes (UTF-8 and number checks).

	static bool send(Client& client, Record record);
	/// Makes the Client call the record stands for. Returns false when the Client rejected it
	/// (empty id or name, malformed uuid, disabled or shut down client; the reason goes to the
	/// client's error callback). Never throws.

private:
	Limits _limits;
};

} // namespace PostHog

#endif // PostHog_NdjsonReader_INCLUDED
