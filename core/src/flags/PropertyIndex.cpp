//
// PropertyIndex.cpp
//

#include "flags/PropertyIndex.h"
#include "flags/DateFilter.h"
#include "flags/PropertyText.h"
#include <cstring>
#include <string>

namespace PostHog
{

const Semver* PropertyIndex::Entry::version() const
{
	if (_versionState == State::Unread)
	{
		bool valid = false;
		if (_value.isString())
			valid = Semver::parse(_value.getString(), _version);
		else
		{
			std::string text;
			PropertyText::appendString(_value, text);
			valid = Semver::parse(text, _version);
		}
		_versionState = valid ? State::Valid : State::Invalid;
	}
	return _versionState == State::Valid ? &_version : nullptr;
}

bool PropertyIndex::Entry::date(Poco::Timestamp& out) const noexcept
{
	if (_dateState == State::Unread)
	{
		Poco::Timestamp parsed(0);
		_dateState = DateFilter::parseContextDate(_value, parsed) ? State::Valid : State::Invalid;
		_date = parsed.epochMicroseconds();
	}
	out = Poco::Timestamp(_date);
	return _dateState == State::Valid;
}

bool PropertyIndex::Entry::asciiString() const noexcept
{
	if (_asciiState == State::Unread)
		_asciiState =
		    _value.isString() && PropertyText::isAscii(_value.getString()) ? State::Valid : State::Invalid;
	return _asciiState == State::Valid;
}

PropertyIndex::PropertyIndex(const Properties& properties, std::size_t answerSlots) : _answers(answerSlots)
{
	_entries.reserve(properties.size());
	for (const PostHog::Entry& entry : properties)
		_entries.emplace_back(entry.key, entry.value);
}

const PropertyIndex::Entry* PropertyIndex::findEntry(std::string_view key) const noexcept
{
	for (const Entry& entry : _entries)
	{
		const std::string_view name = entry.key();
		if (name.size() == key.size() && (key.empty() || name[0] == key[0]) &&
		    std::memcmp(name.data(), key.data(), key.size()) == 0)
			return &entry;
	}
	return nullptr;
}

} // namespace PostHog
