//
// FeatureFlagEvaluations.h
//
// A frozen snapshot of a person's feature flags, from Client::evaluateFlags().
//

#ifndef PostHog_FeatureFlagEvaluations_INCLUDED
#define PostHog_FeatureFlagEvaluations_INCLUDED

#include "PostHog/FeatureFlagResult.h"
#include "PostHog/FlagValue.h"
#include "PostHog/PostHog.h"
#include <memory>
#include <string>
#include <vector>

namespace PostHog
{

class PostHog_API FeatureFlagEvaluations
/// Every flag of one person, evaluated once (locally, plus at most one remote request for what
/// could not be decided locally), then read as often as needed without another request:
///
///     auto flags = client.evaluateFlags("user-42");
///     if (flags.isEnabled("beta-ui")) ...
///     if (flags.getFlag("checkout") == FlagValue("blue")) ...
///     EventOptions options;
///     options.flags = flags.onlyAccessed();
///     client.capture("user-42", "order completed", props, options); // $feature/<key>, $active_feature_flags
///
/// Reading a value (isEnabled, getFlag) records the key as accessed and captures a
/// deduplicated $feature_flag_called (unless the evaluation was asked not to); reading a
/// payload or the keys is silent. Copies share the record of accessed keys. An empty snapshot
/// (no distinct id, or a client without flags) answers false / no value to everything and
/// captures nothing. Thread-safe.
{
public:
	FeatureFlagEvaluations();
	/// An empty snapshot.

	bool isEnabled(const std::string& key) const;
	/// True when the flag is on (true or a variant); false when it is off or missing.
	FlagValue getFlag(const std::string& key) const;
	/// The flag's value; no value when the snapshot does not hold it.
	FlagPayload getFlagPayload(const std::string& key) const;
	/// The payload of the flag's value, if any. Silent: records nothing, captures nothing.
	FeatureFlagResult getResult(const std::string& key) const;
	/// Everything known about the flag (silent, like getFlagPayload).

	std::vector<std::string> keys() const;
	/// The keys held, in evaluation order.
	std::vector<std::string> accessedKeys() const;
	/// The keys read so far through isEnabled/getFlag.
	bool empty() const noexcept;
	std::size_t size() const noexcept;
	const std::string& distinctId() const noexcept;
	const std::string& error() const noexcept;
	/// Why some flags may be missing ("timeout", "quota_limited", ...), or empty.

	FeatureFlagEvaluations onlyAccessed() const;
	/// A snapshot holding only the flags read so far (empty when none was read).
	FeatureFlagEvaluations only(const std::vector<std::string>& keys) const;
	/// A snapshot holding only these keys (those it has). Makes no request.

	struct Data;
	explicit FeatureFlagEvaluations(std::shared_ptr<Data> data);
	/// Used by the client that evaluates the flags.
	const Data* data() const noexcept { return _data.get(); }

private:
	std::shared_ptr<Data> _data;
};

} // namespace PostHog

#endif // PostHog_FeatureFlagEvaluations_INCLUDED
