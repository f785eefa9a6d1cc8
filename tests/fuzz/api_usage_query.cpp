// A usage query must give InvalidArgument (with at least one detail) or a
// range that is ordered, never a crash; a valid one renders as JSON and CSV.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/usage_query.hpp"
#include "http/request.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string accept(input.substr(0, newline == std::string_view::npos ? 0 : newline));
  const std::string query(newline == std::string_view::npos ? input : input.substr(newline + 1));
  const ls::http::Request request =
      ls::http::Request::make(ls::http::Method::kGet, "/u?" + query, {}, {{"Accept", accept}});
  auto parsed = ls::api::parseUsageQuery(request.queryParams(), accept);
  if (!parsed.ok()) {
    check(parsed.status().code() == ls::Code::kInvalidArgument);
    check(!parsed.status().details().empty());
    return 0;
  }
  check(parsed->from < parsed->to);
  // A small report over the parsed range's first bucket renders.
  const ls::control::UsageReport report =
      ls::control::buildUsageReport("p", ls::usage::hourStart(parsed->from),
                                    ls::usage::hourStart(parsed->from) + ls::usage::kHourMs, parsed->granularity, {});
  check(!ls::api::usageReportJson(report).empty());
  check(!ls::control::renderUsageCsv(report).empty());
  return 0;
}
