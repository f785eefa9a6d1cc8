#include "media/hls/ll_store.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "media/hls/segment_store.hpp"

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;

std::vector<std::uint8_t> bytesOf(std::size_t size, std::uint8_t fill) { return std::vector<std::uint8_t>(size, fill); }

std::vector<std::uint8_t> copyOf(const std::shared_ptr<const LlMedia>& m) {
  auto b = m->bytes();
  return {b.begin(), b.end()};
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class LlStoreTest : public ::testing::Test {
 protected:
  LlStoreTest() : stream(std::make_shared<StreamHls>("key", RenditionOptions{})) {}

  // Publishes `parts` parts of 200 ms (the first independent), the last closing the segment.
  std::uint64_t segment(const LlStream::Attachment& a, int parts = 10, std::size_t partSize = 1000,
                        bool discontinuity = false) {
    std::uint64_t msn = 0;
    for (int i = 0; i < parts; ++i) {
      const auto bytes = bytesOf(partSize, static_cast<std::uint8_t>(i));
      LlPartDraft d;
      d.bytes = bytes;
      d.durationMs = 200;
      d.independent = i == 0;
      if (i == 0) {
        d.programDateTime = kT0;
        d.discontinuity = discontinuity;
      }
      if (i == parts - 1) d.closesSegmentMs = 200 * parts;
      msn = *a.rendition->publishPart(a.lease, d);
    }
    return msn;
  }

  std::shared_ptr<StreamHls> stream;
};

TEST(LlUri, ParsesTheThreeKindsInOneSpelling) {
  auto init = parseLlUri("init.mp4");
  ASSERT_TRUE(init);
  EXPECT_EQ(init->kind, LlUri::Kind::kInit);
  EXPECT_FALSE(init->numbered);
  auto init7 = parseLlUri("init7.mp4");
  ASSERT_TRUE(init7);
  EXPECT_TRUE(init7->numbered);
  EXPECT_EQ(init7->msn, 7u);
  auto seg = parseLlUri("seg42.m4s");
  ASSERT_TRUE(seg);
  EXPECT_EQ(seg->kind, LlUri::Kind::kSegment);
  EXPECT_EQ(seg->msn, 42u);
  auto part = parseLlUri("seg42.3.m4s");
  ASSERT_TRUE(part);
  EXPECT_EQ(part->kind, LlUri::Kind::kPart);
  EXPECT_EQ(part->msn, 42u);
  EXPECT_EQ(part->part, 3u);
  for (const char* bad : {"seg042.m4s", "seg42.03.m4s", "seg.m4s", "seg42..m4s", "seg42.1.2.m4s", "seg-1.m4s",
                          "seg42.ts", "init01.mp4", "seg42.m4s.m4s", "seg99999999999999999999999.m4s",
                          "seg1.70000.m4s", "index.m3u8"}) {
    EXPECT_FALSE(parseLlUri(bad)) << bad;
  }
  EXPECT_EQ(llPartUri(42, 3), "seg42.3.m4s");
  EXPECT_EQ(llSegmentUri(42), "seg42.m4s");
}

TEST_F(LlStoreTest, NothingToShowBeforeTheFirstPart) {
  auto a = stream->ll().attach("original", 100, 200, 2);
  EXPECT_EQ(a.rendition->view(), nullptr);
  EXPECT_EQ(a.rendition->media({LlUri::Kind::kPart, 100, 0, false}), nullptr);
  EXPECT_EQ(stream->ll().master(), nullptr);
}

TEST_F(LlStoreTest, PartsAreListedAndServedAsTheyArePublished) {
  auto a = stream->ll().attach("original", 100, 200, 2);
  const auto init = bytesOf(50, 0xee);
  ASSERT_TRUE(a.rendition->setInit(a.lease, init));
  const auto p0 = bytesOf(300, 1);
  LlPartDraft d;
  d.bytes = p0;
  d.durationMs = 200;
  d.independent = true;
  d.programDateTime = kT0;
  ASSERT_EQ(a.rendition->publishPart(a.lease, d), 100u);

  auto view = a.rendition->view();
  ASSERT_TRUE(view);
  EXPECT_EQ(view->position.lastMsn, 100u);
  EXPECT_EQ(view->position.lastPart, 0u);
  EXPECT_FALSE(view->position.lastMsnComplete);
  const std::string& text = *view->full;
  EXPECT_NE(text.find("#EXT-X-MAP:URI=\"init.mp4\""), std::string::npos) << text;
  EXPECT_NE(text.find("seg100.0.m4s"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg100.1.m4s\""), std::string::npos) << text;
  EXPECT_EQ(copyOf(a.rendition->media({LlUri::Kind::kPart, 100, 0, false})), p0);
  EXPECT_EQ(copyOf(a.rendition->media(*parseLlUri("init.mp4"))), init);
  EXPECT_EQ(a.rendition->media({LlUri::Kind::kSegment, 100, 0, false}), nullptr) << "open segment";
  EXPECT_EQ(a.rendition->media({LlUri::Kind::kPart, 100, 1, false}), nullptr);

  const auto p1 = bytesOf(400, 2);
  LlPartDraft last;
  last.bytes = p1;
  last.durationMs = 200;
  last.closesSegmentMs = 400;
  ASSERT_EQ(a.rendition->publishPart(a.lease, last), 100u);
  view = a.rendition->view();
  EXPECT_TRUE(view->position.lastMsnComplete);
  EXPECT_EQ(view->position.lastPart, 1u);
  EXPECT_NE(view->full->find("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg101.0.m4s\""), std::string::npos);
  EXPECT_NE(view->full->find("seg100.m4s"), std::string::npos);
  // The segment is its parts, back to back, in one buffer with them.
  std::vector<std::uint8_t> both = p0;
  both.insert(both.end(), p1.begin(), p1.end());
  auto full = a.rendition->media({LlUri::Kind::kSegment, 100, 0, false});
  EXPECT_EQ(copyOf(full), both);
  EXPECT_EQ(full->buffer, a.rendition->media({LlUri::Kind::kPart, 100, 1, false})->buffer);
}

TEST_F(LlStoreTest, APartLargerThanTheBufferMovesTheSegmentAndKeepsEarlierParts) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  const auto small = bytesOf(1000, 7);
  const auto huge = bytesOf(std::size_t{600} << 10, 9);
  LlPartDraft d;
  d.bytes = small;
  d.durationMs = 200;
  a.rendition->publishPart(a.lease, d);
  d.bytes = huge;
  d.closesSegmentMs = 400;
  a.rendition->publishPart(a.lease, d);
  EXPECT_EQ(copyOf(a.rendition->media({LlUri::Kind::kPart, 1, 0, false})), small);
  EXPECT_EQ(copyOf(a.rendition->media({LlUri::Kind::kPart, 1, 1, false})), huge);
  auto full = copyOf(a.rendition->media({LlUri::Kind::kSegment, 1, 0, false}));
  ASSERT_EQ(full.size(), small.size() + huge.size());
  EXPECT_TRUE(std::equal(small.begin(), small.end(), full.begin()));
  EXPECT_TRUE(std::equal(huge.begin(), huge.end(), full.begin() + static_cast<std::ptrdiff_t>(small.size())));
}

TEST_F(LlStoreTest, TheWindowKeepsTenSegmentsAndThreeMoreForLateFetches) {
  auto a = stream->ll().attach("original", 1000, 200, 2);
  for (int i = 0; i < 15; ++i) segment(a);
  auto view = a.rendition->view();
  EXPECT_NE(view->full->find("#EXT-X-MEDIA-SEQUENCE:1005"), std::string::npos) << *view->full;
  EXPECT_EQ(count(*view->full, "#EXTINF:"), 10u);
  EXPECT_EQ(view->position.lastMsn, 1014u);
  EXPECT_TRUE(view->position.lastMsnComplete);
  for (std::uint64_t msn = 1002; msn <= 1014; ++msn) {
    EXPECT_NE(a.rendition->media({LlUri::Kind::kSegment, msn, 0, false}), nullptr) << msn;
    EXPECT_NE(a.rendition->media({LlUri::Kind::kPart, msn, 9, false}), nullptr) << msn;
  }
  EXPECT_EQ(a.rendition->media({LlUri::Kind::kSegment, 1001, 0, false}), nullptr);
  // One buffer per segment: parts cost no memory of their own.
  EXPECT_LE(a.rendition->heldBytes(), 13 * (std::size_t{256} << 10) + 4096);
}

TEST_F(LlStoreTest, DeltaUpdatesSkipTheOldSegments) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  for (int i = 0; i < 10; ++i) segment(a);
  auto view = a.rendition->view();
  const std::string& skip = *view->skip;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(skip, m, std::regex("#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)"))) << skip;
  const std::size_t skipped = std::stoul(m[1]);
  // 10 segments of 2 s; CAN-SKIP-UNTIL is 12 s: the oldest ones go.
  EXPECT_GT(skipped, 0u);
  EXPECT_EQ(count(*view->full, "#EXTINF:") - count(skip, "#EXTINF:"), skipped);
  EXPECT_NE(view->full->find("CAN-SKIP-UNTIL="), std::string::npos);
  EXPECT_EQ(view->full->find("#EXT-X-SKIP"), std::string::npos);
  EXPECT_NE(view->skipV2->find("#EXT-X-SKIP"), std::string::npos);
}

TEST_F(LlStoreTest, ReportsListTheOtherLiveRenditions) {
  auto a = stream->ll().attach("original", 50, 200, 2);
  auto b = stream->ll().attach("720p", 50, 200, 2);
  segment(b, 3);
  LlPartDraft d;
  const auto bytes = bytesOf(10, 1);
  d.bytes = bytes;
  d.durationMs = 200;
  b.rendition->publishPart(b.lease, d);  // 720p: seg51.0
  segment(a, 3);
  const std::string text = *a.rendition->view()->full;
  EXPECT_NE(text.find("#EXT-X-RENDITION-REPORT:URI=\"../720p/ll.m3u8\",LAST-MSN=51,LAST-PART=0"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("../original/ll.m3u8"), std::string::npos);
  stream->ll().end(b, kT0);
  segment(a, 3);
  EXPECT_EQ(a.rendition->view()->full->find("RENDITION-REPORT"), std::string::npos) << "ended renditions leave";
}

TEST_F(LlStoreTest, EveryPublishWakesTheStreamsWaiters) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  int woken = 0;
  stream->waitForChange(stream->changeVersion(), {[&] { ++woken; }, nullptr});
  LlPartDraft d;
  const auto bytes = bytesOf(10, 1);
  d.bytes = bytes;
  d.durationMs = 200;
  a.rendition->publishPart(a.lease, d);
  EXPECT_EQ(woken, 1);
  stream->waitForChange(stream->changeVersion(), {[&] { ++woken; }, nullptr});
  a.rendition->publishPart(a.lease, d);
  EXPECT_EQ(woken, 2);
}

TEST_F(LlStoreTest, EndListsTheLastSegmentAndDropsTheHint) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  segment(a, 2);
  LlPartDraft d;
  const auto bytes = bytesOf(10, 1);
  d.bytes = bytes;
  d.durationMs = 150;
  a.rendition->publishPart(a.lease, d);
  stream->ll().end(a, kT0);
  auto view = a.rendition->view();
  EXPECT_TRUE(view->ended);
  EXPECT_TRUE(view->position.ended);
  EXPECT_NE(view->full->find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_EQ(view->full->find("PRELOAD-HINT"), std::string::npos);
  EXPECT_NE(a.rendition->media({LlUri::Kind::kSegment, 2, 0, false}), nullptr) << "the open segment was closed";
  EXPECT_FALSE(a.rendition->publishPart(a.lease, d)) << "nothing after the end";
}

TEST_F(LlStoreTest, AReconnectContinuesAfterADiscontinuityAndRetiresTheOldWriter) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  segment(a, 2);
  stream->ll().end(a, kT0);
  auto again = stream->ll().attach("original", 999, 200, 2);
  EXPECT_EQ(again.rendition, a.rendition);
  EXPECT_TRUE(again.lease.continuing);
  EXPECT_EQ(a.rendition->view()->full->find("#EXT-X-ENDLIST"), std::string::npos);
  EXPECT_EQ(segment(again, 2), 2u);
  const std::string text = *a.rendition->view()->full;
  EXPECT_EQ(count(text, "#EXT-X-DISCONTINUITY\n"), 1u) << text;
  LlPartDraft d;
  const auto bytes = bytesOf(10, 1);
  d.bytes = bytes;
  EXPECT_FALSE(a.rendition->publishPart(a.lease, d)) << "the previous publisher's lease is stale";
}

TEST_F(LlStoreTest, AChangedInitGetsItsOwnUri) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  const auto first = bytesOf(20, 1);
  const auto second = bytesOf(20, 2);
  a.rendition->setInit(a.lease, first);
  segment(a, 2);
  a.rendition->setInit(a.lease, first);  // unchanged: same URI
  EXPECT_NE(a.rendition->view()->full->find("URI=\"init.mp4\""), std::string::npos);
  a.rendition->setInit(a.lease, second);
  // Applies from the next segment: seg1 keeps init.mp4, which stays served.
  EXPECT_EQ(count(*a.rendition->view()->full, "#EXT-X-MAP:URI=\"init.mp4\""), 1u);
  EXPECT_EQ(count(*a.rendition->view()->full, "init2.mp4"), 0u);
  EXPECT_EQ(copyOf(a.rendition->media(*parseLlUri("init2.mp4"))), second);
  EXPECT_EQ(copyOf(a.rendition->media(*parseLlUri("init.mp4"))), first);
}

// Each listed segment names the init it was written for; an old init is
// served while a kept segment (listed or retired) uses it, then freed.
TEST_F(LlStoreTest, EachSegmentKeepsItsMapUntilItLeaves) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  const auto first = bytesOf(20, 1);
  const auto second = bytesOf(24, 2);
  a.rendition->setInit(a.lease, first);
  segment(a, 10);  // seg1
  a.rendition->setInit(a.lease, second);
  segment(a, 10, 1000, true);  // seg2, after a discontinuity
  std::string full = *a.rendition->view()->full;
  const auto map1 = full.find("#EXT-X-MAP:URI=\"init.mp4\"");
  const auto seg1 = full.find("seg1.m4s");
  const auto map2 = full.find("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init2.mp4\"");
  const auto seg2 = full.find("seg2.0.m4s");
  ASSERT_NE(map1, std::string::npos) << full;
  ASSERT_NE(map2, std::string::npos) << full;
  EXPECT_LT(map1, seg1);
  EXPECT_LT(seg1, map2);
  EXPECT_LT(map2, seg2);
  EXPECT_EQ(count(full, "#EXT-X-MAP:"), 2u) << full;
  // Ten more segments: seg1 leaves the playlist (window 10) but stays fetchable
  // (retired), and so does init.mp4; the playlist has one map again.
  for (int i = 0; i < 10; ++i) segment(a, 10);
  full = *a.rendition->view()->full;
  EXPECT_EQ(full.find("seg1.m4s"), std::string::npos);
  EXPECT_EQ(count(full, "#EXT-X-MAP:"), 1u) << full;
  EXPECT_NE(full.find("#EXT-X-MAP:URI=\"init2.mp4\""), std::string::npos);
  ASSERT_NE(a.rendition->media(*parseLlUri("seg1.m4s")), nullptr);
  EXPECT_EQ(copyOf(a.rendition->media(*parseLlUri("init.mp4"))), first);
  // Once seg1 is gone for good (3 retired), init.mp4 goes with it.
  for (int i = 0; i < 3; ++i) segment(a, 10);
  EXPECT_EQ(a.rendition->media(*parseLlUri("seg1.m4s")), nullptr);
  EXPECT_EQ(a.rendition->media(*parseLlUri("init.mp4")), nullptr);
  EXPECT_EQ(copyOf(a.rendition->media(*parseLlUri("init2.mp4"))), second);
}

// PART-TARGET is set before the first part and never changes after it.
TEST_F(LlStoreTest, PartTargetHoldsFromTheFirstPart) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  EXPECT_EQ(stream->ll().settlePartTarget(201), 201);
  EXPECT_EQ(stream->ll().settlePartTarget(209), 201);  // the stream's first value holds
  ASSERT_TRUE(a.rendition->setPartTarget(a.lease, 201));
  EXPECT_EQ(a.rendition->position().partTargetMs, 201);
  a.rendition->setInit(a.lease, bytesOf(20, 1));
  segment(a, 2);
  ASSERT_TRUE(a.rendition->setPartTarget(a.lease, 209));  // too late: ignored
  EXPECT_EQ(a.rendition->position().partTargetMs, 201);
  const std::string full = *a.rendition->view()->full;
  EXPECT_NE(full.find("PART-HOLD-BACK=0.603\n#EXT-X-PART-INF:PART-TARGET=0.201\n"), std::string::npos) << full;
}

TEST_F(LlStoreTest, TheMasterListsLlPlaylists) {
  auto a = stream->ll().attach("original", 1, 200, 2);
  auto b = stream->ll().attach("360p", 1, 200, 2);
  Variant v;
  v.bandwidth = 800'000;
  v.width = 640;
  v.height = 360;
  stream->ll().setVariant("360p", v);
  v.bandwidth = 3'000'000;
  v.width = 1280;
  v.height = 720;
  stream->ll().setVariant("original", v);
  const std::string master = *stream->ll().master();
  EXPECT_LT(master.find("original/ll.m3u8"), master.find("360p/ll.m3u8")) << master;
  stream->ll().end(b, kT0);
  EXPECT_EQ(stream->ll().master()->find("360p"), std::string::npos);
  (void)a;
}

}  // namespace
}  // namespace ls::hls
