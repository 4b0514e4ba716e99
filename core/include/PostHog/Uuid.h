//
// Uuid.h
//
// The uuid capture() and pageview() return.
//

#ifndef PostHog_Uuid_INCLUDED
#define PostHog_Uuid_INCLUDED

#include "Poco/UUID.h"
#include "PostHog/PostHog.h"
#include <cstddef>
#include <iosfwd>
#include <string>

namespace PostHog
{

class PostHog_API Uuid
/// A UUID kept as its 16 bytes, or none: what capture() and pageview() return, the uuid of the
/// queued event (none when the call was rejected). It is formatted as the usual lower-case
/// 8-4-4-4-12 text only when read as text, so a caller that ignores it pays for neither the
/// formatting nor a string allocation, and one that wants the text writes what it wrote
/// before:
///
///     std::string id = client.capture("user-1", "signed up"); // "0190f0c4-..." or ""
///     if (client.capture("user-1", "signed up").empty()) ... // rejected
{
public:
	Uuid() noexcept;
	/// No UUID.

	explicit Uuid(const Poco::UUID& uuid) noexcept;
	/// Holds uuid.

	bool empty() const noexcept;
	/// True when there is no UUID (the call was rejected).

	std::size_t size() const noexcept;
	/// The length of str(): 36, or 0 when empty.

	std::string str() const;
	/// The 8-4-4-4-12 text, lower case; "" when empty.

	operator std::string() const;
	/// str().

	Poco::UUID toPoco() const;
	/// The UUID as Poco's type (the null UUID when empty).

	friend bool operator==(const Uuid& a, const Uuid& b) noexcept
	{
		return a._set == b._set && (!a._set || a._uuid == b._uuid);
	}
	friend bool operator!=(const Uuid& a, const Uuid& b) noexcept { return !(a == b); }
	friend bool operator==(const Uuid& a, const std::string& b) { return a.str() == b; }
	friend bool operator==(const std::string& a, const Uuid& b) { return a == b.str(); }
	friend bool operator!=(const Uuid& a, const std::string& b) { return !(a == b); }
	friend bool operator!=(const std::string& a, const Uuid& b) { return !(a == b); }

private:
	Poco::UUID _uuid;
	bool _set;
};

PostHog_API std::ostream& operator<<(std::ostream& out, const Uuid& uuid);
/// Writes str().

} // namespace PostHog

#endif // PostHog_Uuid_INCLUDED
