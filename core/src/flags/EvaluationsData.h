//
// EvaluationsData.h
//
// What a FeatureFlagEvaluations snapshot holds.
//

#ifndef PostHog_EvaluationsData_INCLUDED
#define PostHog_EvaluationsData_INCLUDED

#include "Poco/Mutex.h"
#include "PostHog/FeatureFlagEvaluations.h"
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace PostHog
{

// Hidden: the nested type would otherwise take the exported visibility of the public class.
struct __attribute__((visibility("hidden"))) FeatureFlagEvaluations::Data
/// The frozen results of one evaluation, plus the keys read so far (the only mutable part,
/// under a lock). onRead captures $feature_flag_called for a value read; it holds only a weak
/// reference to the client, so a snapshot may outlive it.
{
	std::string distinctId;
	std::map<std::string, std::string> groups;
	std::vector<FeatureFlagResult> results; // evaluation order
	std::vector<std::size_t> index;         // positions in results, ordered by key
	std::string error;
	bool sendEvents = true;
	bool remoteMinimalGate = false;                         // the /flags answer's minimal-event gate
	std::map<std::string, signed char> remoteHasExperiment; // its metadata.has_experiment, when reported
	std::function<void(const Data&, const FeatureFlagResult&)> onRead;

	mutable Poco::FastMutex mutex;
	mutable std::vector<std::string> accessed;
	mutable std::set<std::string> accessedSet;

	void add(FeatureFlagResult result);
	/// Adds or replaces the result of that key.

	const FeatureFlagResult* find(const std::string& key) const;
	std::shared_ptr<Data> subset(const std::vector<std::string>& keys) const;
	/// A new snapshot of these keys (those held, in evaluation order), nothing read yet.
};

} // namespace PostHog

#endif // PostHog_EvaluationsData_INCLUDED
