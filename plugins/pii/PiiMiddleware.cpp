//
// PiiMiddleware.cpp
//

#include "PiiMiddleware.h"
#include "PhoneDetector.h"
#include "Poco/ClassLibrary.h"
#include "Poco/Exception.h"
#include "PostHog/Exceptions.h"

namespace PostHog
{

PiiMiddleware::PiiMiddleware() = default;
PiiMiddleware::~PiiMiddleware() = default;

std::string PiiMiddleware::name() const
{
	return "pii";
}

const OptionTable& PiiMiddleware::options() const
{
	static const OptionTable table = []
	{
		const char* modes = "default,off,redact,hash,remove";
		OptionTable t;
		t.push_back(OptionSpec::makeEnum(
		    "mode", "redact,hash,remove", "redact",
		    "what every detector does unless its own <kind>Mode says otherwise: redact "
		    "(\"[REDACTED:<kind>]\"), "
		    "hash (\"<kind>:<hex HMAC-SHA256>\", needs hashKey) or remove (the whole property)"));
		const char* what[] = {
		    "e-mail addresses",
		    "phone numbers (international forms, and national forms of "
		    "defaultRegion)",
		    "payment card numbers passing Luhn",
		    "US social security numbers",
		    "IPv4 and IPv6 addresses",
		    "IBANs passing mod-97",
		    "JSON Web Tokens",
		    "API keys and tokens of known formats, Bearer tokens, PEM "
		    "private keys",
		    "passwords and sensitive query parameters inside URLs (only the value is masked)",
		    "the whole value of sensitive key names (password, apiKey, token, ssn, cvv, ...)"};
		for (std::size_t k = 0; k < piiKindCount; ++k)
		{
			PiiKind kind = static_cast<PiiKind>(k);
			t.push_back(OptionSpec::makeEnum(kindOption(kind), modes, "default",
			                                 std::string("mode for ") + what[k] +
			                                     ": default (the mode option), off, redact, hash or remove"));
		}
		t.push_back(
		    OptionSpec("hashKey", OptionSpec::String, "",
		               "secret key of the HMAC-SHA256 used by hash mode (required when a mode is hash)"));
		t.push_back(OptionSpec("defaultRegion", OptionSpec::String, "US",
		                       "region whose national phone forms are recognised: " +
		                           PhoneDetector::supportedRegions()));
		t.push_back(
		    OptionSpec("allowKeys", OptionSpec::List, PiiOptions::defaultAllowKeys(),
		               "exact key names left alone at any depth (default: PostHog's machine-written keys)"));
		t.push_back(OptionSpec(
		    "sensitiveKeys", OptionSpec::List, "",
		    "more sensitive key names, matched like the built-in ones (case and separators ignored, trailing "
		    "words)"));
		t.push_back(OptionSpec(
		    "maxDepth", OptionSpec::Int, "32",
		    "deepest nesting scanned; a deeper message fails the stage and is dropped (fail closed)", 1,
		    1000));
		return t;
	}();
	return table;
}

void PiiMiddleware::configure(const Poco::Util::AbstractConfiguration& config)
{
	_options = PiiOptions::fromConfiguration(config);
	_rewriter.reset();
	_scrubber.reset(new PiiScrubber(_options));
	_rewriter.reset(new PiiRewriter(*_scrubber, _options));
}

Middleware::Result PiiMiddleware::process(Message& message)
{
	if (!_rewriter)
		throw Poco::IllegalStateException("pii stage used before configure()");
	message.properties().rewrite(*_rewriter);
	return Result::pass();
}

Middleware::OnError PiiMiddleware::defaultOnError() const
{
	return OnError::Drop;
}

} // namespace PostHog

using PostHog::PiiMiddleware;

POCO_BEGIN_MANIFEST(PostHog::Middleware)
POCO_EXPORT_CLASS(PiiMiddleware)
POCO_END_MANIFEST
