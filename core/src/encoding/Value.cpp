//
// Value.cpp
//

#include "PostHog/Value.h"
#include "Poco/Dynamic/Var.h"
#include "Poco/Exception.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "PostHog/Array.h"
#include "PostHog/Properties.h"
#include "encoding/Encoding.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"
#include <cmath>
#include <limits>

namespace PostHog
{

Value::Value() noexcept : _type(NullType), _count(0), _int(0), _data(nullptr), _size(0) {}

Value::Value(std::nullptr_t) noexcept : Value() {}

Value::Value(bool value) noexcept : _type(BoolType), _count(0), _int(0), _data(nullptr), _size(0)
{
	_bool = value;
}

Value::Value(int value) noexcept : Value(static_cast<long long>(value)) {}

Value::Value(long value) noexcept : Value(static_cast<long long>(value)) {}

Value::Value(long long value) noexcept : _type(IntType), _count(0), _int(value), _data(nullptr), _size(0) {}

Value::Value(unsigned value) noexcept : Value(static_cast<long long>(value)) {}

Value::Value(unsigned long value) noexcept : Value(static_cast<unsigned long long>(value)) {}

Value::Value(unsigned long long value) noexcept : Value()
{
	if (value > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
	{
		_type = DoubleType;
		_double = static_cast<double>(value);
	}
	else
	{
		_type = IntType;
		_int = static_cast<std::int64_t>(value);
	}
}

Value::Value(float value) noexcept : Value(static_cast<double>(value)) {}

Value::Value(double value) noexcept : Value()
{
	if (std::isfinite(value))
	{
		_type = DoubleType;
		_double = value;
	}
}

Value::Value(const char* value) noexcept : Value()
{
	if (value)
	{
		_type = StringType;
		_data = value;
		_size = std::char_traits<char>::length(value);
	}
}

Value::Value(const std::string& value) noexcept : Value(std::string_view(value)) {}

Value::Value(std::string_view value) noexcept
    : _type(StringType), _count(0), _int(0), _data(value.data()), _size(value.size())
{
}

Value::Value(const Properties& object) noexcept
    : _type(ObjectType), _count(static_cast<std::uint32_t>(object.size())), _int(0),
      _data(PropertiesAccess::encoded(object).data()), _size(PropertiesAccess::encoded(object).size())
{
}

Value::Value(const Array& array) noexcept
    : _type(ArrayType), _count(static_cast<std::uint32_t>(array.size())), _int(0),
      _data(PropertiesAccess::encoded(array).data()), _size(PropertiesAccess::encoded(array).size())
{
}

Value Value::fromRaw(Type type, const char* data, std::size_t size, std::uint32_t count) noexcept
{
	Value v;
	v._type = type;
	v._data = data;
	v._size = size;
	v._count = count;
	return v;
}

Value Value::fromInt(std::int64_t value) noexcept
{
	return Value(static_cast<long long>(value));
}

Value::Type Value::type() const noexcept
{
	return _type;
}

bool Value::isNull() const noexcept
{
	return _type == NullType;
}

bool Value::isBool() const noexcept
{
	return _type == BoolType;
}

bool Value::isInt() const noexcept
{
	return _type == IntType;
}

bool Value::isDouble() const noexcept
{
	return _type == DoubleType;
}

bool Value::isNumber() const noexcept
{
	return _type == IntType || _type == DoubleType;
}

bool Value::isString() const noexcept
{
	return _type == StringType;
}

bool Value::isArray() const noexcept
{
	return _type == ArrayType;
}

bool Value::isObject() const noexcept
{
	return _type == ObjectType;
}

bool Value::getBool() const
{
	if (_type != BoolType)
		throw Poco::BadCastException("property value is not a bool");
	return _bool;
}

std::int64_t Value::getInt() const
{
	if (_type != IntType)
		throw Poco::BadCastException("property value is not an integer");
	return _int;
}

double Value::getDouble() const
{
	if (_type == DoubleType)
		return _double;
	if (_type == IntType)
		return static_cast<double>(_int);
	throw Poco::BadCastException("property value is not a number");
}

std::string_view Value::getString() const
{
	if (_type != StringType)
		throw Poco::BadCastException("property value is not a string");
	return std::string_view(_data, _size);
}

std::size_t Value::size() const noexcept
{
	switch (_type)
	{
	case StringType:
		return _size;
	case ArrayType:
	case ObjectType:
		return _count;
	default:
		return 0;
	}
}

Value Value::operator[](std::string_view key) const
{
	for (const auto& e : entries())
	{
		if (e.key == key)
			return e.value;
	}
	return Value();
}

Value::Entries::Entries(const char* begin, const char* end, std::uint32_t count) noexcept
    : _begin(begin), _end(end), _count(count)
{
}

EntryIterator Value::Entries::begin() const noexcept
{
	return EntryIterator(_begin, _end);
}

EntryIterator Value::Entries::end() const noexcept
{
	return EntryIterator(_end, _end);
}

Value::Elements::Elements(const char* begin, const char* end, std::uint32_t count) noexcept
    : _begin(begin), _end(end), _count(count)
{
}

ElementIterator Value::Elements::begin() const noexcept
{
	return ElementIterator(_begin, _end);
}

ElementIterator Value::Elements::end() const noexcept
{
	return ElementIterator(_end, _end);
}

Value::Entries Value::entries() const noexcept
{
	if (_type != ObjectType)
		return Entries(nullptr, nullptr, 0);
	return Entries(_data, _data + _size, _count);
}

Value::Elements Value::elements() const noexcept
{
	if (_type != ArrayType)
		return Elements(nullptr, nullptr, 0);
	return Elements(_data, _data + _size, _count);
}

std::string Value::toJSON() const
{
	std::string encoded;
	Encoding::putValue(encoded, *this);
	std::string out;
	JsonWriter::appendEncodedValue(out, encoded.data());
	return out;
}

Poco::Dynamic::Var Value::toVar() const
{
	switch (_type)
	{
	case NullType:
		return Poco::Dynamic::Var();
	case BoolType:
		return Poco::Dynamic::Var(_bool);
	case IntType:
		return Poco::Dynamic::Var(static_cast<Poco::Int64>(_int));
	case DoubleType:
		return Poco::Dynamic::Var(_double);
	case StringType:
		return Poco::Dynamic::Var(std::string(_data, _size));
	case ArrayType:
	{
		Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
		for (const Value& v : elements())
			array->add(v.toVar());
		return Poco::Dynamic::Var(array);
	}
	case ObjectType:
	{
		Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
		for (const auto& e : entries())
			object->set(std::string(e.key), e.value.toVar());
		return Poco::Dynamic::Var(object);
	}
	}
	return Poco::Dynamic::Var();
}

bool Value::operator==(const Value& other) const noexcept
{
	if (_type != other._type)
		return false;
	switch (_type)
	{
	case NullType:
		return true;
	case BoolType:
		return _bool == other._bool;
	case IntType:
		return _int == other._int;
	case DoubleType:
		return _double == other._double;
	case StringType:
		return std::string_view(_data, _size) == std::string_view(other._data, other._size);
	case ArrayType:
	case ObjectType:
		return _count == other._count &&
		       std::string_view(_data, _size) == std::string_view(other._data, other._size);
	}
	return false;
}

bool Value::operator!=(const Value& other) const noexcept
{
	return !(*this == other);
}

EntryIterator::EntryIterator() noexcept : _position(nullptr), _next(nullptr), _end(nullptr) {}

EntryIterator::EntryIterator(const char* position, const char* end) noexcept
    : _position(position), _next(position), _end(end)
{
	decode();
}

void EntryIterator::decode() noexcept
{
	if (_position && _position < _end)
	{
		const char* p = Encoding::decodeKey(_position, _entry.key);
		_next = Encoding::decodeValue(p, _entry.value);
	}
}

EntryIterator& EntryIterator::operator++() noexcept
{
	_position = _next;
	decode();
	return *this;
}

ElementIterator::ElementIterator() noexcept : _position(nullptr), _next(nullptr), _end(nullptr) {}

ElementIterator::ElementIterator(const char* position, const char* end) noexcept
    : _position(position), _next(position), _end(end)
{
	decode();
}

void ElementIterator::decode() noexcept
{
	if (_position && _position < _end)
		_next = Encoding::decodeValue(_position, _value);
}

ElementIterator& ElementIterator::operator++() noexcept
{
	_position = _next;
	decode();
	return *this;
}

} // namespace PostHog
