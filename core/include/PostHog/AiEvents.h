//
// AiEvents.h
//
// Builders of the properties of PostHog's LLM analytics events.
//

#ifndef PostHog_AiEvents_INCLUDED
#define PostHog_AiEvents_INCLUDED

#include "PostHog/Array.h"
#include "PostHog/PostHog.h"
#include "PostHog/Properties.h"
#include <cstdint>
#include <optional>
#include <string>

namespace PostHog
{

struct PostHog_API AiSpanFields
/// What every AI event shares: where it sits in a trace, how long it took, whether it failed.
/// Empty strings and unset optionals are left out of the properties.
{
	std::string traceId;   /// $ai_trace_id: groups the events of one interaction (required by PostHog)
	std::string sessionId; /// $ai_session_id: groups traces
	std::string spanId;    /// $ai_span_id
	std::string spanName;  /// $ai_span_name
	std::string parentId;  /// $ai_parent_id: the enclosing span or trace
	std::optional<double> latency; /// $ai_latency, seconds
	bool isError = false;          /// $ai_is_error (sent when true)
	std::string error;             /// $ai_error
	Properties properties;         /// more properties, sent as given (they do not override the $ai_* ones)

	void addTo(Properties& out) const;
};

struct PostHog_API AiGeneration : AiSpanFields
/// One call to an LLM: $ai_generation.
///
///     PostHog::AiGeneration g;
///     g.traceId = traceId; g.model = "gpt-5-mini"; g.provider = "openai";
///     g.input = {PostHog::Properties{{"role", "user"}, {"content", prompt}}};
///     g.inputTokens = 12; g.outputTokens = 40; g.latency = 0.8;
///     client.captureAi("user-42", PostHog::AiGeneration::kEvent, g.toProperties(privacyMode));
{
	static constexpr const char* kEvent = "$ai_generation";
	std::string model;    /// $ai_model
	std::string provider; /// $ai_provider
	std::string baseUrl;  /// $ai_base_url
	Array input;          /// $ai_input: the messages sent (left out in privacy mode)
	Array outputChoices;  /// $ai_output_choices: the messages returned (left out in privacy mode)
	Array tools;          /// $ai_tools
	std::optional<std::int64_t> inputTokens;              /// $ai_input_tokens
	std::optional<std::int64_t> outputTokens;             /// $ai_output_tokens
	std::optional<std::int64_t> cacheReadInputTokens;     /// $ai_cache_read_input_tokens
	std::optional<std::int64_t> cacheCreationInputTokens; /// $ai_cache_creation_input_tokens
	std::optional<std::int64_t> maxTokens;                /// $ai_max_tokens
	std::optional<double> temperature;                    /// $ai_temperature
	std::optional<bool> stream;                           /// $ai_stream
	std::optional<double> timeToFirstToken;               /// $ai_time_to_first_token, seconds
	std::optional<int> httpStatus;                        /// $ai_http_status
	std::optional<double> inputCostUsd;                   /// $ai_input_cost_usd
	std::optional<double> outputCostUsd;                  /// $ai_output_cost_usd
	std::optional<double> totalCostUsd;                   /// $ai_total_cost_usd

	Properties toProperties(bool privacyMode = false) const;
	/// The event's properties; privacyMode leaves $ai_input and $ai_output_choices out.
};

struct PostHog_API AiEmbedding : AiSpanFields
/// One call to an embedding model: $ai_embedding.
{
	static constexpr const char* kEvent = "$ai_embedding";
	std::string model;                       /// $ai_model
	std::string provider;                    /// $ai_provider
	std::string baseUrl;                     /// $ai_base_url
	Array input;                             /// $ai_input: what was embedded (left out in privacy mode)
	std::optional<std::int64_t> inputTokens; /// $ai_input_tokens
	std::optional<int> httpStatus;           /// $ai_http_status
	std::optional<double> totalCostUsd;      /// $ai_total_cost_usd

	Properties toProperties(bool privacyMode = false) const;
	/// The event's properties; privacyMode leaves $ai_input out.
};

struct PostHog_API AiSpan : AiSpanFields
/// A step of an AI workflow that is not an LLM call (a tool call, a retrieval): $ai_span.
{
	static constexpr const char* kEvent = "$ai_span";
	Properties inputState;  /// $ai_input_state (left out in privacy mode and when empty)
	Properties outputState; /// $ai_output_state (likewise)

	Properties toProperties(bool privacyMode = false) const;
};

struct PostHog_API AiTrace : AiSpanFields
/// The whole interaction that groups generations and spans: $ai_trace. spanName is the trace's
/// name; spanId and parentId are usually left empty.
{
	static constexpr const char* kEvent = "$ai_trace";
	Properties inputState;  /// $ai_input_state (left out in privacy mode and when empty)
	Properties outputState; /// $ai_output_state (likewise)

	Properties toProperties(bool privacyMode = false) const;
};

} // namespace PostHog

#endif // PostHog_AiEvents_INCLUDED
