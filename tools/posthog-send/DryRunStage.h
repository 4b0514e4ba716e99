//
// DryRunStage.h
//
// The last stage of a --dry-run pipeline: prints the batches that would be sent, sends nothing.
//

#ifndef PostHogSend_DryRunStage_INCLUDED
#define PostHogSend_DryRunStage_INCLUDED

#include "PostHog/Middleware.h"
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace PostHogSend
{

class DryRunStage : public PostHog::Middleware
/// Registered in code after every configured stage of a sync-mode Client, so each message it
/// sees is exactly what the client would send (built by the Client, changed by every stage).
/// It keeps the event's JSON, drops the message (nothing reaches the network) and prints every
/// full batch as the request body PostHog would receive, pretty-printed:
///
///     {"api_key": "phc_…wxyz", "batch": [...], "sent_at": "..."}
///
/// The API key is never printed in full (see maskKey()).
{
public:
	static const std::string kStageName; /// "posthog-send-dry-run"

	DryRunStage(std::ostream& out, std::string maskedKey, std::size_t batchSize, bool geoip);

	std::string name() const override;
	Result process(PostHog::Message& message) override;

	void finish();
	/// Prints the last, partial batch.

	std::size_t events() const noexcept { return _events; }
	std::size_t batches() const noexcept { return _batches; }

	static std::string maskKey(const std::string& key);
	/// "phc_…wxyz": the prefix up to and including the first '_' (when within the first 8
	/// characters) and the last four characters; "(not set)" for an empty key, "…" alone for
	/// a key of 8 characters or fewer.

private:
	void printBatch();

	std::ostream& _out;
	std::string _maskedKey;
	std::size_t _batchSize;
	bool _geoip;
	std::vector<std::string> _pending;
	std::size_t _events = 0;
	std::size_t _batches = 0;
};

} // namespace PostHogSend

#endif // PostHogSend_DryRunStage_INCLUDED
