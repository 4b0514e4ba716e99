//
// PiiScrubber.cpp
//

#include "PiiScrubber.h"
#include "AssignmentDetector.h"
#include "CardDetector.h"
#include "EmailDetector.h"
#include "IbanDetector.h"
#include "IpDetector.h"
#include "JwtDetector.h"
#include "PhoneDetector.h"
#include "SecretDetector.h"
#include "SsnDetector.h"
#include "UrlDetector.h"
#include <algorithm>

namespace PostHog
{

PiiScrubber::PiiScrubber(const PiiOptions& options) : _options(options)
{
	for (const auto& k : _options.sensitiveKeys)
		_keys.addTerm(k, false);
	std::vector<std::unique_ptr<Detector>> all;
	all.emplace_back(new UrlDetector(_keys));
	all.emplace_back(new JwtDetector);
	all.emplace_back(new SecretDetector);
	all.emplace_back(new EmailDetector);
	all.emplace_back(new IbanDetector);
	all.emplace_back(new CardDetector);
	all.emplace_back(new PhoneDetector(_options.defaultRegion));
	all.emplace_back(new SsnDetector);
	all.emplace_back(new IpDetector);
	all.emplace_back(new AssignmentDetector(_keys)); // last: typed values keep their own kind
	for (auto& d : all)
	{
		if (mode(d->kind()) != PiiMode::Off)
		{
			_gates.push_back(d->gate());
			_minLength = _detectors.empty() ? _gates.back().minLength
			                                : std::min<std::size_t>(_minLength, _gates.back().minLength);
			_detectors.push_back(std::move(d));
		}
	}
	for (auto m : _options.modes)
	{
		if (m == PiiMode::Hash && !_hmac)
			_hmac.reset(new HmacSha256(_options.hashKey));
	}
}

PiiScrubber::~PiiScrubber() = default;

bool PiiScrubber::isSensitiveKey(std::string_view key) const noexcept
{
	if (key.empty() || key[0] == '$' || mode(PiiKind::SensitiveKey) == PiiMode::Off)
		return false;
	return _keys.isSensitive(key);
}

void PiiScrubber::find(std::string_view key, std::string_view text, Findings& findings) const
{
	if (text.size() < _minLength || _detectors.empty())
		return;
	TextProfile profile = TextProfile::of(text);
	ScanContext context(key);
	context.setProfile(&profile);
	for (std::size_t i = 0; i < _detectors.size(); ++i)
	{
		if (_gates[i].passes(profile) && _detectors[i]->worthScanning(profile, context))
		{
			_detectors[i]->scan(text, context, findings);
			findings.commit();
		}
	}
}

PiiScrubber::Verdict PiiScrubber::scrubText(std::string_view key, std::string_view text, std::string& out)
{
	_findings.clear();
	find(key, text, _findings);
	if (_findings.empty())
		return Verdict::Keep;
	out.clear();
	std::size_t pos = 0;
	for (const auto& f : _findings.items())
	{
		if (mode(f.kind) == PiiMode::Remove)
			return Verdict::Remove;
		out.append(text.data() + pos, f.begin - pos);
		appendMask(f.kind, text.substr(f.begin, f.end - f.begin), out);
		pos = f.end;
	}
	out.append(text.data() + pos, text.size() - pos);
	return Verdict::Replace;
}

PiiScrubber::Verdict PiiScrubber::scrubInteger(std::int64_t value, std::string& out)
{
	if (mode(PiiKind::Card) == PiiMode::Off || value < 1000000000000LL)
		return Verdict::Keep;
	std::string digits = std::to_string(value);
	if (!CardDetector::isCardNumber(digits))
		return Verdict::Keep;
	if (mode(PiiKind::Card) == PiiMode::Remove)
		return Verdict::Remove;
	out.clear();
	appendMask(PiiKind::Card, digits, out);
	return Verdict::Replace;
}

PiiScrubber::Verdict PiiScrubber::scrubWhole(PiiKind kind, std::string_view raw, std::string& out)
{
	PiiMode m = mode(kind);
	if (m == PiiMode::Off)
		return Verdict::Keep;
	if (m == PiiMode::Remove)
		return Verdict::Remove;
	out.clear();
	appendMask(kind, raw, out);
	return Verdict::Replace;
}

void PiiScrubber::appendMask(PiiKind kind, std::string_view matched, std::string& out)
{
	if (mode(kind) != PiiMode::Hash)
	{
		out += "[REDACTED:";
		out += kindName(kind);
		out += ']';
		return;
	}
	// Normalise so that one datum hashes alike in its usual spellings.
	_scratch.clear();
	switch (kind)
	{
	case PiiKind::Email:
		for (char c : matched)
			_scratch.push_back(Chars::lower(c));
		break;
	case PiiKind::Phone:
	case PiiKind::Card:
	case PiiKind::Ssn:
		for (char c : matched)
		{
			if (Chars::isDigit(c))
				_scratch.push_back(c);
		}
		break;
	case PiiKind::Iban:
		for (char c : matched)
		{
			if (Chars::isAlnum(c))
				_scratch.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c);
		}
		break;
	default:
		_scratch.assign(matched.data(), matched.size());
		break;
	}
	out += kindName(kind);
	out += ':';
	out += _hmac->hex(_scratch);
}

} // namespace PostHog
