#include "media/abr/frame_queue.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>

namespace ls::abr {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), seed);
  return v;
}

QueueItem audioAt(std::int64_t ts) {
  QueueItem item;
  item.kind = ItemKind::kAudio;
  item.ts = ts;
  return item;
}

std::vector<std::uint8_t> payloadOf(const FrameRing& ring, std::size_t i) {
  auto p = ring.payload(ring.at(i));
  return {p.begin(), p.end()};
}

TEST(FrameRing, KeepsOrderAndBytes) {
  FrameRing ring(100, 8);
  EXPECT_TRUE(ring.push(audioAt(1), bytes(10, 1)));
  EXPECT_TRUE(ring.push(audioAt(2), bytes(20, 2)));
  ASSERT_EQ(ring.size(), 2u);
  EXPECT_EQ(ring.bytesUsed(), 30u);
  EXPECT_EQ(ring.front().ts, 1);
  EXPECT_EQ(payloadOf(ring, 0), bytes(10, 1));
  EXPECT_EQ(payloadOf(ring, 1), bytes(20, 2));
  ring.pop();
  EXPECT_EQ(ring.front().ts, 2);
  EXPECT_EQ(ring.bytesUsed(), 20u);
}

TEST(FrameRing, RefusesWhenFullOfBytesOrItems) {
  FrameRing ring(50, 3);
  EXPECT_TRUE(ring.push(audioAt(1), bytes(30, 0)));
  EXPECT_FALSE(ring.push(audioAt(2), bytes(30, 0)));  // 60 > 50
  EXPECT_TRUE(ring.push(audioAt(2), bytes(20, 0)));
  EXPECT_FALSE(ring.push(audioAt(3), bytes(1, 0)));  // no byte left
  EXPECT_TRUE(ring.push(audioAt(3), {}));            // an item without payload still fits
  EXPECT_FALSE(ring.push(audioAt(4), {}));           // but not a fourth item
  EXPECT_FALSE(ring.push(audioAt(4), bytes(51, 0)));
  EXPECT_EQ(ring.size(), 3u);
}

TEST(FrameRing, WrapsWithoutSplittingAPayload) {
  FrameRing ring(100, 16);
  ASSERT_TRUE(ring.push(audioAt(1), bytes(40, 1)));  // [0,40)
  ASSERT_TRUE(ring.push(audioAt(2), bytes(40, 2)));  // [40,80)
  ring.pop();                                        // frees [0,40)
  // 30 bytes do not fit in [80,100): they go to [0,30), skipping 20.
  ASSERT_TRUE(ring.push(audioAt(3), bytes(30, 3)));
  EXPECT_EQ(ring.at(1).offset, 0u);
  EXPECT_EQ(ring.at(1).pad, 20u);
  EXPECT_EQ(ring.bytesUsed(), 40u + 20u + 30u);
  // Only [30,40) is free now.
  EXPECT_FALSE(ring.push(audioAt(4), bytes(11, 4)));
  ASSERT_TRUE(ring.push(audioAt(4), bytes(10, 4)));
  EXPECT_EQ(payloadOf(ring, 0), bytes(40, 2));
  EXPECT_EQ(payloadOf(ring, 1), bytes(30, 3));
  EXPECT_EQ(payloadOf(ring, 2), bytes(10, 4));
  ring.pop();
  ring.pop();
  ring.pop();
  EXPECT_EQ(ring.bytesUsed(), 0u);
  EXPECT_TRUE(ring.push(audioAt(5), bytes(100, 5)));  // empty again: the whole ring
}

TEST(FrameRing, SurvivesManyLaps) {
  FrameRing ring(1000, 64);
  std::int64_t next = 0;
  std::int64_t expected = 0;
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = static_cast<std::size_t>(17 + (round * 37) % 200);
    while (!ring.push(audioAt(next), bytes(n, static_cast<std::uint8_t>(next)))) {
      ASSERT_FALSE(ring.empty());
      EXPECT_EQ(ring.front().ts, expected);
      auto p = ring.payload(ring.front());
      EXPECT_EQ(p.front(), static_cast<std::uint8_t>(expected));
      ring.pop();
      ++expected;
    }
    ++next;
    EXPECT_LE(ring.bytesUsed(), 1000u);
  }
}

TEST(FrameQueue, CarriesFramesAndConfigsToTheConsumer) {
  FrameQueue q(1 << 16, 64);
  media::VideoConfig video;
  video.width = 640;
  auto config = std::make_shared<const media::VideoConfig>(video);
  const auto payload = bytes(100, 7);
  ASSERT_TRUE(q.pushVideoConfig(config));
  ASSERT_TRUE(q.pushVideo({1000, 40, true, payload}, kT0));
  ASSERT_TRUE(q.pushAudio({1010, payload}, kT0));
  EXPECT_EQ(q.depth(), 3u);

  const QueueItem* item = q.waitFront();
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->kind, ItemKind::kVideoConfig);
  EXPECT_EQ(item->videoConfig, config);
  q.pop();
  item = q.waitFront();
  EXPECT_EQ(item->kind, ItemKind::kVideo);
  EXPECT_EQ(item->ts, 1000);
  EXPECT_EQ(item->compositionOffset, 40);
  EXPECT_TRUE(item->keyframe);
  EXPECT_GT(item->queuedAtMs, 0);
  EXPECT_EQ(item->arrivedAt, kT0);
  auto p = q.payload(*item);
  EXPECT_EQ(std::vector<std::uint8_t>(p.begin(), p.end()), payload);
  q.pop();
  q.close();
  item = q.waitFront();
  ASSERT_NE(item, nullptr);  // closing still delivers what was queued
  EXPECT_EQ(item->kind, ItemKind::kAudio);
  q.pop();
  EXPECT_EQ(q.waitFront(), nullptr);
  EXPECT_FALSE(q.pushAudio({1020, payload}, kT0));  // closed
}

TEST(FrameQueue, FullMeansFalseNotWaiting) {
  FrameQueue q(1000, 4);
  const auto payload = bytes(300, 0);
  EXPECT_TRUE(q.pushAudio({1, payload}, kT0));
  EXPECT_TRUE(q.pushAudio({2, payload}, kT0));
  EXPECT_TRUE(q.pushAudio({3, payload}, kT0));
  EXPECT_FALSE(q.pushAudio({4, payload}, kT0));
}

TEST(FrameQueue, AConsumerWaitingOnAnotherThreadWakesForPushCloseAndAbort) {
  for (const bool abort : {false, true}) {
    FrameQueue q(1 << 16, 64);
    std::vector<std::int64_t> seen;
    std::thread consumer([&] {
      while (const QueueItem* item = q.waitFront()) {
        seen.push_back(item->ts);
        q.pop();
      }
    });
    const auto payload = bytes(10, 0);
    for (int i = 0; i < 1000; ++i) {
      while (!q.pushAudio({i, payload}, kT0)) std::this_thread::yield();
    }
    if (abort) {
      q.abort();
    } else {
      q.close();
    }
    consumer.join();
    if (abort) {
      EXPECT_TRUE(q.aborted());
      EXPECT_LE(seen.size(), 1000u);
    } else {
      ASSERT_EQ(seen.size(), 1000u);
      for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
    }
  }
}

}  // namespace
}  // namespace ls::abr
