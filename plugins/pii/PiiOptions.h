//
// PiiOptions.h
//

#ifndef PostHog_PiiOptions_INCLUDED
#define PostHog_PiiOptions_INCLUDED

#include "PiiKind.h"
#include <array>
#include <string>
#include <vector>

namespace Poco
{
namespace Util
{
class AbstractConfiguration;
}
} // namespace Poco

namespace PostHog
{

struct PiiOptions
/// Everything the pii stage is configured with (see PiiMiddleware::options() for the keys).
/// Tests and the fuzzer build a PiiScrubber from these directly.
{
	std::array<PiiMode, piiKindCount> modes; /// per kind; all Redact by default
	std::string hashKey;                     /// HMAC key; required when a mode is Hash
	std::string defaultRegion = "US";        /// national phone forms
	std::vector<std::string> sensitiveKeys;  /// added to the built-in sensitive names
	std::vector<std::string> allowKeys;      /// exact key names left alone, at any depth
	unsigned maxDepth = 32;                  /// deeper nesting fails the message (fail closed)

	PiiOptions();

	static PiiOptions fromConfiguration(const Poco::Util::AbstractConfiguration& config);
	/// Reads a view in which every option of PiiMiddleware::options() has a value. Throws
	/// Poco::InvalidArgumentException naming the option for a bad combination (a hash mode
	/// without hashKey, an unknown defaultRegion).

	static const char* defaultAllowKeys();
	/// PostHog's own machine-written keys: "$lib,$lib_version,$insert_id,..."
};

} // namespace PostHog

#endif // PostHog_PiiOptions_INCLUDED
