#include "media/abr/transcoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "media/abr/transcoder_hub.hpp"
#include "unit/media/abr/abr_test_support.hpp"
#include "unit/media/ts/allocation_counter.hpp"

namespace ls::abr {
namespace {

using namespace ls::abr::testing;
using namespace std::chrono_literals;

AbrOptions smallOptions() {
  AbrOptions o;
  o.ladder = *parseLadder("240p:426x240:400k, 180p:320x180:250k");
  o.x264Preset = "ultrafast";
  o.maxLagMs = 60'000;
  return o;
}

TranscoderSetup setupFor(const std::shared_ptr<hls::StreamHls>& stream) {
  TranscoderSetup s;
  s.streamKey = stream->key();
  s.livestreamId = "ls_1";
  s.stream = stream;
  s.firstMediaSequence = kFirstSequence;
  return s;
}

void feed(media::MediaSink& sink, const std::vector<SourceFrame>& frames) {
  ASSERT_FALSE(frames.empty());
  for (const SourceEvent& e : interleave(frames, frames.front().dts, frames.back().dts + 33)) {
    if (e.video) {
      sink.onVideoFrame(e.frame->view());
    } else {
      const auto raw = aacPayload(e.audioPts);
      sink.onAudioFrame({e.audioPts, raw});
    }
  }
}

template <typename Fn>
bool eventually(Fn fn, std::chrono::milliseconds limit = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fn()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return fn();
}

TEST(TranscoderHub, ASinkFeedsATranscoderThreadThatEndsThePlaylists) {
  ManualClock clock(kT0);
  hls::HlsRegistry registry;
  auto stream = registry.open("key");
  TranscoderHub hub(smallOptions(), clock);
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 2});
  EXPECT_TRUE(hub.wants(&source.config()));

  auto sink = hub.start(setupFor(stream));
  ASSERT_NE(sink, nullptr);
  sink->onAudioConfig(media::AudioConfig{});
  sink->onVideoConfig(source.config());
  feed(*sink, source.encode(150, 1000));
  ASSERT_TRUE(eventually([&] { return !hub.snapshot().empty() && hub.snapshot()[0].framesDecoded > 0; }));
  const auto live = hub.snapshot();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].livestreamId, "ls_1");

  sink->onEnd();
  ASSERT_TRUE(eventually([&] { return hub.reap() == 1; }));
  EXPECT_TRUE(hub.snapshot().empty());
  for (const char* name : {"240p", "180p"}) {
    const ParsedPlaylist p = playlistOf(*stream, name);
    EXPECT_TRUE(p.ended) << name;
    ASSERT_EQ(p.segments.size(), 3u) << name;
    EXPECT_EQ(p.segments.front().sequence, kFirstSequence);
  }
  sink.reset();  // the live source lets go of its sink last: nothing left to do
}

TEST(TranscoderHub, WantsOnlyStreamsAboveTheSmallestRung) {
  ManualClock clock(kT0);
  TranscoderHub hub(smallOptions(), clock);
  media::VideoConfig config;
  EXPECT_TRUE(hub.wants(&config));  // size unknown (SPS not parsed): let the decoder tell
  config.width = 320;
  config.height = 180;
  EXPECT_FALSE(hub.wants(&config));
  config.width = 640;
  config.height = 360;
  EXPECT_TRUE(hub.wants(&config));
  EXPECT_FALSE(hub.wants(nullptr));  // audio only
  AbrOptions off = smallOptions();
  off.enabled = false;
  TranscoderHub disabled(off, clock);
  EXPECT_FALSE(disabled.wants(&config));
}

TEST(TranscoderHub, StopAllEndsEverythingAtOnceAndRefusesNewWork) {
  ManualClock clock(kT0);
  hls::HlsRegistry registry;
  auto stream = registry.open("key");
  TranscoderHub hub(smallOptions(), clock);
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  auto sink = hub.start(setupFor(stream));
  sink->onVideoConfig(source.config());
  feed(*sink, source.encode(120, 1000, false));
  const auto started = std::chrono::steady_clock::now();
  hub.stopAll();  // the publisher never said goodbye
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  for (const char* name : {"240p", "180p"}) {
    if (auto r = stream->rendition(name)) {
      EXPECT_TRUE(r->ended()) << name;
    }
  }
  EXPECT_EQ(hub.start(setupFor(stream)), nullptr);
  // Frames after the end go nowhere and break nothing.
  feed(*sink, source.encode(10, 5000));
}

TEST(Transcoder, FallingBehindShedsRenditionsMostExpensiveFirst) {
  ManualClock clock(kT0);
  hls::HlsRegistry registry;
  auto stream = registry.open("key");
  AbrOptions options = smallOptions();
  options.maxLagMs = 20;
  auto transcoder = std::make_shared<Transcoder>(options, clock, setupFor(stream));
  TranscoderSink sink(transcoder);
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  sink.onVideoConfig(source.config());
  feed(sink, source.encode(90, 1000));
  // Everything waited in the queue longer than the bound before the thread
  // even started: the transcoder is "behind" from its first frame.
  std::this_thread::sleep_for(50ms);
  transcoder->start();
  ASSERT_TRUE(eventually([&] { return transcoder->stats().snapshot().count(RenditionState::kDropped) >= 1; }));
  sink.onEnd();
  ASSERT_TRUE(eventually([&] { return transcoder->finished(); }));
  transcoder->join();
  const auto snapshot = transcoder->stats().snapshot();
  ASSERT_EQ(snapshot.renditions.size(), 2u);
  EXPECT_EQ(snapshot.renditions[0].name, "240p");
  EXPECT_EQ(snapshot.renditions[0].state, RenditionState::kDropped);
  EXPECT_TRUE(stream->rendition("240p")->ended());
}

TEST(TranscoderSink, AFullQueueDropsFramesUntilTheNextKeyframe) {
  ManualClock clock(kT0);
  hls::HlsRegistry registry;
  auto stream = registry.open("key");
  AbrOptions options = smallOptions();
  options.queueItems = 20;  // the config and 19 frames
  auto transcoder = std::make_shared<Transcoder>(options, clock, setupFor(stream));
  TranscoderSink sink(transcoder);
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  sink.onVideoConfig(source.config());
  const auto frames = source.encode(90, 1000, false);
  for (const SourceFrame& f : frames) sink.onVideoFrame(f.view());
  EXPECT_EQ(transcoder->queue().depth(), 20u);
  EXPECT_EQ(transcoder->stats().framesDropped.load(), frames.size() - 19);

  // Drain it (as the thread would), then the next frames: a non-keyframe is
  // still refused — it could not be decoded after the gap — a keyframe is not.
  while (transcoder->queue().depth() > 0) transcoder->queue().pop();
  const auto more = source.encode(40, 4000);
  const auto key = std::find_if(more.begin(), more.end(), [](const SourceFrame& f) { return f.keyframe; });
  ASSERT_NE(key, more.end());
  ASSERT_NE(key + 1, more.end());
  ASSERT_FALSE((key + 1)->keyframe);
  sink.onVideoFrame((key + 1)->view());
  EXPECT_EQ(transcoder->queue().depth(), 0u);
  sink.onVideoFrame(key->view());
  sink.onVideoFrame((key + 1)->view());
  EXPECT_EQ(transcoder->queue().depth(), 2u);
  transcoder->start();
  sink.onEnd();
  transcoder->join();
  EXPECT_TRUE(transcoder->finished());
}

TEST(TranscoderSink, CopiesFramesWithoutAllocating) {
  // The media loop's side of the queue: one lock and one copy per frame, no
  // heap (DESIGN: no per-frame allocation). The thread is not started, so
  // only the sink runs here.
  ManualClock clock(kT0);
  hls::HlsRegistry registry;
  auto stream = registry.open("key");
  auto transcoder = std::make_shared<Transcoder>(smallOptions(), clock, setupFor(stream));
  TranscoderSink sink(transcoder);
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 2});
  sink.onVideoConfig(source.config());
  sink.onAudioConfig(media::AudioConfig{});
  const auto frames = source.encode(60, 1000);
  const auto raw = aacPayload(0);
  const std::size_t before = ls::ts::testing::allocationCount();
  for (const SourceFrame& f : frames) {
    sink.onVideoFrame(f.view());
    sink.onAudioFrame({f.dts, raw});
  }
  EXPECT_EQ(ls::ts::testing::allocationCount() - before, 0u);
  EXPECT_EQ(transcoder->queue().depth(), 2 + 2 * frames.size());
}

}  // namespace
}  // namespace ls::abr
