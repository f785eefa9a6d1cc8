// GET /api/v1/admin/projects/:id/usage: its query (from, to, granularity,
// format) and Accept header, and the JSON of a usage report
// (docs/api.md, "Usage"). Pure: no I/O, fuzzed (tests/fuzz/api_usage_query).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/usage_service.hpp"
#include "core/status.hpp"
#include "core/time.hpp"

namespace ls::api {

struct UsageQuery {
  UnixMillis from = 0;
  UnixMillis to = 0;
  control::UsageGranularity granularity = control::UsageGranularity::kHour;
  bool csv = false;  // format=csv, or Accept: text/csv without format=json
};

// Decoded query parameters in order (http::Request::queryParams()) and the
// Accept header ("" when absent). kInvalidArgument with one detail per
// problem: from/to missing or not ISO-8601, to not after from, an unknown
// granularity or format, a repeated or unknown parameter.
Result<UsageQuery> parseUsageQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                   std::string_view accept);

// {"data":[bucket...],"meta":{"from","to","granularity"}}; seconds as JSON
// numbers with at most three decimals.
std::string usageReportJson(const control::UsageReport& report);

}  // namespace ls::api
