//
// AiEvents.cpp
//

#include "PostHog/AiEvents.h"

namespace PostHog
{

namespace
{

void setString(Properties& out, const char* key, const std::string& value)
{
	if (!value.empty())
		out.set(key, value);
}

template<typename T>
void setOptional(Properties& out, const char* key, const std::optional<T>& value)
{
	if (value)
		out.set(key, *value);
}

template<typename T>
void setIncluded(Properties& out, const char* key, const T& value, bool include)
/// Sets an Array or Properties value when include is true and the value is not empty.
{
	if (include && !value.empty())
		out.set(key, value);
}

Properties modelProperties(const AiSpanFields& fields, const std::string& model, const std::string& provider,
                           const std::string& baseUrl, const Array& input, bool privacyMode)
/// What an $ai_generation and an $ai_embedding share: the span fields, the model called and
/// its input (left out in privacy mode).
{
	Properties out;
	fields.addTo(out);
	setString(out, "$ai_model", model);
	setString(out, "$ai_provider", provider);
	setString(out, "$ai_base_url", baseUrl);
	setIncluded(out, "$ai_input", input, !privacyMode);
	return out;
}

Properties stateProperties(const AiSpanFields& fields, const Properties& inputState,
                           const Properties& outputState, bool privacyMode)
/// The properties of an $ai_span or $ai_trace: the shared fields and the two states.
{
	Properties out;
	fields.addTo(out);
	setIncluded(out, "$ai_input_state", inputState, !privacyMode);
	setIncluded(out, "$ai_output_state", outputState, !privacyMode);
	return out;
}

} // namespace

void AiSpanFields::addTo(Properties& out) const
{
	out.merge(properties, true);
	setString(out, "$ai_trace_id", traceId);
	setString(out, "$ai_session_id", sessionId);
	setString(out, "$ai_span_id", spanId);
	setString(out, "$ai_span_name", spanName);
	setString(out, "$ai_parent_id", parentId);
	setOptional(out, "$ai_latency", latency);
	if (isError)
		out.set("$ai_is_error", true);
	setString(out, "$ai_error", error);
}

Properties AiGeneration::toProperties(bool privacyMode) const
{
	Properties out = modelProperties(*this, model, provider, baseUrl, input, privacyMode);
	setIncluded(out, "$ai_output_choices", outputChoices, !privacyMode);
	setIncluded(out, "$ai_tools", tools, true);
	setOptional(out, "$ai_input_tokens", inputTokens);
	setOptional(out, "$ai_output_tokens", outputTokens);
	setOptional(out, "$ai_cache_read_input_tokens", cacheReadInputTokens);
	setOptional(out, "$ai_cache_creation_input_tokens", cacheCreationInputTokens);
	setOptional(out, "$ai_max_tokens", maxTokens);
	setOptional(out, "$ai_temperature", temperature);
	setOptional(out, "$ai_stream", stream);
	setOptional(out, "$ai_time_to_first_token", timeToFirstToken);
	setOptional(out, "$ai_http_status", httpStatus);
	setOptional(out, "$ai_input_cost_usd", inputCostUsd);
	setOptional(out, "$ai_output_cost_usd", outputCostUsd);
	setOptional(out, "$ai_total_cost_usd", totalCostUsd);
	return out;
}

Properties AiEmbedding::toProperties(bool privacyMode) const
{
	Properties out = modelProperties(*this, model, provider, baseUrl, input, privacyMode);
	setOptional(out, "$ai_input_tokens", inputTokens);
	setOptional(out, "$ai_http_status", httpStatus);
	setOptional(out, "$ai_total_cost_usd", totalCostUsd);
	return out;
}

Properties AiSpan::toProperties(bool privacyMode) const
{
	return stateProperties(*this, inputState, outputState, privacyMode);
}

Properties AiTrace::toProperties(bool privacyMode) const
{
	return stateProperties(*this, inputState, outputState, privacyMode);
}

} // namespace PostHog
