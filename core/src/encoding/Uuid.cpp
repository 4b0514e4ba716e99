//
// Uuid.cpp
//

#include "PostHog/Uuid.h"
#include "encoding/UuidGenerator.h"
#include <ostream>

namespace PostHog
{

Uuid::Uuid() noexcept : _set(false) {}

Uuid::Uuid(const Poco::UUID& uuid) noexcept : _uuid(uuid), _set(true) {}

bool Uuid::empty() const noexcept
{
	return !_set;
}

std::size_t Uuid::size() const noexcept
{
	return _set ? 36 : 0;
}

std::string Uuid::str() const
{
	return _set ? UuidGenerator::toString(_uuid) : std::string();
}

Uuid::operator std::string() const
{
	return str();
}

Poco::UUID Uuid::toPoco() const
{
	return _set ? _uuid : Poco::UUID::null();
}

std::ostream& operator<<(std::ostream& out, const Uuid& uuid)
{
	return out << uuid.str();
}

} // namespace PostHog
