#include "media/hls/segment_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;  // 2026-01-12T18:12:38.918Z

SegmentDraft draft(std::int64_t ms, std::uint8_t fill = 0x47, bool discontinuity = false) {
  SegmentDraft d;
  d.bytes.assign(188, fill);
  d.durationMs = ms;
  d.discontinuity = discontinuity;
  return d;
}

std::string header(std::int64_t target, std::uint64_t mediaSeq, std::uint64_t discSeq) {
  return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
         "\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(mediaSeq) +
         "\n#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(discSeq) + "\n";
}

std::string entry(std::uint64_t n, const char* seconds) {
  return std::string("#EXTINF:") + seconds + ",\nseg" + std::to_string(n) + ".ts\n";
}

TEST(SegmentUri, ParsesOnlyCanonicalNames) {
  EXPECT_EQ(Rendition::segmentUri(42), "seg42.ts");
  EXPECT_EQ(Rendition::parseSegmentUri("seg42.ts"), std::optional<std::uint64_t>{42});
  EXPECT_EQ(Rendition::parseSegmentUri("seg0.ts"), std::optional<std::uint64_t>{0});
  EXPECT_EQ(Rendition::parseSegmentUri("seg18446744073709551615.ts"),
            std::optional<std::uint64_t>{18446744073709551615ull});
  for (const char* bad : {"", "seg.ts", "seg042.ts", "seg-1.ts", "seg+1.ts", "seg1.ts.ts", "seg1.m4s", "xseg1.ts",
                          "seg1a.ts", "seg18446744073709551616.ts", "../seg1.ts", "seg 1.ts"}) {
    EXPECT_EQ(Rendition::parseSegmentUri(bad), std::nullopt) << bad;
  }
}

// `listed` segments in the playlist, `retired` more kept after they slide out.
RenditionOptions window(std::size_t listed, std::size_t retired) {
  RenditionOptions o;
  o.windowSize = listed;
  o.retiredSegments = retired;
  return o;
}

TEST(Rendition, NoPlaylistBeforeTheFirstSegment) {
  Rendition r("original", {}, 0);
  r.attachWriter();
  EXPECT_EQ(r.playlist(), nullptr);
  EXPECT_EQ(r.segment("seg0.ts"), nullptr);
}

TEST(Rendition, WindowSlidesAndKeepsRecentlyRemovedSegments) {
  Rendition r("original", window(3, 2), 0);
  const auto lease = r.attachWriter();
  EXPECT_FALSE(lease.continuing);
  for (std::uint8_t i = 0; i < 7; ++i) {
    EXPECT_EQ(r.publish(lease, draft(2000, i)), std::optional<std::uint64_t>{i});
    ASSERT_NE(r.playlist(), nullptr);  // a player polls
  }

  EXPECT_EQ(*r.playlist(), header(2, 4, 0) + entry(4, "2.000") + entry(5, "2.000") + entry(6, "2.000"));
  // seg2 and seg3 slid out but are still served; seg0 and seg1 are freed.
  for (std::uint64_t n : {2u, 3u, 4u, 5u, 6u}) {
    auto s = r.segmentBySequence(n);
    ASSERT_NE(s, nullptr) << n;
    EXPECT_EQ(s->sequence, n);
    EXPECT_EQ(s->bytes, ts::TsBytes(188, static_cast<std::uint8_t>(n)));
  }
  EXPECT_EQ(r.segment("seg1.ts"), nullptr);
  EXPECT_EQ(r.segment("seg0.ts"), nullptr);
  EXPECT_EQ(r.segment("seg7.ts"), nullptr);
}

TEST(Rendition, SegmentsNoPlaylistShowedAreFreedWhenTheySlideOut) {
  Rendition r("original", window(3, 2), 0);
  const auto lease = r.attachWriter();
  for (std::uint8_t i = 0; i < 4; ++i) r.publish(lease, draft(2000, i));
  // Nobody read a playlist: seg0 left the window unseen and is gone at once.
  EXPECT_EQ(r.segmentBySequence(0), nullptr);
  ASSERT_NE(r.playlist(), nullptr);  // shows seg1..seg3
  r.publish(lease, draft(2000, 4));
  r.publish(lease, draft(2000, 5));
  // seg1 and seg2 slid out after a player saw them: kept for its late fetches.
  EXPECT_NE(r.segmentBySequence(1), nullptr);
  EXPECT_NE(r.segmentBySequence(2), nullptr);
  r.publish(lease, draft(2000, 6));
  // seg3 was listed by the playlist read too; seg4 and seg5 were never shown.
  EXPECT_NE(r.segmentBySequence(3), nullptr);
  r.publish(lease, draft(2000, 7));
  r.publish(lease, draft(2000, 8));
  EXPECT_EQ(r.segmentBySequence(4), nullptr);
  EXPECT_EQ(r.segmentBySequence(5), nullptr);
}

TEST(Rendition, SnapshotsStayValidAfterTheWriterMovesOn) {
  Rendition r("original", window(1, 0), 0);
  const auto lease = r.attachWriter();
  r.publish(lease, draft(2000, 0xAA));
  auto playlist = r.playlist();
  auto segment = r.segment("seg0.ts");
  ASSERT_NE(segment, nullptr);
  for (int i = 0; i < 5; ++i) r.publish(lease, draft(2000));
  EXPECT_EQ(r.segment("seg0.ts"), nullptr);
  // What the reader holds is untouched.
  EXPECT_EQ(*playlist, header(2, 0, 0) + entry(0, "2.000"));
  EXPECT_EQ(segment->bytes, ts::TsBytes(188, 0xAA));
}

TEST(Rendition, TargetDurationRisesButNeverFalls) {
  RenditionOptions o;
  o.windowSize = 2;
  Rendition r("original", o, 0);
  const auto lease = r.attachWriter();
  r.publish(lease, draft(2000));
  EXPECT_EQ(*r.playlist(), header(2, 0, 0) + entry(0, "2.000"));
  r.publish(lease, draft(4300));
  r.publish(lease, draft(2000));
  r.publish(lease, draft(2000));
  r.publish(lease, draft(2000));
  r.publish(lease, draft(2000));
  r.publish(lease, draft(2000));
  // The 4.3 s segment is long gone; the target stays at 4 (4.3 rounded).
  // Three target durations (12 s) must stay listed, so the window holds 4
  // segments (the limit is twice the window size).
  EXPECT_EQ(*r.playlist(),
            header(4, 3, 0) + entry(3, "2.000") + entry(4, "2.000") + entry(5, "2.000") + entry(6, "2.000"));
}

TEST(Rendition, TimestampDiscontinuityAndItsSequenceNumber) {
  RenditionOptions o;
  o.windowSize = 3;
  Rendition r("original", o, 0);
  const auto lease = r.attachWriter();
  r.publish(lease, draft(2000));
  r.publish(lease, draft(700, 0, true));
  EXPECT_EQ(*r.playlist(), header(2, 0, 0) + entry(0, "2.000") + "#EXT-X-DISCONTINUITY\n" + entry(1, "0.700"));
  r.publish(lease, draft(2000));
  r.publish(lease, draft(2000));
  // Four segments: dropping seg0 would leave 4.7 s, under three target durations.
  EXPECT_EQ(*r.playlist(), header(2, 0, 0) + entry(0, "2.000") + "#EXT-X-DISCONTINUITY\n" + entry(1, "0.700") +
                               entry(2, "2.000") + entry(3, "2.000"));
  r.publish(lease, draft(2000));
  // seg1 (after the discontinuity) slid out: the discontinuity sequence counts it.
  EXPECT_EQ(*r.playlist(), header(2, 2, 1) + entry(2, "2.000") + entry(3, "2.000") + entry(4, "2.000"));
}

TEST(Rendition, ReconnectContinuesTheSequenceWithADiscontinuity) {
  Rendition r("original", {}, 100);
  auto first = r.attachWriter();
  r.publish(first, draft(2000));
  r.publish(first, draft(1500));
  EXPECT_TRUE(r.end(first, kT0));
  EXPECT_TRUE(r.ended());
  EXPECT_EQ(r.endedAt(), std::optional<UnixMillis>{kT0});
  EXPECT_EQ(*r.playlist(), header(2, 100, 0) + entry(100, "2.000") + entry(101, "1.500") + "#EXT-X-ENDLIST\n");

  auto second = r.attachWriter();
  EXPECT_TRUE(second.continuing);
  EXPECT_FALSE(r.ended());
  EXPECT_EQ(*r.playlist(), header(2, 100, 0) + entry(100, "2.000") + entry(101, "1.500"));
  EXPECT_EQ(r.publish(second, draft(2000)), std::optional<std::uint64_t>{102});
  r.publish(second, draft(2000));
  EXPECT_EQ(*r.playlist(), header(2, 100, 0) + entry(100, "2.000") + entry(101, "1.500") + "#EXT-X-DISCONTINUITY\n" +
                               entry(102, "2.000") + entry(103, "2.000"));
  EXPECT_TRUE(r.segmentBySequence(102)->discontinuityBefore);
  EXPECT_FALSE(r.segmentBySequence(103)->discontinuityBefore);

  // The first publisher's packager is late: it can neither append nor end.
  EXPECT_EQ(r.publish(first, draft(2000)), std::nullopt);
  EXPECT_FALSE(r.end(first, kT0 + 9000));
  EXPECT_FALSE(r.ended());
}

TEST(StreamHls, MasterListsVariantsOnceKnown) {
  StreamHls s("key", {});
  auto original = s.attach("original", 0);
  auto p720 = s.attach("720p", 0);
  EXPECT_EQ(s.master(), nullptr);
  s.setVariant("original", {"ignored", 3'000'000, 2'800'000, 1920, 1080, "avc1.64002a,mp4a.40.2", 30, ""});
  s.setVariant("720p", {"", 2'000'000, 1'900'000, 1280, 720, "avc1.64001f,mp4a.40.2", 30, ""});
  const std::string both =
      "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2800000,RESOLUTION=1920x1080,"
      "CODECS=\"avc1.64002a,mp4a.40.2\",FRAME-RATE=30.000\noriginal/index.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=2000000,AVERAGE-BANDWIDTH=1900000,RESOLUTION=1280x720,"
      "CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=30.000\n720p/index.m3u8\n";
  EXPECT_EQ(*s.master(), both);
  EXPECT_EQ(s.rendition("720p"), p720.rendition);
  EXPECT_EQ(s.rendition("1080p"), nullptr);

  // Same info again: the snapshot is not replaced.
  auto before = s.master();
  s.setVariant("720p", {"", 2'000'000, 1'900'000, 1280, 720, "avc1.64001f,mp4a.40.2", 30, ""});
  EXPECT_EQ(s.master(), before);

  // An ended rendition leaves the master while another is live...
  s.end(p720, kT0);
  EXPECT_FALSE(s.endedAt().has_value());
  EXPECT_EQ(s.master()->find("720p"), std::string::npos);
  // ...and comes back once every rendition has ended.
  s.end(original, kT0 + 10);
  EXPECT_EQ(s.endedAt(), std::optional<UnixMillis>{kT0 + 10});
  EXPECT_EQ(*s.master(), both);
}

TEST(StreamHls, MasterListsTheHighestVariantFirstWhateverTheAttachOrder) {
  StreamHls s("key", {});
  // As after a reconnect whose larger input brought a 720p rendition that the
  // first publish (480p, 360p) did not have.
  for (const char* name : {"original", "360p", "480p", "720p", "audio"}) s.attach(name, 0);
  s.setVariant("360p", {"", 900'000, 0, 640, 360, "avc1.64001e", 30, ""});
  s.setVariant("audio", {"", 130'000, 0, 0, 0, "mp4a.40.2", 0, ""});
  s.setVariant("480p", {"", 1'300'000, 0, 854, 480, "avc1.64001f", 30, ""});
  s.setVariant("original", {"", 2'000'000, 0, 1920, 1080, "avc1.64002a", 30, ""});
  s.setVariant("720p", {"", 3'200'000, 0, 1280, 720, "avc1.64001f", 30, ""});
  const std::string master = *s.master();
  std::vector<std::string> order;
  for (std::size_t at = master.find(".m3u8"); at != std::string::npos; at = master.find(".m3u8", at + 1)) {
    const std::size_t start = master.rfind('\n', at) + 1;
    order.push_back(master.substr(start, master.find('/', start) - start));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"original", "720p", "480p", "360p", "audio"})) << master;
}

TEST(HlsRegistry, OpenFindRemove) {
  HlsRegistry registry;
  EXPECT_EQ(registry.find("abc"), nullptr);
  auto stream = registry.open("abc");
  EXPECT_EQ(registry.open("abc"), stream);
  EXPECT_EQ(registry.find(std::string_view("abc")), stream);
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_TRUE(registry.remove("abc"));
  EXPECT_FALSE(registry.remove("abc"));
  EXPECT_EQ(registry.find("abc"), nullptr);
}

TEST(HlsRegistry, EndedStreamsLingerThenGo) {
  RegistryOptions o;
  o.lingerMs = 60'000;
  HlsRegistry registry(o);
  auto stream = registry.open("abc");
  auto a = stream->attach("original", 0);
  a.rendition->publish(a.lease, draft(2000));
  EXPECT_EQ(registry.sweep(kT0 + 1'000'000), 0u);  // live streams never go

  stream->end(a, kT0);
  EXPECT_EQ(registry.sweep(kT0 + 59'999), 0u);
  auto ended = registry.find("abc")->rendition("original")->playlist();
  ASSERT_NE(ended, nullptr);
  EXPECT_NE(ended->find("#EXT-X-ENDLIST"), std::string::npos);

  EXPECT_EQ(registry.sweep(kT0 + 60'000), 1u);
  EXPECT_EQ(registry.find("abc"), nullptr);
  EXPECT_EQ(registry.size(), 0u);
  // A reader that still holds the snapshot keeps it.
  EXPECT_NE(ended->find("seg0.ts"), std::string::npos);
}

TEST(HlsRegistry, ReconnectWithinTheLingerKeepsTheStream) {
  HlsRegistry registry;
  auto stream = registry.open("abc");
  auto a = stream->attach("original", 0);
  a.rendition->publish(a.lease, draft(2000));
  stream->end(a, kT0);

  auto again = registry.open("abc");  // the publisher is back
  EXPECT_EQ(again, stream);
  EXPECT_EQ(registry.sweep(kT0 + 120'000), 0u);
  auto b = again->attach("original", 0);
  EXPECT_TRUE(b.lease.continuing);
  EXPECT_EQ(b.rendition, a.rendition);
  EXPECT_EQ(b.rendition->publish(b.lease, draft(2000)), std::optional<std::uint64_t>{1});
}

TEST(HlsRegistry, RenditionsDroppedFromTheLadderAreFreedWhileTheStreamLives) {
  HlsRegistry registry;
  auto stream = registry.open("abc");
  auto original = stream->attach("original", 0);
  auto p1080 = stream->attach("1080p", 0);
  stream->setVariant("original", {"", 1000, 0, 0, 0, "mp4a.40.2", 0, ""});
  stream->setVariant("1080p", {"", 2000, 0, 0, 0, "mp4a.40.2", 0, ""});
  stream->end(p1080, kT0);
  EXPECT_EQ(registry.sweep(kT0 + 60'000), 0u);
  EXPECT_EQ(stream->rendition("1080p"), nullptr);
  EXPECT_NE(stream->rendition("original"), nullptr);
  EXPECT_EQ(*stream->master(),
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"mp4a.40.2\"\n"
            "original/index.m3u8\n");
}

TEST(HlsRegistry, ConcurrentReadersSeeCompleteSnapshots) {
  HlsRegistry registry;
  auto stream = registry.open("abc");
  auto a = stream->attach("original", 0);
  a.rendition->publish(a.lease, draft(2000));

  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto s = registry.find("abc");
        if (!s) continue;
        auto r = s->rendition("original");
        auto text = r->playlist();
        // Every listed segment's header line is complete and the text ends in a newline.
        if (text->empty() || text->back() != '\n' || text->rfind("#EXTM3U\n", 0) != 0) std::abort();
        const auto pos = text->rfind("seg");
        const auto end = text->find(".ts", pos);
        auto seg = r->segment(std::string_view(*text).substr(pos, end + 3 - pos));
        if (seg && seg->bytes.size() != 188) std::abort();
        if (auto master = s->master(); master && master->rfind("#EXTM3U\n", 0) != 0) std::abort();
        ++reads;
      }
    });
  }
  // Start writing only once every reader is reading (a loaded machine may
  // not schedule them before 2000 publishes are done).
  while (reads.load() < 3) std::this_thread::yield();
  for (int i = 0; i < 2000; ++i) {
    a.rendition->publish(a.lease, draft(2000, static_cast<std::uint8_t>(i)));
    if (i % 10 == 0) stream->setVariant("original", {"", 1000u + static_cast<std::uint64_t>(i), 0, 0, 0, "", 0, ""});
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GE(reads.load(), 3);
  EXPECT_NE(a.rendition->playlist()->find("seg2000.ts"), std::string::npos);
}

TEST(SegmentBufferPool, HandsBackRecycledMemory) {
  SegmentBufferPool pool(2);
  ts::TsBytes a(1000, 1);
  const std::uint8_t* memory = a.data();
  pool.give(std::move(a));
  pool.give({});  // nothing to keep
  EXPECT_EQ(pool.size(), 1u);
  ts::TsBytes again = pool.take(500);
  EXPECT_EQ(again.data(), memory) << "the same allocation comes back";
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 1000u);
  EXPECT_GE(pool.take(4096).capacity(), 4096u) << "an empty pool makes a new buffer";
  for (int i = 0; i < 5; ++i) pool.give(ts::TsBytes(10));
  EXPECT_EQ(pool.size(), 2u) << "bounded";
}

TEST(Rendition, SegmentsLeavingTheStoreReturnTheirBuffers) {
  Rendition r("original", window(2, 1), 0);
  const auto lease = r.attachWriter();
  r.publish(lease, draft(2000));
  std::shared_ptr<const Segment> held = r.segment("seg0.ts");
  ASSERT_NE(held, nullptr);
  const std::uint8_t* memory = held->bytes.data();
  for (int i = 0; i < 4; ++i) r.publish(lease, draft(2000));
  EXPECT_EQ(r.segment("seg0.ts"), nullptr) << "slid out and retired";
  // A reader still holds it: its bytes stay valid and are not recycled yet.
  EXPECT_EQ(held->bytes.front(), 0x47);
  ts::TsBytes next = r.takeBuffer(100);
  EXPECT_NE(next.data(), memory);
  held.reset();
  ts::TsBytes recycled = r.takeBuffer(100);
  EXPECT_EQ(recycled.data(), memory) << "once the last reader let go, the writer gets the memory back";
}

}  // namespace
}  // namespace ls::hls
