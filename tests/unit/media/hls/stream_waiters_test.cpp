// Readers parked on a stream until it has something to show (the HTTP origin
// holds a playlist request this way until the first segment).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "media/hls/change_waiters.hpp"
#include "media/hls/segment_store.hpp"

namespace ls::hls {
namespace {

constexpr UnixMillis kT0 = 1768241558918;

SegmentDraft draft(std::int64_t ms) {
  SegmentDraft d;
  d.bytes.assign(188, 0x47);
  d.durationMs = ms;
  return d;
}

// A waiter that counts its wakes and can give up, as a timed-out request does.
struct Probe {
  std::shared_ptr<std::atomic<int>> wakes = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<bool>> gaveUp = std::make_shared<std::atomic<bool>>(false);
  ChangeWaiters::Waiter waiter() const {
    return {[w = wakes] { ++*w; }, [g = gaveUp] { return g->load(); }};
  }
};

TEST(ChangeWaiters, WakesEachWaiterOnceOnTheNextChange) {
  ChangeWaiters changes;
  Probe a, b;
  const auto seen = changes.version();
  changes.waitPast(seen, a.waiter());
  changes.waitPast(seen, b.waiter());
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_EQ(*a.wakes, 0);
  changes.notify();
  EXPECT_EQ(*a.wakes, 1);
  EXPECT_EQ(*b.wakes, 1);
  EXPECT_EQ(changes.size(), 0u);
  changes.notify();
  EXPECT_EQ(*a.wakes, 1);
}

TEST(ChangeWaiters, AChangeBetweenLookingAndWaitingWakesAtOnce) {
  ChangeWaiters changes;
  const auto seen = changes.version();
  changes.notify();  // the writer was quicker than the reader
  Probe late;
  changes.waitPast(seen, late.waiter());
  EXPECT_EQ(*late.wakes, 1);
  EXPECT_EQ(changes.size(), 0u);
}

TEST(ChangeWaiters, AbandonedWaitersAreNeitherWokenNorKept) {
  ChangeWaiters changes;
  std::vector<Probe> timedOut(100);
  for (Probe& p : timedOut) {
    changes.waitPast(changes.version(), p.waiter());
    *p.gaveUp = true;  // its request timed out before anything changed
  }
  // The list does not grow with requests that gave up.
  EXPECT_LT(changes.size(), 40u);
  Probe live;
  changes.waitPast(changes.version(), live.waiter());
  changes.notify();
  EXPECT_EQ(*live.wakes, 1);
  for (const Probe& p : timedOut) EXPECT_EQ(*p.wakes, 0);
}

TEST(ChangeWaiters, AWakeMayWaitAgainForTheNextChange) {
  ChangeWaiters changes;
  auto wakes = std::make_shared<int>(0);
  std::function<void()> wake;
  wake = [&] {
    ++*wakes;
    changes.waitPast(changes.version(), {wake, nullptr});
  };
  changes.waitPast(changes.version(), {wake, nullptr});
  changes.notify();
  changes.notify();
  EXPECT_EQ(*wakes, 2);
  EXPECT_EQ(changes.size(), 1u);
}

TEST(StreamWaiters, FirstSegmentWakesAReaderParkedAfterOpen) {
  HlsRegistry registry;
  auto stream = registry.open("key");
  auto attachment = stream->attach("original", 0);
  const auto seen = stream->changeVersion();
  ASSERT_EQ(attachment.rendition->playlist(), nullptr);  // nothing to show: the reader parks
  Probe reader;
  stream->waitForChange(seen, reader.waiter());
  EXPECT_EQ(stream->waiting(), 1u);
  attachment.rendition->publish(attachment.lease, draft(2000));
  EXPECT_EQ(*reader.wakes, 1);
  EXPECT_NE(attachment.rendition->playlist(), nullptr);  // what the woken reader finds
}

TEST(StreamWaiters, TheMasterWakesReadersAgain) {
  StreamHls stream("key", {});
  auto attachment = stream.attach("original", 0);
  Probe reader;
  stream.waitForChange(stream.changeVersion(), reader.waiter());
  stream.setVariant("original", {"", 1'000'000, 0, 640, 360, "avc1.64001e", 30, ""});
  EXPECT_EQ(*reader.wakes, 1);
  EXPECT_NE(stream.master(), nullptr);
}

TEST(StreamWaiters, ReaderThatTimedOutIsNotWoken) {
  HlsRegistry registry;
  auto stream = registry.open("key");
  auto attachment = stream->attach("original", 0);
  Probe reader;
  stream->waitForChange(stream->changeVersion(), reader.waiter());
  *reader.gaveUp = true;  // its connection's timer answered 404 meanwhile
  attachment.rendition->publish(attachment.lease, draft(2000));
  EXPECT_EQ(*reader.wakes, 0);
  EXPECT_EQ(stream->waiting(), 0u);
}

TEST(StreamWaiters, RemovingTheStreamWakesItsReaders) {
  HlsRegistry registry;
  auto stream = registry.open("key");
  Probe reader;
  stream->waitForChange(stream->changeVersion(), reader.waiter());
  EXPECT_FALSE(stream->removed());
  ASSERT_TRUE(registry.remove("key"));
  EXPECT_EQ(*reader.wakes, 1);
  EXPECT_TRUE(stream->removed());  // what the woken reader checks: 404
  EXPECT_EQ(registry.find("key"), nullptr);
}

TEST(StreamWaiters, EndingAndSweepingWakeReaders) {
  RegistryOptions options;
  options.lingerMs = 1000;
  HlsRegistry registry(options);
  auto stream = registry.open("key");
  auto attachment = stream->attach("original", 0);
  Probe atEnd;
  stream->waitForChange(stream->changeVersion(), atEnd.waiter());
  stream->end(attachment, kT0);
  EXPECT_EQ(*atEnd.wakes, 1);
  Probe atSweep;
  stream->waitForChange(stream->changeVersion(), atSweep.waiter());
  EXPECT_EQ(registry.sweep(kT0 + 1000), 1u);
  EXPECT_EQ(*atSweep.wakes, 1);
  EXPECT_TRUE(stream->removed());
}

TEST(StreamWaiters, PublishOnAnotherThreadWakesEveryParkedReader) {
  HlsRegistry registry;
  auto stream = registry.open("key");
  auto attachment = stream->attach("original", 0);
  constexpr int kReaders = 2000;
  std::atomic<int> woken{0};
  std::atomic<int> sawPlaylist{0};
  // Readers register from four threads while the writer publishes from
  // another: none is lost, whichever side wins each race.
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < kReaders / 4; ++i) {
        const auto seen = stream->changeVersion();
        if (attachment.rendition->playlist() != nullptr) {
          ++woken;
          ++sawPlaylist;
          continue;
        }
        stream->waitForChange(seen, {[&] {
                                       ++woken;
                                       if (attachment.rendition->playlist() != nullptr) ++sawPlaylist;
                                     },
                                     nullptr});
      }
    });
  }
  std::thread writer([&] { attachment.rendition->publish(attachment.lease, draft(2000)); });
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(woken.load(), kReaders);
  EXPECT_EQ(sawPlaylist.load(), kReaders);
}

}  // namespace
}  // namespace ls::hls
