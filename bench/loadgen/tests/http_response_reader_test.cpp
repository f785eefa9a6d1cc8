#include "loadgen/http_response_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ls::loadgen {
namespace {

// Feeds `bytes` in pieces of `step` and returns the total consumed.
std::size_t feedAll(HttpResponseReader& r, const std::string& bytes, std::size_t step) {
  std::size_t pos = 0;
  while (pos < bytes.size() && !r.done()) {
    const std::size_t n = std::min(step, bytes.size() - pos);
    auto used = r.feed(std::span<const char>(bytes.data() + pos, n));
    EXPECT_TRUE(used.ok()) << used.status().message();
    if (!used.ok()) return pos;
    pos += *used;
    if (*used < n) break;
  }
  return pos;
}

TEST(HttpResponseReader, ContentLengthKeepsBodyAndStopsAtItsEnd) {
  const std::string first = "HTTP/1.1 200 OK\r\nContent-Type: x\r\ncontent-length: 5\r\n\r\nhello";
  const std::string next = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  for (std::size_t step : {1u, 7u, 1000u}) {
    HttpResponseReader r;
    r.reset(true);
    EXPECT_EQ(feedAll(r, first + next, step), first.size());
    ASSERT_TRUE(r.done());
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.body(), "hello");
    EXPECT_TRUE(r.keepAlive());
    EXPECT_EQ(r.firstBodyByte(), 'h');
    r.reset(false);
    EXPECT_EQ(feedAll(r, next, step), next.size());
    EXPECT_EQ(r.status(), 404);
    EXPECT_EQ(r.bodyBytes(), 0u);
  }
}

TEST(HttpResponseReader, CountsWithoutKeepingWhenAsked) {
  HttpResponseReader r;
  r.reset(false);
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 376\r\n\r\n" + std::string(376, '\x47');
  feedAll(r, bytes, 100);
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.bodyBytes(), 376u);
  EXPECT_TRUE(r.body().empty());
  EXPECT_EQ(r.firstBodyByte(), 0x47);
}

TEST(HttpResponseReader, ChunkedBody) {
  HttpResponseReader r;
  r.reset(true);
  feedAll(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n", 3);
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.body(), "Wikipedia");
}

TEST(HttpResponseReader, CloseDelimitedAndConnectionClose) {
  HttpResponseReader r;
  r.reset(true);
  feedAll(r, "HTTP/1.0 200 OK\r\n\r\nabc", 100);
  EXPECT_FALSE(r.done());
  EXPECT_TRUE(r.onEof().isOk());
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.body(), "abc");
  EXPECT_FALSE(r.keepAlive());

  r.reset(true);
  feedAll(r, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", 100);
  EXPECT_TRUE(r.done());
  EXPECT_FALSE(r.keepAlive());
}

TEST(HttpResponseReader, RejectsGarbageAndTruncation) {
  HttpResponseReader r;
  r.reset(true);
  EXPECT_FALSE(r.feed(std::span<const char>("SSH-2.0-x\r\n\r\n", 13)).ok());
  r.reset(true);
  feedAll(r, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 100);
  EXPECT_FALSE(r.onEof().isOk());
  r.reset(true);
  const std::string huge = "HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a');
  auto used = r.feed(std::span<const char>(huge.data(), huge.size()));
  if (used.ok()) used = r.feed(std::span<const char>(huge.data(), huge.size()));
  EXPECT_FALSE(used.ok());
}

}  // namespace
}  // namespace ls::loadgen
