#include "http/response.hpp"

#include <gtest/gtest.h>

#include "http/response_head.hpp"

namespace ls::http {
namespace {

TEST(ErrorResponse, BuildsTheEnvelopeExactly) {
  const Response r = errorResponse(401, "Invalid API Key");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.contentType, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"statusCode":401,"message":"Invalid API Key","error":"Unauthorized"})");
}

TEST(ErrorResponse, EscapesMessageText) {
  const Response r = errorResponse(404, "Cannot GET /a\"b\\c\n\x01");
  EXPECT_EQ(r.body, R"({"statusCode":404,"message":"Cannot GET /a\"b\\c\n\u0001","error":"Not Found"})");
}

TEST(ErrorResponse, CarriesValidationMessagesAsArray) {
  const Response r = errorResponse(400, std::vector<std::string>{"name must be longer", "limit must be \"1..100\""});
  EXPECT_EQ(r.body,
            R"({"statusCode":400,"message":["name must be longer","limit must be \"1..100\""],"error":"Bad Request"})");
  EXPECT_EQ(errorResponse(400, std::vector<std::string>{}).body,
            R"({"statusCode":400,"message":[],"error":"Bad Request"})");
}

TEST(ReasonPhrase, KnownAndUnknown) {
  EXPECT_EQ(reasonPhrase(200), "OK");
  EXPECT_EQ(reasonPhrase(413), "Payload Too Large");
  EXPECT_EQ(reasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reasonPhrase(429), "Too Many Requests");
  EXPECT_EQ(reasonPhrase(299), "Unknown");
}

TEST(Response, SharedBodyIsTheSpanNotACopy) {
  auto owner = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{1, 2, 3});
  const Response r = Response::shared(200, "video/mp2t", owner, *owner);
  EXPECT_TRUE(r.isShared());
  EXPECT_EQ(r.bodyBytes().data(), owner->data());
  EXPECT_EQ(r.bodySize(), 3u);
  EXPECT_EQ(owner.use_count(), 2);
}

TEST(Response, HeaderChainsAndFinds) {
  Response r = Response::text(200, "text/plain", "hi");
  r.header("Cache-Control", "max-age=1").header("X-A", "b");
  ASSERT_NE(r.findHeader("cache-control"), nullptr);
  EXPECT_EQ(*r.findHeader("cache-control"), "max-age=1");
  EXPECT_EQ(r.findHeader("content-type"), nullptr);
}

TEST(ResponseHead, SerializesStatusFramingAndHeaders) {
  Response r = Response::text(200, "text/plain", "hello");
  r.header("Cache-Control", "no-cache");
  std::string out;
  const HeadResult result = appendResponseHead(r, HeadContext{true, 11, false, "Sun, 06 Nov 1994 08:49:37 GMT"}, out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nServer: lunarstream\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain\r\nContent-Length: 5\r\nCache-Control: no-cache\r\n\r\n");
  EXPECT_EQ(result.bodyBytesToSend, 5u);
  EXPECT_EQ(result.droppedHeaders, 0u);
}

TEST(ResponseHead, CloseAndHttp10KeepAlive) {
  const Response r = Response::text(404, "", "");
  std::string closing;
  appendResponseHead(r, HeadContext{false, 11, false, ""}, closing);
  EXPECT_EQ(closing, "HTTP/1.1 404 Not Found\r\nServer: lunarstream\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  std::string http10;
  appendResponseHead(r, HeadContext{true, 10, false, ""}, http10);
  EXPECT_NE(http10.find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST(ResponseHead, HeadRequestAnnouncesLengthWithoutBody) {
  const Response r = Response::text(200, "text/plain", "hello");
  std::string out;
  const HeadResult result = appendResponseHead(r, HeadContext{true, 11, true, ""}, out);
  EXPECT_NE(out.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(result.bodyBytesToSend, 0u);
}

TEST(ResponseHead, NoContentHasNoLengthAndNoBody) {
  Response r = Response::text(204, "text/plain", "ignored");
  std::string out;
  const HeadResult result = appendResponseHead(r, HeadContext{}, out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\nServer: lunarstream\r\n\r\n");
  EXPECT_EQ(result.bodyBytesToSend, 0u);
}

TEST(ResponseHead, DropsServerOwnedAndInjectingHeaders) {
  Response r = Response::json(200, "{}");
  r.header("Content-Length", "999")
      .header("Transfer-Encoding", "chunked")
      .header("Connection", "keep-alive")
      .header("Server", "other")
      .header("X-Evil", "a\r\nSet-Cookie: x=1")
      .header("Bad Name", "v")
      .header("", "v")
      .header("Content-Type", "text/html")
      .header("X-Ok", "tab\tok");
  std::string out;
  const HeadResult result = appendResponseHead(r, HeadContext{}, out);
  EXPECT_EQ(result.droppedHeaders, 8u);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nServer: lunarstream\r\nContent-Type: application/json; charset=utf-8\r\n"
            "Content-Length: 2\r\nX-Ok: tab\tok\r\n\r\n");
}

TEST(ResponseHead, InvalidStatusBecomes500) {
  Response r = Response::text(100, "text/plain", "x");
  std::string out;
  EXPECT_EQ(appendResponseHead(r, HeadContext{}, out).status, 500);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
  r.status = -5;
  out.clear();
  EXPECT_EQ(appendResponseHead(r, HeadContext{}, out).status, 500);
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(formatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(formatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(formatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(formatHttpDate(1768241558), "Mon, 12 Jan 2026 18:12:38 GMT");
}

}  // namespace
}  // namespace ls::http
