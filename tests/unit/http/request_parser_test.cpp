#include "http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ls::http {
namespace {

// Feeds `wire` in pieces of `step` bytes the way the connection does: the
// unconsumed tail is presented again with the next bytes appended. Returns the
// bytes left over after the message ended (a pipelined next request).
std::string feedInPieces(RequestParser& parser, std::string_view wire, std::size_t step) {
  std::string pending;
  std::size_t offset = 0;
  while (parser.state() == RequestParser::State::kNeedMore && offset < wire.size()) {
    const std::size_t n = std::min(step, wire.size() - offset);
    pending.append(wire.substr(offset, n));
    offset += n;
    pending.erase(0, parser.feed(pending));
  }
  pending.append(wire.substr(offset));
  return pending;
}

class RequestParserTest : public ::testing::Test {
 protected:
  RequestParser::State parse(std::string_view wire, std::size_t step = 1 << 20) {
    parser.reset(request);
    leftover = feedInPieces(parser, wire, step);
    return parser.state();
  }

  ParserLimits limits{1024, 4096};
  RequestParser parser{limits};
  Request request;
  std::string leftover;
};

TEST_F(RequestParserTest, ParsesSimpleGet) {
  ASSERT_EQ(parse("GET /api/v1/x%20y?page=2 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n"),
            RequestParser::State::kComplete);
  EXPECT_EQ(request.method(), Method::kGet);
  EXPECT_EQ(request.methodName(), "GET");
  EXPECT_EQ(request.path(), "/api/v1/x y");
  EXPECT_EQ(request.query("page"), "2");
  EXPECT_EQ(request.version(), 11);
  EXPECT_EQ(request.header("host"), "example.com");
  EXPECT_EQ(request.header("user-agent"), "t");
  EXPECT_TRUE(request.body().empty());
  EXPECT_TRUE(parser.keepAlive());
  EXPECT_TRUE(leftover.empty());
}

TEST_F(RequestParserTest, SameResultFedByteByByte) {
  const std::string wire = "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world";
  ASSERT_EQ(parse(wire, 1), RequestParser::State::kComplete);
  EXPECT_EQ(request.method(), Method::kPost);
  EXPECT_EQ(request.body(), "hello world");
}

TEST_F(RequestParserTest, ParsesChunkedBodyWithExtensionsAndTrailers) {
  const std::string wire =
      "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, wire.size()}) {
    ASSERT_EQ(parse(wire, step), RequestParser::State::kComplete) << step;
    EXPECT_EQ(request.body(), "hello world");
    EXPECT_EQ(request.header("x-trailer"), std::nullopt);  // trailers are not headers
  }
}

TEST_F(RequestParserTest, StopsAtMessageEndForPipelining) {
  const std::string second = "GET /two HTTP/1.1\r\nHost: h\r\n\r\n";
  ASSERT_EQ(parse("GET /one HTTP/1.1\r\nHost: h\r\nX-Only-First: 1\r\n\r\n" + second), RequestParser::State::kComplete);
  EXPECT_EQ(request.path(), "/one");
  EXPECT_EQ(leftover, second);
  ASSERT_EQ(parse(leftover), RequestParser::State::kComplete);
  EXPECT_EQ(request.path(), "/two");
  EXPECT_EQ(request.header("x-only-first"), std::nullopt);  // reset cleared the reused request
}

TEST_F(RequestParserTest, ConnectionSemantics) {
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), RequestParser::State::kComplete);
  EXPECT_FALSE(parser.keepAlive());
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n"), RequestParser::State::kComplete);  // 1.0 needs no Host
  EXPECT_EQ(request.version(), 10);
  EXPECT_FALSE(parser.keepAlive());
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), RequestParser::State::kComplete);
  EXPECT_TRUE(parser.keepAlive());
}

TEST_F(RequestParserTest, HeaderOverLimitIs431) {
  const std::string wire = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n";
  EXPECT_EQ(parse(wire, 100), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 431);
  EXPECT_EQ(parse("GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n"), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 431);
}

TEST_F(RequestParserTest, ContentLengthOverLimitIs413BeforeTheBody) {
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4097\r\n\r\n"), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 413);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n"), RequestParser::State::kNeedMore);
}

TEST_F(RequestParserTest, ChunkedBodyGrowingPastLimitIs413) {
  std::string wire = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) wire += "400\r\n" + std::string(1024, 'x') + "\r\n";
  wire += "0\r\n\r\n";
  EXPECT_EQ(parse(wire, 300), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 413);
  EXPECT_LE(request.body().size(), 4096u);
}

TEST_F(RequestParserTest, RejectsSmugglingShapes) {
  const char* cases[] = {
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
      "GET / HTTP/1.1\nHost: h\n\n",
  };
  for (const char* wire : cases) {
    EXPECT_EQ(parse(wire), RequestParser::State::kError) << wire;
    EXPECT_EQ(parser.errorStatus(), 400) << wire;
  }
}

TEST_F(RequestParserTest, RejectsGarbageAndBadTargets) {
  const char* cases[] = {
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
      "GET\r\n\r\n",
      "GET relative HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
      "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n",
      "G@T / HTTP/1.1\r\nHost: h\r\n\r\n",
  };
  for (const char* wire : cases) {
    EXPECT_EQ(parse(wire), RequestParser::State::kError) << wire;
    EXPECT_EQ(parser.errorStatus(), 400) << wire;
  }
}

TEST_F(RequestParserTest, OtherHttpVersionsAre505) {
  EXPECT_EQ(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 505);
  EXPECT_EQ(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 505);
  EXPECT_EQ(parse("GET / HTTP/1.x\r\nHost: h\r\n\r\n"), RequestParser::State::kError);
  EXPECT_EQ(parser.errorStatus(), 400);
}

TEST_F(RequestParserTest, UnknownMethodParsesAsOther) {
  ASSERT_EQ(parse("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n"), RequestParser::State::kComplete);
  EXPECT_EQ(request.method(), Method::kOther);
  EXPECT_EQ(request.methodName(), "BREW");
}

TEST_F(RequestParserTest, ReportsExpectContinueUntilTheBodyArrives) {
  parser.reset(request);
  const std::string head = "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  EXPECT_EQ(parser.feed(head), head.size());
  EXPECT_EQ(parser.state(), RequestParser::State::kNeedMore);
  EXPECT_TRUE(parser.headerDone());
  EXPECT_TRUE(parser.expectsContinue());
  EXPECT_EQ(parser.feed("abc"), 3u);
  EXPECT_EQ(parser.state(), RequestParser::State::kComplete);
  EXPECT_FALSE(parser.expectsContinue());
  EXPECT_EQ(request.body(), "abc");
}

TEST_F(RequestParserTest, GetWithBodyIsFine) {
  ASSERT_EQ(parse("GET /q HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}"), RequestParser::State::kComplete);
  EXPECT_EQ(request.body(), "{}");
}

TEST_F(RequestParserTest, AbsoluteFormTarget) {
  ASSERT_EQ(parse("GET http://h:80/hls/a.ts?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"), RequestParser::State::kComplete);
  EXPECT_EQ(request.path(), "/hls/a.ts");
  EXPECT_EQ(request.rawQuery(), "x=1");
}

}  // namespace
}  // namespace ls::http
