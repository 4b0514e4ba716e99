//
// Array.h
//
// A JSON-like array of values, built in code and stored compactly.
//

#ifndef PostHog_Array_INCLUDED
#define PostHog_Array_INCLUDED

#include "PostHog/PostHog.h"
#include "PostHog/Value.h"
#include <initializer_list>
#include <string>

namespace PostHog
{

class PropertiesAccess;

class PostHog_API Array
/// An array property value:
///
///     props.set("genres", Array{"drama", "crime"});
///
/// Elements are encoded into one contiguous buffer as they are added (see Properties for the
/// format), so an Array costs one allocation however many elements it has.
{
public:
	Array() = default;
	Array(std::initializer_list<Value> values);

	Array& add(const Value& value);
	/// Appends a value (deep-copied). Returns *this for chaining.

	std::size_t size() const noexcept { return _count; }
	bool empty() const noexcept { return _count == 0; }
	void clear() noexcept;

	ElementIterator begin() const noexcept;
	ElementIterator end() const noexcept;
	Value at(std::size_t index) const;
	/// Linear. Throws Poco::RangeException past the end.

	std::string toJSON() const;

	bool operator==(const Array& other) const noexcept;

private:
	friend class PropertiesAccess;

	std::string _buffer;
	std::uint32_t _count = 0;
};

} // namespace PostHog

#endif // PostHog_Array_INCLUDED
