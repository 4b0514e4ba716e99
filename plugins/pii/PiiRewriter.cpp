//
// PiiRewriter.cpp
//

#include "PiiRewriter.h"
#include "PostHog/Exceptions.h"
#include <cstring>

namespace PostHog
{

PiiRewriter::PiiRewriter(PiiScrubber& scrubber, const PiiOptions& options)
    : _scrubber(scrubber), _allow(options.allowKeys), _maxDepth(options.maxDepth)
{
	for (const auto& a : _allow)
		_allowLengths |= a.size() < 64 ? std::uint64_t(1) << a.size() : 0;
}

bool PiiRewriter::allowed(std::string_view key) const noexcept
{
	if (key.size() < 64 && !((_allowLengths >> key.size()) & 1))
		return false;
	for (const auto& a : _allow)
	{
		if (a.size() == key.size() && a.back() == key.back() && a[0] == key[0] &&
		    std::memcmp(a.data(), key.data(), key.size()) == 0)
			return true;
	}
	return false;
}

PropertyRewriter::Action PiiRewriter::apply(PiiScrubber::Verdict verdict, Value& replacement)
{
	switch (verdict)
	{
	case PiiScrubber::Verdict::Keep:
		return Keep;
	case PiiScrubber::Verdict::Remove:
		return Remove;
	case PiiScrubber::Verdict::Replace:
		replacement = Value(std::string_view(_out));
		return Replace;
	}
	return Keep;
}

PropertyRewriter::Action PiiRewriter::visit(std::string_view key, const Value& value, unsigned depth,
                                            Value& replacement)
{
	if (depth > _maxDepth)
	{
		std::string shown(key.substr(0, 64));
		throw InvalidMessageException("property '" + shown + "' nests deeper than " +
		                              std::to_string(_maxDepth) +
		                              " levels (pii option maxDepth): not scanned, so not sent");
	}
	if (!_allow.empty() && !key.empty() && allowed(key))
		return Keep;
	if (_scrubber.isSensitiveKey(key))
	{
		if (value.isNull() || (value.isString() && value.size() == 0))
			return Keep;
		if (value.isString())
			return apply(_scrubber.scrubWhole(PiiKind::SensitiveKey, value.getString(), _out), replacement);
		return apply(_scrubber.scrubWhole(PiiKind::SensitiveKey, value.toJSON(), _out), replacement);
	}
	switch (value.type())
	{
	case Value::StringType:
		return apply(_scrubber.scrubText(key, value.getString(), _out), replacement);
	case Value::IntType:
		return apply(_scrubber.scrubInteger(value.getInt(), _out), replacement);
	case Value::ArrayType:
	case Value::ObjectType:
		return Descend;
	default:
		return Keep;
	}
}

} // namespace PostHog
