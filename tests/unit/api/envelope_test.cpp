#include "api/envelope.hpp"

#include <gtest/gtest.h>

namespace ls::api {
namespace {

TEST(Envelope, OneMappingFromCodesToStatuses) {
  EXPECT_EQ(httpStatusFor(Code::kInvalidArgument), 400);
  EXPECT_EQ(httpStatusFor(Code::kUnauthenticated), 401);
  EXPECT_EQ(httpStatusFor(Code::kPermissionDenied), 403);
  EXPECT_EQ(httpStatusFor(Code::kNotFound), 404);
  EXPECT_EQ(httpStatusFor(Code::kConflict), 409);
  EXPECT_EQ(httpStatusFor(Code::kPayloadTooLarge), 413);
  EXPECT_EQ(httpStatusFor(Code::kRateLimited), 429);
  EXPECT_EQ(httpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(httpStatusFor(Code::kInternal), 500);
}

TEST(Envelope, DataPagesAndErrors) {
  EXPECT_EQ(dataResponse(201, boost::json::object{{"id", "x"}}).body, R"({"data":{"id":"x"},"meta":{}})");
  EXPECT_EQ(pageResponse(boost::json::array{1, 2}, 2, 2, 5).body,
            R"({"data":[1,2],"meta":{"pagination":{"page":2,"limit":2,"total":5,"totalPages":3}}})");
  EXPECT_EQ(errorFor(Status(Code::kInvalidArgument, "a", {"a", "b"})).body,
            R"({"statusCode":400,"message":["a","b"],"error":"Bad Request"})");
  EXPECT_EQ(errorFor(notFound("Livestream not found")).body,
            R"({"statusCode":404,"message":"Livestream not found","error":"Not Found"})");
  // Internal details stay in the log.
  EXPECT_EQ(errorFor(internalError("sqlite said: disk I/O error at /secret/path")).body,
            R"({"statusCode":500,"message":"Internal server error","error":"Internal Server Error"})");
}

}  // namespace
}  // namespace ls::api
