//
// PropertyIndex.h
//
// A person's or group's properties decoded once for the many lookups of one evaluation.
//

#ifndef PostHog_Flags_PropertyIndex_INCLUDED
#define PostHog_Flags_PropertyIndex_INCLUDED

#include "Poco/Timestamp.h"
#include "PostHog/Properties.h"
#include "flags/MatchResult.h"
#include "flags/Semver.h"
#include <string_view>
#include <vector>

namespace PostHog
{

class PropertyIndex
/// The top-level entries of a Properties, decoded once: evaluating many flags looks the same
/// few keys up again and again, and a lookup here compares keys without decoding the buffer.
/// The readings of a value that several filters share (as a version, as a date) are made once,
/// on first use, and so are the answers of filters that several flags share (answer slots). Views into the
/// Properties, which must outlive the index; one evaluation run (one thread) uses an index.
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

	explicit PropertyIndex(const Properties& properties, std::size_t answerSlots = 0);
	/// answerSlots: how many filter answers the index can keep (FlagDefinitions::answerSlots()),
	/// 0 to keep none.

	const Entry* findEntry(std::string_view key) const noexcept;
	/// The entry of that key, or null when the key is absent.

	bool recall(int slot, MatchResult& answer) const noexcept
	/// The answer kept in slot for these properties; false when there is none.
	{
		if (slot < 0 || static_cast<std::size_t>(slot) >= _answers.size() ||
		    !_answers[static_cast<std::size_t>(slot)].known)
			return false;
		answer = _answers[static_cast<std::size_t>(slot)].answer;
		return true;
	}

	void remember(int slot, const MatchResult& answer) const noexcept
	/// Keeps answer in slot, when the index keeps answers.
	{
		if (slot >= 0 && static_cast<std::size_t>(slot) < _answers.size())
			_answers[static_cast<std::size_t>(slot)] = Answer{answer, true};
	}

private:
	struct Answer
	{
		MatchResult answer;
		bool known = false;
	};

	std::vector<Entry> _entries;
	mutable std::vector<Answer> _answers;
};

} // namespace PostHog

#endif // PostHog_Flags_PropertyIndex_INCLUDED
