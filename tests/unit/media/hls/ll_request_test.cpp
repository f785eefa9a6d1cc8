#include "media/hls/ll_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ls::hls {
namespace {

BlockingRequest parsed(std::string_view query) {
  auto r = parseBlockingRequest(query);
  EXPECT_TRUE(r.ok()) << query << ": " << r.status().message();
  return r.ok() ? *r : BlockingRequest{};
}

std::string error(std::string_view query) {
  auto r = parseBlockingRequest(query);
  EXPECT_FALSE(r.ok()) << query;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status().message();
}

TEST(BlockingRequestParse, Directives) {
  BlockingRequest r = parsed("");
  EXPECT_FALSE(r.msn);
  EXPECT_FALSE(r.part);
  EXPECT_EQ(r.skip, SkipRequest::kNone);

  r = parsed("_HLS_msn=273&_HLS_part=2");
  EXPECT_EQ(r.msn, 273u);
  EXPECT_EQ(r.part, 2u);

  r = parsed("_HLS_msn=0");
  EXPECT_EQ(r.msn, 0u);
  EXPECT_FALSE(r.part);

  EXPECT_EQ(parsed("_HLS_skip=YES").skip, SkipRequest::kYes);
  EXPECT_EQ(parsed("_HLS_msn=5&_HLS_skip=v2").skip, SkipRequest::kV2);
  // Order does not matter; other parameters (cache busters) are ignored;
  // empty pieces are skipped.
  r = parsed("t=123&&_HLS_part=0&x&_HLS_msn=18446744073709551615&");
  EXPECT_EQ(r.msn, 18446744073709551615u);
  EXPECT_EQ(r.part, 0u);
  // Percent-encoding, in names and values, as a proxy may rewrite them.
  r = parsed("%5FHLS%5Fmsn=%31%32&_HLS_skip=%76%32");
  EXPECT_EQ(r.msn, 12u);
  EXPECT_EQ(r.skip, SkipRequest::kV2);
  // Leading zeros are still a decimal-integer.
  EXPECT_EQ(parsed("_HLS_msn=007").msn, 7u);
}

TEST(BlockingRequestParse, ClearErrors) {
  EXPECT_EQ(error("_HLS_part=3"), "_HLS_part requires _HLS_msn");
  EXPECT_EQ(error("_HLS_part=3&_HLS_skip=YES"), "_HLS_part requires _HLS_msn");
  EXPECT_EQ(error("_HLS_msn="), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=-1"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=+1"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=1.5"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=0x10"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=%zz"), "_HLS_msn must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=5&_HLS_part=a"), "_HLS_part must be a decimal integer");
  EXPECT_EQ(error("_HLS_msn=18446744073709551616"), "_HLS_msn is out of range (0 to 18446744073709551615)");
  EXPECT_EQ(error("_HLS_msn=1&_HLS_part=99999999999999999999999"),
            "_HLS_part is out of range (0 to 18446744073709551615)");
  EXPECT_EQ(error("_HLS_skip=yes"), "_HLS_skip must be YES or v2");
  EXPECT_EQ(error("_HLS_skip="), "_HLS_skip must be YES or v2");
  EXPECT_EQ(error("_HLS_skip=V2"), "_HLS_skip must be YES or v2");
  EXPECT_EQ(error("_HLS_msn=1&_HLS_msn=2"), "_HLS_msn is given more than once");
  EXPECT_EQ(error("_HLS_msn=1&_HLS_part=1&_HLS_part=1"), "_HLS_part is given more than once");
  EXPECT_EQ(error("_HLS_skip=YES&_HLS_skip=YES"), "_HLS_skip is given more than once");
}

TEST(AdvancePartLimit, ThreeSecondsOfPartsOrThreeParts) {
  EXPECT_EQ(advancePartLimit(200), 15u);
  EXPECT_EQ(advancePartLimit(300), 10u);
  EXPECT_EQ(advancePartLimit(333), 10u);  // 3 / 0.333 = 9.009: the 10th part ahead is past it
  EXPECT_EQ(advancePartLimit(500), 6u);
  EXPECT_EQ(advancePartLimit(999), 4u);
  EXPECT_EQ(advancePartLimit(1000), 3u);
  EXPECT_EQ(advancePartLimit(2000), 3u);
  EXPECT_EQ(advancePartLimit(0), 3000u);
}

constexpr auto kReady = BlockingVerdict::kReady;
constexpr auto kWait = BlockingVerdict::kWait;
constexpr auto kTooFar = BlockingVerdict::kTooFarAhead;

BlockingVerdict judge(std::optional<std::uint64_t> msn, std::optional<std::uint64_t> part, const LivePosition& pos) {
  return judgeBlockingRequest({msn, part, SkipRequest::kNone}, pos);
}

// The open segment 100 has parts 0..3; part target 200 ms (limit 15 parts).
TEST(BlockingVerdicts, OpenSegmentWithParts) {
  const LivePosition pos{100, 3, false, false, 200};
  EXPECT_EQ(judge(std::nullopt, std::nullopt, pos), kReady);  // not a blocking request
  // Older segments, whatever the part.
  EXPECT_EQ(judge(0, std::nullopt, pos), kReady);
  EXPECT_EQ(judge(99, std::nullopt, pos), kReady);
  EXPECT_EQ(judge(99, 0, pos), kReady);
  EXPECT_EQ(judge(99, 40, pos), kReady);  // past 99's last part: part 0 of 100, which exists
  // The open segment: its parts so far are ready, the next ones wait.
  EXPECT_EQ(judge(100, 0, pos), kReady);
  EXPECT_EQ(judge(100, 3, pos), kReady);
  EXPECT_EQ(judge(100, 4, pos), kWait);
  EXPECT_EQ(judge(100, std::nullopt, pos), kWait);  // the whole segment is not there yet
  // Advance Part Limit: 15 parts past part 3.
  EXPECT_EQ(judge(100, 17, pos), kWait);
  EXPECT_EQ(judge(100, 18, pos), kTooFar);
  EXPECT_EQ(judge(100, UINT64_MAX, pos), kTooFar);
  // The next segments: msn up to last + 2.
  EXPECT_EQ(judge(101, std::nullopt, pos), kWait);
  EXPECT_EQ(judge(102, std::nullopt, pos), kWait);
  EXPECT_EQ(judge(103, std::nullopt, pos), kTooFar);
  EXPECT_EQ(judge(UINT64_MAX, std::nullopt, pos), kTooFar);
  EXPECT_EQ(judge(101, 0, pos), kWait);  // what a preload hint for the next segment asks
  EXPECT_EQ(judge(101, 13, pos), kWait);
  EXPECT_EQ(judge(101, 14, pos), kTooFar);  // at least 15 parts ahead
  EXPECT_EQ(judge(102, 12, pos), kWait);
  EXPECT_EQ(judge(102, 13, pos), kTooFar);
  EXPECT_EQ(judge(102, UINT64_MAX, pos), kTooFar);
}

// Segment 100 just finished with parts 0..9; nothing of 101 yet.
TEST(BlockingVerdicts, RightAfterASegmentCut) {
  const LivePosition pos{100, 9, true, false, 200};
  EXPECT_EQ(judge(100, std::nullopt, pos), kReady);
  EXPECT_EQ(judge(100, 9, pos), kReady);
  // §6.2.5.2: a part index past the last part of the segment is part 0 of the next one.
  EXPECT_EQ(judge(100, 10, pos), kWait);
  EXPECT_EQ(judge(100, 1000, pos), kWait);
  EXPECT_EQ(judge(101, 0, pos), kWait);
  EXPECT_EQ(judge(101, std::nullopt, pos), kWait);
  EXPECT_EQ(judge(102, std::nullopt, pos), kWait);
  EXPECT_EQ(judge(103, std::nullopt, pos), kTooFar);
}

// The open segment has no part yet and the position names it (first segment of a stream).
TEST(BlockingVerdicts, NothingYetInTheOpenSegment) {
  const LivePosition pos{7, std::nullopt, false, false, 500};  // limit 6 parts
  EXPECT_EQ(judge(6, std::nullopt, pos), kReady);
  EXPECT_EQ(judge(7, std::nullopt, pos), kWait);
  EXPECT_EQ(judge(7, 0, pos), kWait);
  EXPECT_EQ(judge(7, 4, pos), kWait);
  EXPECT_EQ(judge(7, 5, pos), kTooFar);  // 6 parts past "none"
  EXPECT_EQ(judge(8, 3, pos), kWait);
  EXPECT_EQ(judge(8, 4, pos), kWait);
  EXPECT_EQ(judge(8, 5, pos), kTooFar);
}

TEST(BlockingVerdicts, EndedStreamsAnswerEverything) {
  const LivePosition pos{100, 2, false, true, 200};
  EXPECT_EQ(judge(100, 3, pos), kReady);
  EXPECT_EQ(judge(105, std::nullopt, pos), kReady);
  EXPECT_EQ(judge(UINT64_MAX, UINT64_MAX, pos), kReady);
}

TEST(BlockingVerdicts, LongPartsHaveALimitOfThree) {
  const LivePosition pos{10, 0, false, false, 1000};
  EXPECT_EQ(judge(10, 2, pos), kWait);
  EXPECT_EQ(judge(10, 3, pos), kTooFar);
  EXPECT_EQ(judge(11, 1, pos), kWait);
  EXPECT_EQ(judge(11, 2, pos), kTooFar);
}

}  // namespace
}  // namespace ls::hls
