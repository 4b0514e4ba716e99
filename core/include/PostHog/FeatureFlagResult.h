//
// FeatureFlagResult.h
//
// One feature flag's value, payload and provenance, and an owned JSON payload.
//

#ifndef PostHog_FeatureFlagResult_INCLUDED
#define PostHog_FeatureFlagResult_INCLUDED

#include "PostHog/FlagValue.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include "PostHog/Value.h"
#include <memory>
#include <mutex>
#include <string>

namespace PostHog
{

class PostHog_API FlagPayload
/// The decoded JSON payload of a flag value (any JSON: object, array, string, number, bool,
/// null), owned. PostHog sends payloads as JSON-encoded strings; the client decodes them, and a
/// payload that does not parse is treated as missing.
///
///     FlagPayload p = client.getFeatureFlagPayload("checkout", "user-42");
///     if (p.hasValue() && p.value().isObject())
///         std::string copy(p.value()["copy"].getString());
{
public:
	FlagPayload() = default;
	/// No payload.

	static FlagPayload fromJSON(const std::string& json);
	/// Decodes json; no payload when it is empty or does not parse. Never throws.

	static FlagPayload fromValidJSON(const std::string& json);
	/// json is JSON text already checked (as the client's definitions and responses hold it);
	/// it is decoded on the first value(), so a payload never read is never decoded. Empty json
	/// is no payload.

	bool hasValue() const noexcept { return !_json.empty(); }
	Value value() const noexcept;
	/// The decoded payload (valid while this object lives), or a null Value when there is none.
	const std::string& toJSON() const noexcept { return _json; }
	/// The payload as compact JSON text; empty when there is none.

	bool operator==(const FlagPayload& other) const noexcept { return _json == other._json; }
	bool operator!=(const FlagPayload& other) const noexcept { return _json != other._json; }

private:
	struct Decoded
	{
		std::once_flag once;
		Properties holder; // {"v": payload}
	};

	std::shared_ptr<Decoded> _decoded; // shared by copies; filled once, then read only
	std::string _json;
};

struct PostHog_API FeatureFlagResult
/// What Client::getFeatureFlagResult() found about one flag: the value, its payload, and where
/// it came from. `value` has no value when the flag could not be decided (see `error`).
{
	std::string key;
	FlagValue value;      /// none / true / false / variant
	bool enabled = false; /// value is true or a variant
	std::string variant;  /// the variant, or empty
	FlagPayload payload;  /// the payload of this value, when it has one
	std::string reason;   /// why: "condition_match", "no_condition_match", "flag_inactive", ...
	bool locallyEvaluated = false;
	long flagId = 0;       /// the flag's id, when known
	long flagVersion = 0;  /// the definition's version, when known
	std::string requestId; /// the remote request's id, when one was made
	std::string error;
	/// Empty, or why the value is missing or may be incomplete: "flag_missing",
	/// "errors_while_computing_flags", "quota_limited", "timeout", "connection_error",
	/// "unknown_error", "api_error_<status>" (several joined by commas).
};

} // namespace PostHog

#endif // PostHog_FeatureFlagResult_INCLUDED
