//
// Properties.cpp
//

#include "PostHog/Properties.h"
#include "Poco/Dynamic/Struct.h"
#include "Poco/Dynamic/Var.h"
#include "Poco/JSON/Array.h"
#include "PostHog/Array.h"
#include "PostHog/Exceptions.h"
#include "PostHog/PropertyRewriter.h"
#include "encoding/Encoding.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include <cmath>

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
	// The usual literal has distinct keys: then the buffer is sized once, exactly, and no entry
	// searches for its key (set() scans the buffer each time), which also makes the allocation
	// smaller (docs/performance.md).
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
	_buffer.reserve(size);
	for (const auto& e : entries)
	{
		Encoding::putString(_buffer, e.first);
		Encoding::putValue(_buffer, e.second);
	}
	_count = static_cast<std::uint32_t>(entries.size());
}

std::size_t Properties::find(std::string_view key, std::size_t& valueEnd) const noexcept
{
	const char* base = _buffer.data();
	const char* p = base;
	const char* end = base + _buffer.size();
	while (p < end)
	{
		std::string_view k;
		const char* valueStart = Encoding::decodeKey(p, k);
		const char* next = Encoding::skipValue(valueStart);
		if (k == key)
		{
			valueEnd = static_cast<std::size_t>(next - base);
			return static_cast<std::size_t>(valueStart - base);
		}
		p = next;
	}
	return std::string::npos;
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
	const char* base = _buffer.data();
	const char* p = base;
	const char* end = base + _buffer.size();
	while (p < end)
	{
		std::string_view k;
		const char* valueStart = Encoding::decodeKey(p, k);
		const char* next = Encoding::skipValue(valueStart);
		if (k == key)
		{
			_buffer.erase(static_cast<std::size_t>(p - base), static_cast<std::size_t>(next - p));
			--_count;
			return true;
		}
		p = next;
	}
	return false;
}

void Properties::merge(const Properties& other, bool overwrite)
{
	if (&other == this || other._count == 0)
		return;
	// Key by key, each setIfAbsent() would scan this buffer twice (has, then set), skipping
	// nested values on the way, for every key of other. Instead: one scan of this buffer marks
	// the keys of other it already has, and the new entries are appended as raw encoded bytes.
	// Up to 64 entries of other are tracked that way; beyond, key by key.
	constexpr std::uint32_t kTracked = 64;
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
	struct Span
	{
		std::string_view key;
		std::size_t begin; // the whole entry in other._buffer
		std::size_t end;
	};
	Span spans[kTracked];
	std::uint32_t n = 0;
	const char* obase = other._buffer.data();
	const char* op = obase;
	const char* oend = obase + other._buffer.size();
	while (op < oend && n < kTracked)
	{
		std::string_view k;
		const char* next = Encoding::skipValue(Encoding::decodeKey(op, k));
		spans[n++] = Span{k, static_cast<std::size_t>(op - obase), static_cast<std::size_t>(next - obase)};
		op = next;
	}
	std::uint64_t present = 0;
	const char* p = _buffer.data();
	const char* end = p + _buffer.size();
	while (p < end)
	{
		std::string_view k;
		const char* next = Encoding::skipValue(Encoding::decodeKey(p, k));
		for (std::uint32_t i = 0; i < n; ++i)
		{
			if (!(present & (std::uint64_t(1) << i)) && spans[i].key == k)
			{
				present |= std::uint64_t(1) << i;
				break;
			}
		}
		p = next;
	}
	if (overwrite && present)
	{
		for (std::uint32_t i = 0; i < n; ++i)
		{
			if (present & (std::uint64_t(1) << i))
			{
				Value v;
				Encoding::decodeValue(spans[i].key.data() + spans[i].key.size(),
				                      v); // the value follows its key
				set(spans[i].key, v);
			}
		}
	}
	_buffer.reserve(_buffer.size() + other._buffer.size());
	for (std::uint32_t i = 0; i < n; ++i)
	{
		if (!(present & (std::uint64_t(1) << i)))
		{
			_buffer.append(obase + spans[i].begin, spans[i].end - spans[i].begin);
			++_count;
		}
	}
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

//
// rewrite: walks the buffer by offset and edits it in place.
//

namespace
{

struct RewriteState
{
	std::string& buffer;
	PropertyRewriter& rewriter;
	std::string scratch;
};

// Rewrites `count` items (entries when isObject, else elements) starting at pos, or until the
// end of the buffer when count is npos. Returns the position after them; `removed` counts the
// items removed.
std::size_t rewriteItems(RewriteState& st, std::size_t pos, std::size_t count, bool isObject,
                         std::string_view parentKey, unsigned depth, std::size_t& removed)
{
	for (std::size_t i = 0; count == std::string::npos ? pos < st.buffer.size() : i < count; ++i)
	{
		std::size_t itemStart = pos;
		std::string_view key = parentKey;
		const char* base = st.buffer.data();
		const char* p = base + pos;
		if (isObject)
			p = Encoding::decodeKey(p, key);
		std::size_t valueStart = static_cast<std::size_t>(p - base);
		Value value;
		std::size_t valueEnd = static_cast<std::size_t>(Encoding::decodeValue(p, value) - base);
		Value replacement;
		PropertyRewriter::Action action = st.rewriter.visit(key, value, depth, replacement);
		switch (action)
		{
		case PropertyRewriter::Keep:
			pos = valueEnd;
			break;
		case PropertyRewriter::Descend:
			if (value.isArray() || value.isObject())
			{
				std::uint64_t childCount;
				const char* children = Encoding::getVarint(base + valueStart + 1, childCount);
				std::size_t countPos = valueStart + 1;
				std::size_t childrenPos = static_cast<std::size_t>(children - base);
				std::size_t childRemoved = 0;
				// The key points into the buffer, which the children's edits may move: keep a copy.
				std::string_view childKey = key;
				std::string keyCopy;
				if (isObject)
				{
					keyCopy.assign(key.data(), key.size());
					childKey = keyCopy;
				}
				std::size_t end = rewriteItems(st, childrenPos, static_cast<std::size_t>(childCount),
				                               value.isObject(), childKey, depth + 1, childRemoved);
				if (childRemoved)
				{
					std::string newCount;
					Encoding::putVarint(newCount, childCount - childRemoved);
					std::size_t oldLen = childrenPos - countPos;
					st.buffer.replace(countPos, oldLen, newCount);
					end = end - oldLen + newCount.size();
				}
				pos = end;
			}
			else
			{
				pos = valueEnd;
			}
			break;
		case PropertyRewriter::Replace:
			st.scratch.clear();
			Encoding::putValue(st.scratch, replacement);
			st.buffer.replace(valueStart, valueEnd - valueStart, st.scratch);
			pos = valueStart + st.scratch.size();
			break;
		case PropertyRewriter::Remove:
			st.buffer.erase(itemStart, valueEnd - itemStart);
			pos = itemStart;
			++removed;
			break;
		}
	}
	return pos;
}

} // namespace

void Properties::rewrite(PropertyRewriter& rewriter)
{
	RewriteState st{_buffer, rewriter, std::string()};
	std::size_t removed = 0;
	rewriteItems(st, 0, std::string::npos, true, std::string_view(), 0, removed);
	_count -= static_cast<std::uint32_t>(removed);
}

//
// fromVar
//

namespace
{

void encodeVar(std::string& out, const Poco::Dynamic::Var& var, const std::string& key, unsigned depth,
               unsigned maxDepth);

void encodeObjectEntries(std::string& out, const Poco::JSON::Object& object, unsigned depth,
                         unsigned maxDepth, std::uint32_t& count)
{
	// Poco::JSON::Object iterates its map in key order unless it preserves insertion order;
	// getNames() respects the object's own ordering choice.
	for (const auto& name : object.getNames())
	{
		Encoding::putString(out, name);
		encodeVar(out, object.get(name), name, depth, maxDepth);
		++count;
	}
}

void encodeVar(std::string& out, const Poco::Dynamic::Var& var, const std::string& key, unsigned depth,
               unsigned maxDepth)
{
	using namespace Encoding;
	if (depth > maxDepth)
		throw InvalidMessageException("property '" + key + "' nests deeper than " + std::to_string(maxDepth) +
		                              " levels");
	if (var.isEmpty())
	{
		out.push_back(static_cast<char>(TagNull));
		return;
	}
	if (var.type() == typeid(Poco::JSON::Object::Ptr) || var.type() == typeid(Poco::JSON::Object) ||
	    var.type() == typeid(Poco::DynamicStruct))
	{
		out.push_back(static_cast<char>(TagObject));
		std::string body;
		std::uint32_t count = 0;
		if (var.type() == typeid(Poco::JSON::Object::Ptr))
		{
			auto obj = var.extract<Poco::JSON::Object::Ptr>();
			if (!obj)
			{
				out.back() = static_cast<char>(TagNull);
				return;
			}
			encodeObjectEntries(body, *obj, depth + 1, maxDepth, count);
		}
		else if (var.type() == typeid(Poco::JSON::Object))
		{
			encodeObjectEntries(body, var.extract<Poco::JSON::Object>(), depth + 1, maxDepth, count);
		}
		else
		{
			const auto& st = var.extract<Poco::DynamicStruct>();
			for (const auto& kv : st)
			{
				putString(body, kv.first);
				encodeVar(body, kv.second, kv.first, depth + 1, maxDepth);
				++count;
			}
		}
		putVarint(out, count);
		out.append(body);
		return;
	}
	if (var.type() == typeid(Poco::JSON::Array::Ptr) || var.type() == typeid(Poco::JSON::Array) ||
	    var.isArray())
	{
		out.push_back(static_cast<char>(TagArray));
		std::string body;
		std::uint32_t count = 0;
		if (var.type() == typeid(Poco::JSON::Array::Ptr))
		{
			auto arr = var.extract<Poco::JSON::Array::Ptr>();
			if (!arr)
			{
				out.back() = static_cast<char>(TagNull);
				return;
			}
			for (std::size_t i = 0; i < arr->size(); ++i, ++count)
				encodeVar(body, arr->get(static_cast<unsigned>(i)), key, depth + 1, maxDepth);
		}
		else if (var.type() == typeid(Poco::JSON::Array))
		{
			const auto& arr = var.extract<Poco::JSON::Array>();
			for (std::size_t i = 0; i < arr.size(); ++i, ++count)
				encodeVar(body, arr.get(static_cast<unsigned>(i)), key, depth + 1, maxDepth);
		}
		else
		{
			for (std::size_t i = 0; i < var.size(); ++i, ++count)
				encodeVar(body, var[i], key, depth + 1, maxDepth);
		}
		putVarint(out, count);
		out.append(body);
		return;
	}
	if (var.isBoolean())
	{
		out.push_back(static_cast<char>(var.convert<bool>() ? TagTrue : TagFalse));
		return;
	}
	if (var.isInteger())
	{
		if (var.isSigned())
			putValue(out, Value(static_cast<long long>(var.convert<Poco::Int64>())));
		else
			putValue(out, Value(static_cast<unsigned long long>(var.convert<Poco::UInt64>())));
		return;
	}
	if (var.isNumeric())
	{
		double d = var.convert<double>();
		if (!std::isfinite(d))
			throw InvalidMessageException("property '" + key + "' is not a finite number");
		putValue(out, Value(d));
		return;
	}
	if (var.isString())
	{
		putValue(out, Value(var.extract<std::string>()));
		return;
	}
	// Anything else (dates, blobs): its string form.
	putValue(out, Value(var.convert<std::string>()));
}

} // namespace

Properties Properties::fromVar(const Poco::Dynamic::Var& object, unsigned maxDepth)
{
	Properties props;
	std::string encoded;
	encodeVar(encoded, object, "properties", 0, maxDepth);
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
