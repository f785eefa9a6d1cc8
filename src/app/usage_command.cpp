#include "app/usage_command.hpp"

#include <iostream>

#include "api/usage_query.hpp"
#include "app/cli_args.hpp"
#include "app/cli_common.hpp"
#include "control/usage_service.hpp"

namespace ls::app {

namespace {

constexpr const char* kUsageHelp =
    R"(Usage: lunarstream usage --project ID --from ISO --to ISO [--granularity hour|day] [--csv|--json]

Prints a project's metered usage (ingest and transcode seconds, origin egress
bytes and requests) per hour or day (UTC), every bucket of the range, zero
when nothing was used. The range is widened to whole buckets; at most 92 days
of hours or 366 days per call. Usage is stored every usage.flush_interval_ms
(5 s), so the last seconds of a running stream may not show yet.

Options:
  --project ID       project id (usage of a deleted project can still be read)
  --from ISO         start, ISO-8601 UTC, e.g. 2026-12-01T00:00:00Z
  --to ISO           end (exclusive), ISO-8601 UTC
  --granularity G    hour (default) or day
  --csv              CSV: start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests
  --json             the admin API's JSON ({"data":[...],"meta":{...}})
  --data-dir DIR     data directory of the server (default: ./data)
  --database URL     the server's PostgreSQL database, postgres://USER:PASS@HOST:PORT/DB
                     (default: LUNARSTREAM_DATABASE_URL, else SQLite in the data dir)
)";

void printTable(const control::UsageReport& report) {
  std::cout << "start                     ingest_s  transcode_s  egress_bytes  egress_requests\n";
  for (const control::UsageBucket& b : report.buckets) {
    std::string line = formatIso8601(b.start);
    const auto column = [&line](const std::string& value, std::size_t width) {
      line += std::string(value.size() < width ? width - value.size() : 1, ' ') + value;
    };
    column(control::formatSeconds(b.ingestMs), 12);
    column(control::formatSeconds(b.transcodeMs), 13);
    column(std::to_string(b.egressBytes), 14);
    column(std::to_string(b.egressRequests), 17);
    std::cout << line << "\n";
  }
}

}  // namespace

int runUsageCommand(const std::vector<std::string>& argv) {
  if (wantsHelp(argv)) {
    std::cout << kUsageHelp;
    return 0;
  }
  auto args = CliArgs::parse(
      argv,
      {{"project"}, {"from"}, {"to"}, {"granularity"}, {"csv", false}, {"json", false}, {"data-dir"}, {"database"}});
  if (!args.ok()) return fail(args.status());
  if (!args->positional().empty()) return fail(invalidArgument("unexpected argument: " + args->positional().front()));
  const std::optional<std::string> projectId = args->get("project");
  if (!projectId || projectId->empty()) return fail(invalidArgument("--project is required"));
  if (args->has("csv") && args->has("json")) return fail(invalidArgument("--csv and --json exclude each other"));
  // The admin API's parser, so both answer the same input the same way.
  std::vector<std::pair<std::string, std::string>> params;
  for (const char* name : {"from", "to", "granularity"}) {
    if (auto value = args->get(name)) params.emplace_back(name, *value);
  }
  auto query = api::parseUsageQuery(params, "");
  if (!query.ok()) return fail(query.status());
  auto dir = openFromArgs(*args);
  if (!dir.ok()) return fail(dir.status());
  control::UsageService usage(*dir->store);
  auto report = usage.query(*projectId, query->from, query->to, query->granularity);
  if (!report.ok()) return fail(report.status());
  if (args->has("csv")) {
    std::cout << control::renderUsageCsv(*report);
  } else if (args->has("json")) {
    std::cout << api::usageReportJson(*report) << "\n";
  } else {
    printTable(*report);
  }
  return 0;
}

}  // namespace ls::app
