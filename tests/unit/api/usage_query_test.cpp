// The usage route's query parsing, its JSON and CSV answers, and that the
// route answers only what the authorizer allows.
#include "api/usage_query.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/node_bodies.hpp"
#include "api/usage_routes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace ls::api {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
constexpr UnixMillis kDec1 = 1'796'083'200'000;  // 2026-12-01T00:00:00Z

TEST(UsageQueryTest, ParsesTheContractsQuery) {
  auto q =
      parseUsageQuery({{"from", "2026-12-01T00:00:00Z"}, {"to", "2026-12-02T00:00:00Z"}, {"granularity", "day"}}, "");
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->from, kDec1);
  EXPECT_EQ(q->to, kDec1 + 24 * usage::kHourMs);
  EXPECT_EQ(q->granularity, control::UsageGranularity::kDay);
  EXPECT_FALSE(q->csv);
  auto hourly = parseUsageQuery({{"from", "2026-12-01T00:00:00Z"}, {"to", "2026-12-01T05:00:00.000Z"}}, "");
  ASSERT_TRUE(hourly.ok());
  EXPECT_EQ(hourly->granularity, control::UsageGranularity::kHour);
}

TEST(UsageQueryTest, CsvByFormatOrAcceptAndFormatWins) {
  const Params range{{"from", "2026-12-01T00:00:00Z"}, {"to", "2026-12-01T01:00:00Z"}};
  EXPECT_TRUE(parseUsageQuery(range, "text/csv")->csv);
  EXPECT_TRUE(parseUsageQuery(range, "application/json;q=0.5, Text/CSV")->csv);
  EXPECT_FALSE(parseUsageQuery(range, "application/json")->csv);
  Params csv = range;
  csv.emplace_back("format", "csv");
  EXPECT_TRUE(parseUsageQuery(csv, "")->csv);
  Params json = range;
  json.emplace_back("format", "json");
  EXPECT_FALSE(parseUsageQuery(json, "text/csv")->csv);
}

TEST(UsageQueryTest, EveryProblemIsReported) {
  auto bad = parseUsageQuery({{"from", "yesterday"}, {"granularity", "week"}, {"format", "xml"}, {"page", "2"}}, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  const std::vector<std::string>& d = bad.status().details();
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0], "query parameter \"page\" should not exist");
  EXPECT_NE(d[1].find("from must be an ISO-8601"), std::string::npos);
  EXPECT_NE(d[2].find("to is required"), std::string::npos);
  EXPECT_EQ(d[3], "granularity must be one of: hour, day");
  EXPECT_EQ(d[4], "format must be one of: json, csv");
  auto backwards = parseUsageQuery({{"from", "2026-12-02T00:00:00Z"}, {"to", "2026-12-01T00:00:00Z"}}, "");
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.status().details(), std::vector<std::string>{"to must be after from"});
  auto twice = parseUsageQuery(
      {{"from", "2026-12-01T00:00:00Z"}, {"from", "2026-12-01T00:00:00Z"}, {"to", "2026-12-02T00:00:00Z"}}, "");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().details(), std::vector<std::string>{"from must be given once"});
}

TEST(UsageQueryTest, JsonHasTheContractsShape) {
  const std::vector<usage::UsageRow> rows = {{"p", "ls-1", kDec1, "ingest_ms", "", 3967},
                                             {"p", "ls-1", kDec1, "transcode_ms", "720", 3900},
                                             {"p", "ls-1", kDec1, "egress_bytes", "", 5000},
                                             {"p", "ls-1", kDec1, "egress_requests", "", 2}};
  const control::UsageReport report =
      control::buildUsageReport("p", kDec1, kDec1 + 2 * usage::kHourMs, control::UsageGranularity::kHour, rows);
  const std::string text = usageReportJson(report);
  EXPECT_EQ(text,
            R"({"data":[{"start":"2026-12-01T00:00:00.000Z","end":"2026-12-01T01:00:00.000Z","ingestSeconds":3.967,)"
            R"("transcodeSeconds":3.9,"egressBytes":5000,"egressRequests":2,"streams":[{"livestreamId":"ls-1",)"
            R"("ingestSeconds":3.967}],"transcodeByHeight":{"720":3.9}},{"start":"2026-12-01T01:00:00.000Z",)"
            R"("end":"2026-12-01T02:00:00.000Z","ingestSeconds":0,"transcodeSeconds":0,"egressBytes":0,)"
            R"("egressRequests":0,"streams":[],"transcodeByHeight":{}}],"meta":{"from":"2026-12-01T00:00:00.000Z",)"
            R"("to":"2026-12-01T02:00:00.000Z","granularity":"hour"}})");
  EXPECT_NO_THROW((void)boost::json::parse(text));
}

TEST(NodeUsageBodyTest, ParsesABatchAndRefusesBadRows) {
  auto batch =
      parseNodeUsage(R"({"batchId":"b/0","rows":[{"projectId":"p","livestreamId":"ls","bucketStart":1796083200000,)"
                     R"("metric":"transcode_ms","dimension":"720","value":3967}]})");
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(batch->id, "b/0");
  ASSERT_EQ(batch->rows.size(), 1u);
  EXPECT_EQ(batch->rows[0], (usage::UsageRow{"p", "ls", kDec1, "transcode_ms", "720", 3967}));
  EXPECT_EQ(parseNodeUsage(R"({"rows":[]})").status().message(), "batchId is required");
  EXPECT_EQ(
      parseNodeUsage(R"({"batchId":"b","rows":[{"projectId":"p","bucketStart":5,"metric":"ingest_ms","value":1}]})")
          .status()
          .message(),
      "rows[].bucketStart must be an integer ms on the hour");
  EXPECT_EQ(parseNodeUsage(R"({"batchId":"b","rows":[{"projectId":"p","bucketStart":0,"metric":"x","value":1}]})")
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(
      parseNodeUsage(R"({"batchId":"b","rows":[{"projectId":"p","bucketStart":0,"metric":"ingest_ms","value":-1}]})")
          .status()
          .message(),
      "rows[].value must be an integer >= 0");
}

TEST(UsageRouteTest, AnswersOnlyAuthorizedProjectsInJsonOrCsv) {
  testing::TempDir dir;
  auto store = SqliteStore::open(dir.path() / "usage.db");
  ASSERT_TRUE(store.ok()) << store.status().message();
  ASSERT_TRUE((*store)->applyUsageBatch({"b", {{"p-1", "ls", kDec1, "egress_bytes", "", 10}}}, 1).ok());
  control::UsageService service(**store);
  http::Router router;
  registerUsageRoutes(router, service, [](const http::Request& r, std::string_view id) -> Result<std::string> {
    if (r.bearerToken().empty()) return Status(Code::kUnauthenticated, "Invalid or expired access token");
    if (id != "p-1") return notFound("Project not found");
    return std::string(id);
  });
  const std::string target = "/api/v1/admin/projects/p-1/usage?from=2026-12-01T00:00:00Z&to=2026-12-01T01:00:00Z";
  const std::vector<http::Header> bearer = {{"Authorization", "Bearer t"}};

  http::Response none = usageResponse(service, "p-1", http::Request::make(http::Method::kGet, target + "&x=1"));
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.body.find(R"("message":["query parameter \"x\" should not exist"])"), std::string::npos) << none.body;

  http::Response json = usageResponse(service, "p-1", http::Request::make(http::Method::kGet, target, {}, bearer));
  EXPECT_EQ(json.status, 200);
  EXPECT_NE(json.body.find(R"("egressBytes":10)"), std::string::npos) << json.body;

  auto csvHeaders = bearer;
  csvHeaders.push_back({"Accept", "text/csv"});
  http::Response csv = usageResponse(service, "p-1", http::Request::make(http::Method::kGet, target, {}, csvHeaders));
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body,
            "start,end,ingest_seconds,transcode_seconds,egress_bytes,egress_requests\n"
            "2026-12-01T00:00:00.000Z,2026-12-01T01:00:00.000Z,0,0,10,0\n");

  // Through the router: the authorizer decides first.
  http::Request anonymous = http::Request::make(http::Method::kGet, target);
  EXPECT_EQ(router.dispatch(anonymous).status, 401);
  http::Request other = http::Request::make(
      http::Method::kGet, "/api/v1/admin/projects/p-2/usage?from=2026-12-01T00:00:00Z&to=2026-12-01T01:00:00Z", {},
      bearer);
  EXPECT_EQ(router.dispatch(other).status, 404);
  http::Request allowed = http::Request::make(http::Method::kGet, target, {}, bearer);
  EXPECT_EQ(router.dispatch(allowed).status, 200);
}

}  // namespace
}  // namespace ls::api
