#include "http_client/url_text.hpp"

#include <gtest/gtest.h>

namespace ls::http_client {
namespace {

TEST(RedactedUrl, DropsTheQueryThatCarriesTheApiSecret) {
  EXPECT_EQ(redactedUrl("http://10.0.0.5:8080/index/api/getMediaList?secret=035c73f7-bb6b"),
            "http://10.0.0.5:8080/index/api/getMediaList");
  EXPECT_EQ(redactedUrl("http://node/index/api/close_streams?app=live&stream=k&secret=s&force=1"),
            "http://node/index/api/close_streams");
}

TEST(RedactedUrl, DropsUserinfo) {
  EXPECT_EQ(redactedUrl("http://lunarstream:hunter2@10.0.0.6:9997/v3/paths/list"),
            "http://10.0.0.6:9997/v3/paths/list");
  EXPECT_EQ(redactedUrl("https://user@node.example"), "https://node.example");
  // A password with an unencoded '@': everything up to the last '@' goes.
  EXPECT_EQ(redactedUrl("http://u:p@ss@host:1/x"), "http://host:1/x");
}

TEST(RedactedUrl, DropsTheFragment) {
  EXPECT_EQ(redactedUrl("http://host/a#frag?secret=x"), "http://host/a");
}

TEST(RedactedUrl, KeepsAnAtSignInThePath) {
  EXPECT_EQ(redactedUrl("http://host/v3/paths/get/live/a@b"), "http://host/v3/paths/get/live/a@b");
}

TEST(RedactedUrl, LeavesPlainUrlsAndNonUrlsReadable) {
  EXPECT_EQ(redactedUrl("http://10.0.0.5:8080"), "http://10.0.0.5:8080");
  EXPECT_EQ(redactedUrl(""), "");
  EXPECT_EQ(redactedUrl("not a url?token=x"), "not a url");
  EXPECT_EQ(redactedUrl("user:pass@host/p"), "host/p");
}

TEST(PercentEncoded, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(percentEncoded("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percentEncoded("a b&c=d/e?f#g%"), "a%20b%26c%3Dd%2Fe%3Ff%23g%25");
  EXPECT_EQ(percentEncoded("\xc3\xa9\x01"), "%C3%A9%01");
  EXPECT_EQ(percentEncoded(""), "");
}

TEST(PercentEncoded, KeepsSlashesOfAMultiSegmentPathWhenAsked) {
  EXPECT_EQ(percentEncoded("live/my key", true), "live/my%20key");
  EXPECT_EQ(percentEncoded("live/my key", false), "live%2Fmy%20key");
}

}  // namespace
}  // namespace ls::http_client
