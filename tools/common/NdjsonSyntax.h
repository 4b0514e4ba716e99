//
// NdjsonSyntax.h
//
// The checks of one NDJSON line around Poco's JSON parser.
//

#ifndef PostHog_NdjsonSyntax_INCLUDED
#define PostHog_NdjsonSyntax_INCLUDED

#include "NdjsonReader.h"
#include "Poco/Dynamic/Var.h"
#include "Poco/JSON/Object.h"
#include "Poco/Timestamp.h"
#include <string>

namespace PostHog
{

class NdjsonSyntax
/// What NdjsonReader::parse() checks before the fields: valid UTF-8, a JSON object, numbers that
/// fit (Poco's parser wraps oversized integers silently and has no word for NaN), the nesting,
/// entry and string bounds of NdjsonReader::Limits, and ISO 8601 timestamps. Every failure is an
/// InvalidMessageException "line <n>: ..." with one line of text.
{
public:
	class LineError
	/// Throws the "line <n>: ..." InvalidMessageException.
	{
	public:
		explicit LineError(std::size_t line);
		[[noreturn]] void operator()(const std::string& what) const;

	private:
		std::string _prefix;
	};

	static Poco::JSON::Object::Ptr parseObject(const std::string& line, const NdjsonReader::Limits& limits,
	                                           const LineError& fail);
	/// The line as a JSON object, after every check above.

	static Poco::Timestamp parseTimestamp(const std::string& text, const LineError& fail);
	/// An ISO 8601 date-time with seconds and a UTC offset.

	static std::string excerpt(const std::string& text);
	/// At most 40 characters of text, control characters escaped, for a message.

	static std::string jsonTypeOf(const Poco::Dynamic::Var& value);
	/// "an object", "an array", "a string", "a number", "a boolean" or "null".

private:
	static void checkUtf8(const std::string& line, const LineError& fail);
	static void checkStart(const std::string& line, const LineError& fail);
	static void checkNumbers(const std::string& line, const LineError& fail);
	static void checkNumber(const std::string& token, bool integer, const LineError& fail);
	static void checkBounds(const Poco::Dynamic::Var& value, const std::string& path,
	                        const NdjsonReader::Limits& limits, const LineError& fail);
};

} // namespace PostHog

#endif // PostHog_NdjsonSyntax_INCLUDED
