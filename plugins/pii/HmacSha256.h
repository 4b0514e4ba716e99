//
// HmacSha256.h
//

#ifndef PostHog_HmacSha256_INCLUDED
#define PostHog_HmacSha256_INCLUDED

#include "Poco/HMACEngine.h"
#include "Poco/SHA2Engine.h"
#include <string>
#include <string_view>

namespace PostHog
{

class HmacSha256
/// Keyed HMAC-SHA256 with Poco's HMACEngine, returned as lower-case hex. Poco 1.11's
/// SHA2Engine lacks the BLOCK_SIZE and DIGEST_SIZE constants HMACEngine needs, so a
/// three-line adapter (Sha256) supplies them.
///
/// The same key and input always give the same digest, in every process and run; another key
/// gives an unrelated one. Not thread-safe (one engine reused per call; the pii stage is
/// called by one thread at a time). Paid only for values that are hashed.
{
public:
	explicit HmacSha256(const std::string& key);

	std::string hex(std::string_view data);
	/// HMAC-SHA256(key, data) as 64 hex digits.

private:
	class Sha256 : public Poco::SHA2Engine
	{
	public:
		enum
		{
			BLOCK_SIZE = 64,
			DIGEST_SIZE = 32
		};
		Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
	};

	Poco::HMACEngine<Sha256> _engine;
};

} // namespace PostHog

#endif // PostHog_HmacSha256_INCLUDED
