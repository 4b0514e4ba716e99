//
// FlagsEngine.h
//
// Everything a Client does for feature flags, behind the Client's flag methods.
//

#ifndef PostHog_FlagsEngine_INCLUDED
#define PostHog_FlagsEngine_INCLUDED

#include "Poco/Logger.h"
#include "PostHog/ClientOptions.h"
#include "PostHog/ClientStatistics.h"
#include "PostHog/FeatureFlagEvaluations.h"
#include "PostHog/FlagOptions.h"
#include "PostHog/Message.h"
#include "flags/CalledTracker.h"
#include "flags/DefinitionsPoller.h"
#include "flags/DefinitionsSnapshot.h"
#include "flags/FlagsHttp.h"
#include "flags/MissingKeys.h"
#include "flags/RemoteEvaluator.h"
#include "flags/SnapshotSlot.h"
#include <atomic>
#include <functional>
#include <memory>

namespace PostHog
{

class FlagsEngine : public std::enable_shared_from_this<FlagsEngine>
/// Owns the definitions (a SnapshotSlot the poller publishes into), the poller, the remote
/// evaluator, the $feature_flag_called tracker and the flag property defaults, and answers the
/// Client's flag calls: local evaluation first, on the caller's thread and without a lock; then,
/// for what was inconclusive or missing (unless only-local), one remote request with the
/// caller's key scope, whose answers never replace a locally decided value.
{
public:
	using Enqueue = std::function<bool(Message&&)>;

	FlagsEngine(const ClientOptions& options, Poco::Logger& logger, Enqueue enqueue);
	/// Throws ConfigurationException for an unreadable posthog.flags.definitionsFile.
	~FlagsEngine();

	void start();
	/// Starts the poller when a personal key is set (and no definitions file).
	void stop();

	FeatureFlagResult result(const std::string& key, const std::string& distinctId,
	                         const FlagOptions& options, bool track);
	std::shared_ptr<FeatureFlagEvaluations::Data> evaluate(const std::string& distinctId,
	                                                       const FlagOptions& options);

	bool attachLocal(Message& message);
	/// capture(sendFeatureFlags) on the caller's thread: adds $feature/<key> and
	/// $active_feature_flags from local evaluation when definitions are loaded and every flag
	/// was decided; otherwise marks the message for attachPending() and returns false.
	void attachPending(Message& message);
	bool anyPending() const noexcept { return _anyPending.load(std::memory_order_relaxed); }
	/// On the worker: resolves a message marked by attachLocal() (one remote request).
	bool anyMinimal() const noexcept { return _anyMinimal.load(std::memory_order_relaxed); }
	/// Whether a minimal $feature_flag_called was ever queued (see MinimalCalledEvent).
	static void attachSnapshot(Message& message, const FeatureFlagEvaluations& flags);

	void setPersonProperties(const Properties& properties, bool reset);
	void setGroupProperties(const std::map<std::string, Properties>& properties, bool reset);

	void reload();
	bool waitReady(Poco::Timespan timeout);
	void addStatistics(ClientStatistics& statistics) const;
	bool localEvaluationConfigured() const noexcept { return _localConfigured; }

	void forkPrepare();
	void forkParent();
	void forkChild();
	/// The child restarts its poller on its next flag call.

	void setDefinitions(std::shared_ptr<const DefinitionsSnapshot> definitions)
	{
		_definitions.publish(std::move(definitions));
	}
	const DefinitionsSnapshot* definitions() const noexcept { return _definitions.get(); }

	static constexpr const char* kPendingProperty = "$__posthog_flags_pending";

private:
	struct Defaults
	{
		Properties person;
		std::map<std::string, Properties> groups;
	};

	DefinitionsSnapshot::Context context(const std::string& distinctId, const FlagOptions& options) const;
	void evaluateInto(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& context,
	                  const FlagOptions& options);
	void evaluateRemote(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& context,
	                    const FlagOptions& options);
	void fallBack(FeatureFlagEvaluations::Data& data, const DefinitionsSnapshot::Context& context,
	              const FlagOptions& options, const DefinitionsSnapshot* defs);
	/// evaluateRemote() for what local evaluation left undecided, unless every such key is one
	/// PostHog already said does not exist (MissingKeys); records such keys from a clean answer.
	void track(const FeatureFlagEvaluations::Data& data, const FeatureFlagResult& result);
	void addExperimentSignal(const FeatureFlagEvaluations::Data& data, const FeatureFlagResult& result,
	                         Message& message);
	void ensurePoller();
	std::shared_ptr<FeatureFlagEvaluations::Data> newData(const std::string& distinctId,
	                                                      const FlagOptions& options);

	ClientOptions _options;
	Poco::Logger& _logger;
	Enqueue _enqueue;
	bool _localConfigured = false;
	std::unique_ptr<FlagsHttp> _http;
	std::unique_ptr<RemoteEvaluator> _remote;
	std::unique_ptr<DefinitionsPoller> _poller;
	SnapshotSlot<DefinitionsSnapshot> _definitions;
	SnapshotSlot<Defaults> _defaults;
	Poco::FastMutex _defaultsWriteMutex;
	CalledTracker _called;
	MissingKeys _missing;
	std::atomic<bool> _forked{false};
	std::atomic<bool> _anyPending{false};
	std::atomic<bool> _anyMinimal{false};
	Poco::FastMutex _restartMutex;
	Poco::Timestamp _fileLoadedAt{0};
};

} // namespace PostHog

#endif // PostHog_FlagsEngine_INCLUDED
