//
// PropertyIndex.h
//
// A person's or group's properties decoded once for the many lookups of one evaluation.
//

#ifndef PostHog_Flags_PropertyIndex_INCLUDED
#define PostHog_Flags_PropertyIndex_INCLUDED

#include "Poco/Timestamp.h"
#include "PostHog/Properties.h"
#include "flags/Semver.h"
#include <string_view>
#include <vector>

namespace PostHog
{

class PropertyIndex
/// The top-level entries of a Properties, decoded once: evaluating many flags looks the same
/// few keys up again and again, and a lookup here compares keys without decoding the buffer.
/// The readings of a value that several filters share (as a version, as a date) are made once,
/// on first use. Views into the Properties, which must outlive the index; one evaluation run
/// (one thread) uses an index.
{
public:
	class Entry
	/// One property: its key, its value, and its readings.
	{
	public:
		Entry(std::string_view key, Value value) noexcept : _key(key), _value(value) {}

		std::string_view key() const noexcept { return _key; }
		const Value& value() const noexcept { return _value; }

		const Semver* version() const;
		/// String(value) read as a version, or null when it is none.
		bool date(Poco::Timestamp& out) const noexcept;
		/// The value read as a date (DateFilter::parseContextDate); false when it is none.
		bool asciiString() const noexcept;
		/// Whether the value is a string of ASCII characters only.

	private:
		enum class State : unsigned char
		{
			Unread,
			Valid,
			Invalid
		};

		std::string_view _key;
		Value _value;
		mutable State _versionState = State::Unread;
		mutable State _dateState = State::Unread;
		mutable State _asciiState = State::Unread;
		mutable Semver _version;
		mutable Poco::Timestamp::TimeVal _date = 0; // a plain number: entries are made per evaluation
	};

	explicit PropertyIndex(const Properties& properties);

	const Entry* findEntry(std::string_view key) const noexcept;
	/// The entry of that key, or null when the key is absent.

private:
	std::vector<Entry> _entries;
};

} // namespace PostHog

#endif // PostHog_Flags_PropertyIndex_INCLUDED
