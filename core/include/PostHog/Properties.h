//
// Properties.h
//
// The properties of an event: an ordered JSON-like object stored in one compact buffer.
//

#ifndef PostHog_Properties_INCLUDED
#define PostHog_Properties_INCLUDED

#include "Poco/JSON/Object.h"
#include "PostHog/PostHog.h"
#include "PostHog/Value.h"
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace Poco
{
namespace Dynamic
{
class Var;
}
} // namespace Poco

namespace PostHog
{

class PropertyRewriter;
class PropertiesAccess;

class PostHog_API Properties
/// An ordered set of key/value pairs: the properties of an event, $set/$set_once person
/// properties, or any nested object value.
///
///     Properties props{{"plan", "pro"}, {"seats", 3}};
///     props.set("device", Properties{{"os", "linux"}, {"cores", 8}});
///     props.set("tags", Array{"a", "b"});
///     client.capture("user-1", "signed up", std::move(props));
///
/// Why not Poco::JSON::Object: an event's properties live in the queue until the worker sends
/// them, so their size is the client's memory footprint under load. Properties encodes
/// everything into a single byte buffer (tag bytes, varint lengths, raw string bytes): one
/// allocation per event, about the size of the event's JSON, where a Poco::JSON::Object costs
/// a map node and a Var holder per value (several times more, measured in tests/bench).
/// toObject() and fromVar() convert to and from Poco's types where convenience matters more.
///
/// Lookups are linear scans, which beat hashing for the dozen keys an event has. Keys are
/// unique: set() replaces an existing key in place. Not thread-safe: one thread at a time.
{
public:
	Properties() = default;
	Properties(std::initializer_list<std::pair<std::string_view, Value>> entries);
	/// Later duplicates of a key replace earlier ones.

	Properties& set(std::string_view key, const Value& value);
	/// Sets key to a deep copy of value, replacing the old value in place or appending.
	/// Returns *this for chaining.

	bool setIfAbsent(std::string_view key, const Value& value);
	/// Sets key only when it is not present yet. Returns true if it was set.

	Value get(std::string_view key) const noexcept;
	/// Returns the value of key, or a null Value when the key is missing (use has() to tell a
	/// missing key from an explicit null).

	bool has(std::string_view key) const noexcept;
	bool remove(std::string_view key);
	/// Removes key. Returns true if it was present.

	void merge(const Properties& other, bool overwrite);
	/// Copies every entry of other into this; existing keys are replaced only when overwrite
	/// is true.

	void rewrite(PropertyRewriter& rewriter);
	/// Lets rewriter keep, replace, remove or descend into every value (see PropertyRewriter).

	std::size_t size() const noexcept { return _count; }
	/// The number of top-level entries.
	bool empty() const noexcept { return _count == 0; }
	void clear() noexcept;
	std::size_t byteSize() const noexcept { return _buffer.size(); }
	/// The size of the encoded buffer, a close lower bound of the JSON size.

	EntryIterator begin() const noexcept;
	EntryIterator end() const noexcept;

	std::string toJSON() const;
	/// Compact JSON of the object, keys in insertion order.

	Poco::JSON::Object::Ptr toObject() const;
	/// A deep copy as a Poco::JSON::Object (keys keep their order).

	static Properties fromVar(const Poco::Dynamic::Var& object, unsigned maxDepth = 64);
	/// Converts a Poco::JSON::Object::Ptr, Poco::JSON::Object or Poco::Dynamic::Struct. Throws
	/// InvalidMessageException if object is not an object, nests deeper than maxDepth, or
	/// holds a value JSON cannot carry (the message says which key).

	bool operator==(const Properties& other) const noexcept;
	bool operator!=(const Properties& other) const noexcept { return !(*this == other); }

private:
	friend class PropertiesAccess;

	std::size_t find(std::string_view key, std::size_t& valueEnd) const noexcept;

	std::string _buffer;
	std::uint32_t _count = 0;
};

} // namespace PostHog

#endif // PostHog_Properties_INCLUDED
