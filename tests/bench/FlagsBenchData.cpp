//
// FlagsBenchData.cpp
//

#include "FlagsBenchData.h"
#include <vector>

namespace PostHogBench
{

namespace
{

const char* const kPlans[] = {"free", "pro", "team", "enterprise"};
const char* const kCountries[] = {"US", "DE", "FR", "GB", "IN", "BR", "JP"};

std::string filter(const std::string& key, const std::string& op, const std::string& value)
{
	return "{\"key\": \"" + key + "\", \"type\": \"person\", \"operator\": \"" + op +
	       "\", \"value\": " + value + "}";
}

/// The filters of flag i: a rotation through the common operators.
std::string filtersFor(int i)
{
	switch (i % 8)
	{
	case 0:
		return filter("plan", "exact", "[\"pro\", \"team\", \"enterprise\"]");
	case 1:
		return filter("email", "icontains", "\"@example.com\"") + ", " + filter("age", "gt", "21");
	case 2:
		return filter("app_version", "semver_gte", "\"2.1.0\"");
	case 3:
		return filter("country", "exact", "[\"US\", \"DE\"]") + ", " + filter("beta", "exact", "[\"true\"]");
	case 4:
		return filter("email", "regex", "\"^[a-z0-9._]+@example\\\\.com$\"");
	case 5:
		return filter("signup", "is_date_after", "\"2020-01-01\"") + ", " +
		       filter("plan", "is_set", "\"is_set\"");
	case 6:
		return filter("app_version", "semver_caret", "\"2.0.0\"") + ", " +
		       filter("country", "is_not", "\"FR\"");
	default:
		return "";
	}
}

} // namespace

std::string benchDefinitions(int flags)
{
	std::string json = "{\"flags\": [";
	for (int i = 0; i < flags; ++i)
	{
		const std::string key = "flag-" + std::to_string(i);
		std::string filters = "{\"groups\": [{\"properties\": [" + filtersFor(i) +
		                      "], \"rollout_percentage\": " + std::to_string(20 + (i * 7) % 81) + "}";
		if (i % 5 == 0)
			filters += ", {\"properties\": [" + filter("plan", "exact", "\"enterprise\"") +
			           "], \"rollout_percentage\": 100}";
		filters += "]";
		if (i % 4 == 1)
			filters +=
			    ", \"multivariate\": {\"variants\": [{\"key\": \"control\", \"rollout_percentage\": 50}, "
			    "{\"key\": \"test\", \"rollout_percentage\": 50}]}, \"payloads\": {\"test\": "
			    "\"{\\\"color\\\": \\\"blue\\\"}\"}";
		else if (i % 4 == 2)
			filters += ", \"payloads\": {\"true\": \"{\\\"limit\\\": 10}\"}";
		if (i == flags - 1)
			filters =
			    "{\"aggregation_group_type_index\": 0, \"groups\": [{\"properties\": [{\"key\": \"seats\", "
			    "\"type\": \"group\", \"group_type_index\": 0, \"operator\": \"gte\", \"value\": 10}], "
			    "\"rollout_percentage\": 100}]";
		if (i == flags - 2)
			filters =
			    "{\"groups\": [{\"properties\": [{\"key\": \"id\", \"type\": \"cohort\", \"value\": 1}], "
			    "\"rollout_percentage\": 100}]";
		json += std::string(i ? ", " : "") + "{\"id\": " + std::to_string(i + 1) + ", \"key\": \"" + key +
		        "\", \"active\": " + (i % 13 == 12 ? "false" : "true") +
		        ", \"version\": 1, \"filters\": " + filters + "}}";
	}
	json += "], \"group_type_mapping\": {\"0\": \"company\"}, \"cohorts\": {\"1\": {\"type\": \"OR\", "
	        "\"values\": "
	        "[{\"type\": \"AND\", \"values\": [" +
	        filter("plan", "exact", "\"pro\"") + ", " + filter("age", "gte", "30") + "]}]}}}";
	return json;
}

std::string benchContext(int index)
{
	const std::string id = "user-" + std::to_string(index);
	const std::string plan = kPlans[index % 4];
	const std::string country = kCountries[index % 7];
	return "{\"distinct_id\": \"" + id + "\", \"groups\": {\"company\": \"company-" +
	       std::to_string(index % 50) + "\"}, \"person_properties\": {\"email\": \"" + id + "@" +
	       (index % 3 ? "example.com" : "other.org") + "\", \"plan\": \"" + plan + "\", \"country\": \"" +
	       country + "\", \"age\": " + std::to_string(18 + index % 50) + ", \"app_version\": \"" +
	       std::to_string(1 + index % 3) + "." + std::to_string(index % 10) +
	       ".0\", \"beta\": " + (index % 2 ? "true" : "false") + ", \"signup\": \"20" +
	       std::to_string(18 + index % 7) +
	       "-06-01T00:00:00Z\"}, \"group_properties\": {\"company\": {\"seats\": " +
	       std::to_string(index % 40) + ", \"name\": \"Company\"}}}";
}

std::string threeFilterDefinitions()
{
	return "{\"flags\": [{\"id\": 1, \"key\": \"three-filters\", \"active\": true, \"filters\": {\"groups\": "
	       "[{\"properties\": [" +
	       filter("plan", "exact", "[\"pro\", \"team\"]") + ", " +
	       filter("email", "icontains", "\"@example.com\"") + ", " + filter("age", "gt", "21") +
	       "], \"rollout_percentage\": 50}]}}]}";
}

} // namespace PostHogBench
