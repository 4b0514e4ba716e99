//
// PiiKind.cpp
//

#include "PiiKind.h"
#include "Poco/Exception.h"
#include "Poco/String.h"

namespace PostHog
{

const char* kindName(PiiKind kind) noexcept
{
	switch (kind)
	{
	case PiiKind::Email:
		return "email";
	case PiiKind::Phone:
		return "phone";
	case PiiKind::Card:
		return "card";
	case PiiKind::Ssn:
		return "ssn";
	case PiiKind::Ip:
		return "ip";
	case PiiKind::Iban:
		return "iban";
	case PiiKind::Jwt:
		return "jwt";
	case PiiKind::Secret:
		return "secret";
	case PiiKind::Url:
		return "url";
	case PiiKind::SensitiveKey:
		return "sensitive_key";
	case PiiKind::Count:
		break;
	}
	return "pii";
}

const char* kindOption(PiiKind kind) noexcept
{
	switch (kind)
	{
	case PiiKind::Email:
		return "emailMode";
	case PiiKind::Phone:
		return "phoneMode";
	case PiiKind::Card:
		return "cardMode";
	case PiiKind::Ssn:
		return "ssnMode";
	case PiiKind::Ip:
		return "ipMode";
	case PiiKind::Iban:
		return "ibanMode";
	case PiiKind::Jwt:
		return "jwtMode";
	case PiiKind::Secret:
		return "secretMode";
	case PiiKind::Url:
		return "urlMode";
	case PiiKind::SensitiveKey:
		return "keyMode";
	case PiiKind::Count:
		break;
	}
	return "mode";
}

PiiMode parseMode(const std::string& word)
{
	std::string w = Poco::toLower(Poco::trim(word));
	if (w == "off")
		return PiiMode::Off;
	if (w == "redact")
		return PiiMode::Redact;
	if (w == "hash")
		return PiiMode::Hash;
	if (w == "remove")
		return PiiMode::Remove;
	throw Poco::InvalidArgumentException("pii mode '" + word + "' is not one of off, redact, hash, remove");
}

} // namespace PostHog
