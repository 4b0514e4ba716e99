//
// Properties.cpp
//

#include "PostHog/Properties.h"
#include "Poco/Dynamic/Var.h"
#include "PostHog/Array.h"
#include "PostHog/Exceptions.h"
#include "encoding/Encoding.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include "encoding/RewriteWalk.h"
#include "encoding/VarEncoder.h"

namespace PostHog
{

namespace
{

bool pointsInto(const std::string& buffer, const Value& value)
{
	const char* raw = PropertiesAccess::rawData(value);
	return raw && raw >= buffer.data() && raw < buffer.data() + buffer.size();
}

} // namespace

Properties::Properties(std::initializer_list<std::pair<std::string_view, Value>> entries)
{
	// The usual literal has distinct keys: then the buffer is sized once, exactly, written
	// through a pointer, and no entry searches for its key (set() scans the buffer each time).
	std::size_t size = 0;
	for (auto it = entries.begin(); it != entries.end(); ++it)
	{
		for (auto prev = entries.begin(); prev != it; ++prev)
		{
			if (prev->first == it->first)
			{
				for (const auto& e : entries)
					set(e.first, e.second);
				return;
			}
		}
		size += Encoding::varintSize(it->first.size()) + it->first.size() + Encoding::encodedSize(it->second);
	}
	_buffer = std::string(size, '\0'); // one allocation and fill: cheaper than growing an empty string
	char* o = &_buffer[0];
	for (const auto& e : entries)
		o = Encoding::writeValue(Encoding::writeString(o, e.first), e.second);
	_count = static_cast<std::uint32_t>(entries.size());
}

namespace
{

bool locate(const std::string& buffer, std::string_view key, std::size_t& entryStart, std::size_t& valueStart,
            std::size_t& entryEnd) noexcept
/// Finds key's entry in an encoded buffer: the offsets of its key, its value and its end.
/// False when the key is not there.
{
	const char* base = buffer.data();
	const char* p = base;
	const char* end = base + buffer.size();
	while (p < end)
	{
		std::string_view k;
		const char* value = Encoding::decodeKey(p, k);
		const char* next = Encoding::skipValue(value);
		if (k == key)
		{
			entryStart = static_cast<std::size_t>(p - base);
			valueStart = static_cast<std::size_t>(value - base);
			entryEnd = static_cast<std::size_t>(next - base);
			return true;
		}
		p = next;
	}
	return false;
}

} // namespace

std::size_t Properties::find(std::string_view key, std::size_t& valueEnd) const noexcept
{
	std::size_t entryStart = 0;
	std::size_t valueStart = 0;
	if (!locate(_buffer, key, entryStart, valueStart, valueEnd))
		return std::string::npos;
	return valueStart;
}

Properties& Properties::set(std::string_view key, const Value& value)
{
	std::size_t valueEnd = 0;
	std::size_t valueStart = find(key, valueEnd);
	if (valueStart != std::string::npos)
	{
		std::string encoded;
		Encoding::putValue(encoded, value);
		_buffer.replace(valueStart, valueEnd - valueStart, encoded);
		return *this;
	}
	bool aliased = pointsInto(_buffer, value) ||
	               (key.data() >= _buffer.data() && key.data() < _buffer.data() + _buffer.size());
	if (aliased)
	{
		std::string entry;
		Encoding::putString(entry, key);
		Encoding::putValue(entry, value);
		_buffer.append(entry);
	}
	else
	{
		Encoding::putString(_buffer, key);
		Encoding::putValue(_buffer, value);
	}
	++_count;
	return *this;
}

bool Properties::setIfAbsent(std::string_view key, const Value& value)
{
	if (has(key))
		return false;
	set(key, value);
	return true;
}

Value Properties::get(std::string_view key) const noexcept
{
	std::size_t valueEnd = 0;
	std::size_t valueStart = find(key, valueEnd);
	Value v;
	if (valueStart != std::string::npos)
		Encoding::decodeValue(_buffer.data() + valueStart, v);
	return v;
}

bool Properties::has(std::string_view key) const noexcept
{
	std::size_t valueEnd = 0;
	return find(key, valueEnd) != std::string::npos;
}

bool Properties::remove(std::string_view key)
{
	std::size_t entryStart = 0;
	std::size_t valueStart = 0;
	std::size_t entryEnd = 0;
	if (!locate(_buffer, key, entryStart, valueStart, entryEnd))
		return false;
	_buffer.erase(entryStart, entryEnd - entryStart);
	--_count;
	return true;
}

namespace
{

// What merge() tracks of the entries of the merged buffer.
constexpr std::uint32_t kTracked = 64;

struct Span
/// Trivial, so that merge()'s array of kTracked spans is not initialised on every call.
{
	const char* keyData;
	std::size_t keyLength;
	std::size_t begin; // the whole entry in the merged buffer
	std::size_t end;

	std::string_view key() const noexcept { return std::string_view(keyData, keyLength); }
};

// The entries of buffer (at most kTracked) into spans; returns how many.
std::uint32_t collectSpans(const std::string& buffer, Span* spans)
{
	std::uint32_t n = 0;
	const char* base = buffer.data();
	const char* p = base;
	const char* end = base + buffer.size();
	while (p < end && n < kTracked)
	{
		std::string_view k;
		const char* next = Encoding::skipValue(Encoding::decodeKey(p, k));
		spans[n++] = Span{k.data(), k.size(), static_cast<std::size_t>(p - base),
		                  static_cast<std::size_t>(next - base)};
		p = next;
	}
	return n;
}

// One scan of buffer: bit i is set when the key of spans[i] is already there.
std::uint64_t presentKeys(const std::string& buffer, const Span* spans, std::uint32_t n)
{
	// Bit l: some span's key has l bytes (l < 64; longer keys set bit 63), so that most keys of
	// buffer are passed over without a look at the spans.
	std::uint64_t lengths = 0;
	for (std::uint32_t i = 0; i < n; ++i)
		lengths |= std::uint64_t(1) << (spans[i].keyLength < 63 ? spans[i].keyLength : 63);
	std::uint64_t present = 0;
	const char* p = buffer.data();
	const char* end = p + buffer.size();
	while (p < end)
	{
		std::string_view k;
		const char* next = Encoding::skipValue(Encoding::decodeKey(p, k));
		if (!((lengths >> (k.size() < 63 ? k.size() : 63)) & 1))
		{
			p = next;
			continue;
		}
		for (std::uint32_t i = 0; i < n; ++i)
		{
			if (!(present & (std::uint64_t(1) << i)) && spans[i].key() == k)
			{
				present |= std::uint64_t(1) << i;
				break;
			}
		}
		p = next;
	}
	return present;
}

// Appends the entries of spans not marked present, as raw bytes of source. The spans are adjacent
// in source, so each run of missing entries is one append. Returns how many were appended.
std::uint32_t appendMissing(std::string& buffer, const char* source, const Span* spans, std::uint32_t n,
                            std::uint64_t present)
{
	std::uint32_t appended = 0;
	std::uint32_t i = 0;
	while (i < n)
	{
		if (present & (std::uint64_t(1) << i))
		{
			++i;
			continue;
		}
		std::uint32_t j = i + 1;
		while (j < n && !(present & (std::uint64_t(1) << j)))
			++j;
		buffer.append(source + spans[i].begin, spans[j - 1].end - spans[i].begin);
		appended += j - i;
		i = j;
	}
	return appended;
}

} // namespace

void Properties::merge(const Properties& other, bool overwrite)
{
	if (&other == this || other._count == 0)
		return;
	// Key by key, each setIfAbsent() would scan this buffer twice (has, then set), skipping nested
	// values on the way. Instead: one scan of this buffer marks the keys of other it already has,
	// and the new entries are appended as raw encoded bytes. Up to kTracked entries of other are
	// tracked that way; beyond, key by key.
	if (other._count > kTracked)
	{
		for (const auto& e : other)
		{
			if (overwrite)
				set(e.key, e.value);
			else
				setIfAbsent(e.key, e.value);
		}
		return;
	}
	Span spans[kTracked];
	std::uint32_t n = collectSpans(other._buffer, spans);
	std::uint64_t present = presentKeys(_buffer, spans, n);
	for (std::uint32_t i = 0; overwrite && i < n; ++i)
	{
		if (present & (std::uint64_t(1) << i))
		{
			Value v;
			Encoding::decodeValue(spans[i].keyData + spans[i].keyLength, v); // the value follows its key
			set(spans[i].key(), v);
		}
	}
	_buffer.reserve(_buffer.size() + other._buffer.size());
	_count += appendMissing(_buffer, other._buffer.data(), spans, n, present);
}

void Properties::clear() noexcept
{
	_buffer.clear();
	_count = 0;
}

EntryIterator Properties::begin() const noexcept
{
	return EntryIterator(_buffer.data(), _buffer.data() + _buffer.size());
}

EntryIterator Properties::end() const noexcept
{
	const char* end = _buffer.data() + _buffer.size();
	return EntryIterator(end, end);
}

std::string Properties::toJSON() const
{
	std::string out;
	JsonWriter::appendEncodedObject(out, _buffer.data(), _buffer.data() + _buffer.size());
	return out;
}

Poco::JSON::Object::Ptr Properties::toObject() const
{
	return Value(*this).toVar().extract<Poco::JSON::Object::Ptr>();
}

bool Properties::operator==(const Properties& other) const noexcept
{
	return _count == other._count && _buffer == other._buffer;
}

void Properties::rewrite(PropertyRewriter& rewriter)
{
	_count -= static_cast<std::uint32_t>(RewriteWalk::run(_buffer, rewriter));
}

Properties Properties::fromVar(const Poco::Dynamic::Var& object, unsigned maxDepth)
{
	Properties props;
	std::string encoded;
	VarEncoder::encode(encoded, object, "properties", 0, maxDepth);
	if (encoded.empty() || static_cast<unsigned char>(encoded[0]) != Encoding::TagObject)
		throw InvalidMessageException("properties must be a JSON object");
	std::uint64_t count;
	const char* body = Encoding::getVarint(encoded.data() + 1, count);
	props._buffer.assign(body, static_cast<std::size_t>(encoded.data() + encoded.size() - body));
	props._count = static_cast<std::uint32_t>(count);
	// Keys must be unique; a Poco object cannot hold duplicates, so no check is needed here.
	return props;
}

} // namespace PostHog
