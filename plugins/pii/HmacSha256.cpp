//
// HmacSha256.cpp
//

#include "HmacSha256.h"
#include "Poco/DigestEngine.h"

namespace PostHog
{

HmacSha256::HmacSha256(const std::string& key) : _engine(key) {}

std::string HmacSha256::hex(std::string_view data)
{
	_engine.update(data.data(), static_cast<unsigned>(data.size()));
	return Poco::DigestEngine::digestToHex(_engine.digest());
}

} // namespace PostHog
