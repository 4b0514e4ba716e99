//
// MinimalCalledEvent.cpp
//

#include "flags/MinimalCalledEvent.h"
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace PostHog
{

namespace
{

// posthog-node 5.70's list (@posthog/core MINIMAL_FLAG_CALLED_EVENT_PROPERTIES) plus $os and
// $os_version, the platform identity the spec's categories keep. Sorted, for binary search.
const std::string_view kAllowed[] = {
    "$current_url",
    "$device_id",
    "$feature_flag",
    "$feature_flag_error",
    "$feature_flag_evaluated_at",
    "$feature_flag_has_experiment",
    "$feature_flag_id",
    "$feature_flag_reason",
    "$feature_flag_request_id",
    "$feature_flag_response",
    "$feature_flag_version",
    "$geoip_disable",
    "$groups",
    "$is_server",
    "$lib",
    "$lib_version",
    "$os",
    "$os_version",
    "$pathname",
    "$process_person_profile",
    "$referring_domain",
    "$session_id",
    "$window_id",
    "_kx",
    "bfcid",
    "dclid",
    "epik",
    "fbclid",
    "gad_source",
    "gbraid",
    "gclid",
    "gclsrc",
    "igshid",
    "irclid",
    "li_fat_id",
    "locally_evaluated",
    "mc_cid",
    "msclkid",
    "oppref",
    "qclid",
    "rdt_cid",
    "sccid",
    "ttclid",
    "twclid",
    "utm_campaign",
    "utm_content",
    "utm_medium",
    "utm_source",
    "utm_term",
    "wbraid",
};

} // namespace

bool MinimalCalledEvent::allowed(std::string_view property) noexcept
{
	return std::binary_search(std::begin(kAllowed), std::end(kAllowed), property);
}

void MinimalCalledEvent::mark(Message& message)
{
	message.properties().set(kMarkProperty, true);
}

bool MinimalCalledEvent::minimize(Message& message)
{
	Properties& properties = message.properties();
	if (!properties.remove(kMarkProperty))
		return false;
	std::vector<std::string> strip;
	for (const auto& entry : properties)
		if (!allowed(entry.key))
			strip.emplace_back(entry.key);
	for (const auto& key : strip)
		properties.remove(key);
	return true;
}

} // namespace PostHog
