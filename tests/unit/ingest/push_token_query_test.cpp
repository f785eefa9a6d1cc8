#include <gtest/gtest.h>

#include "ingest/ingest_service.hpp"

namespace ls::ingest {
namespace {

TEST(ExtractPushToken, StreamNameQueryWinsOverTcUrl) {
  EXPECT_EQ(extractPushToken("pushToken=a.b.c", "pushToken=x.y.z"), "a.b.c");
  EXPECT_EQ(extractPushToken("", "app=1&pushToken=x.y.z"), "x.y.z");
  EXPECT_EQ(extractPushToken("other=1", ""), "");
  EXPECT_EQ(extractPushToken("pushToken=a%2Eb"), "a.b") << "percent-decoded";
}

}  // namespace
}  // namespace ls::ingest
