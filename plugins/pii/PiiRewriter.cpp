//
// PiiRewriter.cpp
//

#include "PiiRewriter.h"
#include "PostHog/Exceptions.h"
#include <cstring>

namespace PostHog
{

namespace
{

// The caches' sizes: 512 keys of up to 64 bytes and 1,024 (key, text) pairs of up to 160 bytes
// together, about 230 KB per stage, allocated when the stage is made.
constexpr std::size_t kKeySlots = 512;
constexpr std::size_t kMaxKeyLength = 64;
constexpr std::size_t kTextSlots = 1024;
constexpr std::size_t kMaxTextLength = 96;

} // namespace

PiiRewriter::PiiRewriter(PiiScrubber& scrubber, const PiiOptions& options)
    : _scrubber(scrubber), _allow(options.allowKeys), _maxDepth(options.maxDepth),
      _keyClasses(kKeySlots, kMaxKeyLength), _cleanTexts(kTextSlots, kMaxKeyLength + kMaxTextLength)
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

PiiRewriter::KeyClass PiiRewriter::classify(std::string_view key, std::size_t keyHash)
{
	unsigned char cached;
	if (_keyClasses.find(keyHash, key, std::string_view(), cached))
		return static_cast<KeyClass>(cached);
	KeyClass c = KeyClass::Ordinary;
	if (!_allow.empty() && !key.empty() && allowed(key))
		c = KeyClass::Allowed;
	else if (_scrubber.isSensitiveKey(key))
		c = KeyClass::Sensitive;
	_keyClasses.store(keyHash, key, std::string_view(), static_cast<unsigned char>(c));
	return c;
}

PropertyRewriter::Action PiiRewriter::scrubString(std::string_view key, std::size_t keyHash,
                                                  std::string_view text, Value& replacement)
{
	// Strings too short for any detector are decided without a scan: not worth a cache slot.
	if (text.size() < _scrubber.minLength() || !_cleanTexts.cacheable(key, text))
		return apply(_scrubber.scrubText(key, text, _out), replacement);
	std::size_t hash = DecisionCache::hash(text, keyHash);
	unsigned char clean;
	if (_cleanTexts.find(hash, key, text, clean))
		return Keep;
	Action action = apply(_scrubber.scrubText(key, text, _out), replacement);
	if (action == Keep)
		_cleanTexts.store(hash, key, text, 1);
	return action;
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
	std::size_t keyHash = DecisionCache::hash(key);
	KeyClass keyClass = classify(key, keyHash);
	if (keyClass == KeyClass::Allowed)
		return Keep;
	if (keyClass == KeyClass::Sensitive)
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
		return scrubString(key, keyHash, value.getString(), replacement);
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
