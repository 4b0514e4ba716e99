//
// Array.cpp
//

#include "PostHog/Array.h"
#include "Poco/Exception.h"
#include "encoding/Encoding.h"
#include "encoding/JsonWriter.h"
#include "encoding/PropertiesAccess.h"

namespace PostHog
{

Array::Array(std::initializer_list<Value> values)
{
	// Sized once (see the Properties initializer-list constructor).
	std::size_t size = 0;
	for (const Value& v : values)
		size += Encoding::encodedSize(v);
	_buffer = std::string(size, '\0'); // one allocation and fill: cheaper than growing an empty string
	char* o = &_buffer[0];
	for (const Value& v : values)
		o = Encoding::writeValue(o, v);
	_count = static_cast<std::uint32_t>(values.size());
}

Array& Array::add(const Value& value)
{
	const char* raw = PropertiesAccess::rawData(value);
	if (raw && raw >= _buffer.data() && raw < _buffer.data() + _buffer.size())
	{
		std::string copy;
		Encoding::putValue(copy, value);
		_buffer.append(copy);
	}
	else
	{
		Encoding::putValue(_buffer, value);
	}
	++_count;
	return *this;
}

void Array::clear() noexcept
{
	_buffer.clear();
	_count = 0;
}

ElementIterator Array::begin() const noexcept
{
	return ElementIterator(_buffer.data(), _buffer.data() + _buffer.size());
}

ElementIterator Array::end() const noexcept
{
	const char* end = _buffer.data() + _buffer.size();
	return ElementIterator(end, end);
}

Value Array::at(std::size_t index) const
{
	if (index >= _count)
		throw Poco::RangeException("array index out of range");
	auto it = begin();
	while (index--)
		++it;
	return *it;
}

std::string Array::toJSON() const
{
	return Value(*this).toJSON();
}

bool Array::operator==(const Array& other) const noexcept
{
	return _count == other._count && _buffer == other._buffer;
}

} // namespace PostHog
