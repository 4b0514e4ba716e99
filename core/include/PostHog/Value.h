//
// Value.h
//
// A read-only view of one property value: null, bool, integer, double, string, array or object.
//

#ifndef PostHog_Value_INCLUDED
#define PostHog_Value_INCLUDED

#include "PostHog/PostHog.h"
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace Poco
{
namespace Dynamic
{
class Var;
}
} // namespace Poco

namespace PostHog
{

class Properties;
class Array;
class EntryIterator;
class ElementIterator;
class PropertiesAccess;

class PostHog_API Value
/// A lightweight view of one JSON-like value. It is what Properties::get() and the iterators
/// return, and what Properties::set() and Array::add() take, so any C++ scalar, string,
/// Properties (an object) or Array converts to it implicitly:
///
///     Properties props{{"plan", "pro"}, {"seats", 3}, {"trial", false}};
///     props.set("device", Properties{{"os", "linux"}});
///
/// A Value does not own what it points to: strings and containers stay valid only as long as
/// the string, Properties or Array they were taken from is alive and unchanged. Copying a
/// Value is as cheap as copying two pointers.
{
public:
	enum Type : unsigned char
	{
		NullType,
		BoolType,
		IntType,
		DoubleType,
		StringType,
		ArrayType,
		ObjectType
	};

	Value() noexcept;
	/// Creates a null value.

	Value(std::nullptr_t) noexcept;
	Value(bool value) noexcept;
	Value(int value) noexcept;
	Value(long value) noexcept;
	Value(long long value) noexcept;
	Value(unsigned value) noexcept;
	Value(unsigned long value) noexcept;
	/// Values above the largest signed 64-bit integer become doubles.
	Value(unsigned long long value) noexcept;
	Value(float value) noexcept;
	Value(double value) noexcept;
	/// NaN and infinities are sent as null (JSON cannot carry them).
	Value(const char* value) noexcept;
	/// A null pointer is a null value.
	Value(const std::string& value) noexcept;
	Value(std::string_view value) noexcept;
	Value(const Properties& object) noexcept;
	Value(const Array& array) noexcept;

	Type type() const noexcept;
	bool isNull() const noexcept;
	bool isBool() const noexcept;
	bool isInt() const noexcept;
	bool isDouble() const noexcept;
	bool isNumber() const noexcept;
	/// True for integers and doubles.
	bool isString() const noexcept;
	bool isArray() const noexcept;
	bool isObject() const noexcept;

	bool getBool() const;
	/// Throws Poco::BadCastException if the value is not a bool.
	std::int64_t getInt() const;
	/// Throws Poco::BadCastException if the value is not an integer.
	double getDouble() const;
	/// Returns integers converted to double. Throws Poco::BadCastException for non-numbers.
	std::string_view getString() const;
	/// Throws Poco::BadCastException if the value is not a string.

	std::size_t size() const noexcept;
	/// The number of entries of an object or elements of an array; the byte length of a string;
	/// 0 otherwise.

	Value operator[](std::string_view key) const;
	/// Looks a key up in an object (linear, first match). Returns a null value when the key is
	/// missing or this is not an object.

	class PostHog_API Entries
	/// The entries of an object, for range-for: for (const auto& e : value.entries()).
	{
	public:
		Entries(const char* begin, const char* end, std::uint32_t count) noexcept;
		EntryIterator begin() const noexcept;
		EntryIterator end() const noexcept;

	private:
		const char* _begin;
		const char* _end;
		std::uint32_t _count;
	};

	class PostHog_API Elements
	/// The elements of an array, for range-for: for (Value v : value.elements()).
	{
	public:
		Elements(const char* begin, const char* end, std::uint32_t count) noexcept;
		ElementIterator begin() const noexcept;
		ElementIterator end() const noexcept;

	private:
		const char* _begin;
		const char* _end;
		std::uint32_t _count;
	};

	Entries entries() const noexcept;
	/// Empty unless this is an object.
	Elements elements() const noexcept;
	/// Empty unless this is an array.

	std::string toJSON() const;
	/// Serialises the value as compact JSON.

	Poco::Dynamic::Var toVar() const;
	/// Converts to Poco's dynamic types: objects become Poco::JSON::Object::Ptr, arrays
	/// Poco::JSON::Array::Ptr. Slow (allocates per node): for tools and tests, not hot paths.

	bool operator==(const Value& other) const noexcept;
	/// Deep comparison; an integer never equals a double, entry order matters.
	bool operator!=(const Value& other) const noexcept;

private:
	friend class PropertiesAccess;
	static Value fromRaw(Type type, const char* data, std::size_t size, std::uint32_t count) noexcept;
	static Value fromInt(std::int64_t value) noexcept;

	Type _type;
	std::uint32_t _count;
	union
	{
		bool _bool;
		std::int64_t _int;
		double _double;
	};
	const char* _data;
	std::size_t _size;
};

struct PostHog_API Entry
/// One key/value pair of an object, as the iterators yield it.
{
	std::string_view key;
	Value value;
};

class PostHog_API EntryIterator
/// Forward iterator over the entries of an object (Properties or a nested object Value).
{
public:
	using iterator_category = std::forward_iterator_tag;
	using value_type = Entry;
	using difference_type = std::ptrdiff_t;
	using pointer = const Entry*;
	using reference = const Entry&;

	EntryIterator() noexcept;
	EntryIterator(const char* position, const char* end) noexcept;
	const Entry& operator*() const noexcept { return _entry; }
	const Entry* operator->() const noexcept { return &_entry; }
	EntryIterator& operator++() noexcept;
	bool operator==(const EntryIterator& other) const noexcept { return _position == other._position; }
	bool operator!=(const EntryIterator& other) const noexcept { return _position != other._position; }
	std::size_t offset(const char* base) const noexcept { return static_cast<std::size_t>(_position - base); }

private:
	void decode() noexcept;

	const char* _position;
	const char* _next;
	const char* _end;
	Entry _entry;
};

class PostHog_API ElementIterator
/// Forward iterator over the elements of an array.
{
public:
	using iterator_category = std::forward_iterator_tag;
	using value_type = Value;
	using difference_type = std::ptrdiff_t;
	using pointer = const Value*;
	using reference = const Value&;

	ElementIterator() noexcept;
	ElementIterator(const char* position, const char* end) noexcept;
	const Value& operator*() const noexcept { return _value; }
	const Value* operator->() const noexcept { return &_value; }
	ElementIterator& operator++() noexcept;
	bool operator==(const ElementIterator& other) const noexcept { return _position == other._position; }
	bool operator!=(const ElementIterator& other) const noexcept { return _position != other._position; }

private:
	void decode() noexcept;

	const char* _position;
	const char* _next;
	const char* _end;
	Value _value;
};

} // namespace PostHog

#endif // PostHog_Value_INCLUDED
