#include "api/usage_routes.hpp"

#include "api/envelope.hpp"
#include "api/usage_query.hpp"

namespace ls::api {

http::Response usageResponse(control::UsageService& usage, std::string_view projectId, const http::Request& request) {
  Result<UsageQuery> query = parseUsageQuery(request.queryParams(), request.header("Accept").value_or(""));
  if (!query.ok()) return errorFor(query.status());
  Result<control::UsageReport> report = usage.query(projectId, query->from, query->to, query->granularity);
  if (!report.ok()) return errorFor(report.status());
  if (query->csv) {
    http::Response r = http::Response::text(200, "text/csv; charset=utf-8", control::renderUsageCsv(*report));
    r.header("Content-Disposition", "attachment; filename=\"usage.csv\"");
    return r;
  }
  return http::Response::json(200, usageReportJson(*report));
}

void registerUsageRoutes(http::Router& router, control::UsageService& usage, UsageProjectAuthorizer authorize) {
  router.add(
      http::Method::kGet, "/api/v1/admin/projects/:id/usage",
      [&usage, authorize = std::move(authorize)](const http::Request& r) {
        Result<std::string> project = authorize(r, r.param("id"));
        http::Response response = project.ok() ? usageResponse(usage, *project, r) : errorFor(project.status());
        response.header("Cache-Control", "no-store");
        return response;
      },
      http::Runs::kOnWorkers);
}

}  // namespace ls::api
