//
// EvaluationsData.h
//
// What a FeatureFlagEvaluations snapshot holds.
//

#ifndef PostHog_EvaluationsData_INCLUDED
#define PostHog_EvaluationsData_INCLUDED

#include "Poco/Mutex.h"
#include "PostHog/FeatureFlagEvaluations.h"
#include "flags/FlagDefinitions.h"
#include "flags/LocalAnswer.h"
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace PostHog
{

// Hidden: the nested type would otherwise take the exported visibility of the public class.
struct __attribute__((visibility("hidden"))) FeatureFlagEvaluations::Data
/// The frozen results of one evaluation, plus the keys read so far (the only mutable part,
/// under a lock). Flags decided by evaluating every flag locally are held compactly (local[i]
/// for definitions->flags()[i], views into the definitions, which the snapshot keeps alive);
/// the others (remote answers, flags asked for by key) as whole results after them. A
/// FeatureFlagResult is built only when one is read. onRead captures $feature_flag_called for a
/// value read; it holds only a weak reference to the client, so a snapshot may outlive it.
{
	std::string distinctId;
	std::map<std::string, std::string> groups;
	std::shared_ptr<const FlagDefinitions> definitions; // what local points into
	std::vector<LocalAnswer> local;                     // definition order; no value: not held
	std::size_t localCount = 0;                         // how many of local hold a value
	std::vector<FeatureFlagResult> results;             // evaluation order, after local
	std::vector<std::size_t> index;                     // positions in results, ordered by key
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

	std::size_t size() const noexcept { return localCount + results.size(); }
	bool contains(const std::string& key) const;
	bool find(const std::string& key, FeatureFlagResult& out) const;
	/// Fills out with the result of that key; false when it is not held.
	const FlagValue* valueOf(const std::string& key) const;
	/// The value of that key, or null when it is not held.
	FlagPayload payloadOf(const std::string& key) const;
	std::vector<std::string> keys() const;
	/// In evaluation order.

	template<class F>
	void forEach(F&& visit) const
	/// visit(const FeatureFlagResult&) for every result held, in evaluation order.
	{
		for (std::size_t i = 0; i < local.size(); ++i)
			if (local[i].decided())
				visit(localResult(i));
		for (const FeatureFlagResult& r : results)
			visit(r);
	}

	std::shared_ptr<Data> subset(const std::vector<std::string>& keys) const;
	/// A new snapshot of these keys (those held, in evaluation order), nothing read yet.

private:
	FeatureFlagResult localResult(std::size_t i) const;
	int localIndex(const std::string& key) const;
	/// The position of a held local answer, or -1.
	const FeatureFlagResult* findResult(const std::string& key) const;
};

} // namespace PostHog

#endif // PostHog_EvaluationsData_INCLUDED
