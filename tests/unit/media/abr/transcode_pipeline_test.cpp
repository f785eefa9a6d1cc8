#include "media/abr/transcode_pipeline.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "unit/media/abr/abr_test_support.hpp"

namespace ls::abr {
namespace {

using namespace ls::abr::testing;

// Small pictures keep the test fast; the ladder works the same at any size.
std::vector<RenditionSpec> smallLadder() {
  return *parseLadder("240p:426x240:400k, 180p:320x180:250k");
}

// What a publish looks like from the LiveSource: the original rendition's
// packager and the transcoder fed the same configs and frames in the same order.
class Publish {
 public:
  explicit Publish(bool hasAudio = true, std::vector<RenditionSpec> ladder = smallLadder())
      : hasAudio_(hasAudio), stream(registry.open("key")), stats("key", "ls_1") {
    hls::PackagerOptions o;
    o.rendition = "original";
    o.hasAudio = hasAudio;
    o.firstMediaSequence = kFirstSequence;
    original = std::make_unique<hls::HlsPackager>(stream, clock, o);
    PipelineOptions p;
    p.stream = stream;
    p.clock = &clock;
    p.ladder = std::move(ladder);
    p.x264Preset = "veryfast";  // has a lookahead: encoded video lags its input
    p.hasAudio = hasAudio;
    p.firstMediaSequence = kFirstSequence;
    pipeline = std::make_unique<TranscodePipeline>(p, stats);
    if (hasAudio) {
      original->onAudioConfig(media::AudioConfig{});
      pipeline->onAudioConfig(media::AudioConfig{});
    }
  }

  void videoConfig(const media::VideoConfig& config) {
    original->onVideoConfig(config);
    pipeline->onVideoConfig(config);
  }

  // Frames, and audio over the same time span when the stream has audio.
  void feed(const std::vector<SourceFrame>& frames) {
    const std::int64_t from = frames.front().dts;
    const std::int64_t to = frames.back().dts + 33;
    for (const SourceEvent& e : interleave(frames, from, hasAudio_ ? to : from)) {
      // Frames arrive in real time, with some jitter.
      const std::int64_t ts = e.video ? e.frame->dts : e.audioPts;
      clock.set(kT0 + ts + (ts * 7919) % 13);
      if (e.video) {
        original->onVideoFrame(e.frame->view());
        pipeline->onVideoFrame(e.frame->dts, e.frame->compositionOffset, e.frame->keyframe, e.frame->avcc, clock.now());
      } else {
        const auto raw = aacPayload(e.audioPts);
        original->onAudioFrame({e.audioPts, raw});
        pipeline->onAudioFrame(e.audioPts, raw, clock.now());
      }
    }
  }

  void end() {
    original->onEnd();
    pipeline->finish(true);
  }

  bool hasAudio_;
  ManualClock clock{kT0};
  hls::HlsRegistry registry;
  std::shared_ptr<hls::StreamHls> stream;
  TranscoderStats stats;
  std::unique_ptr<hls::HlsPackager> original;
  std::unique_ptr<TranscodePipeline> pipeline;
};

void expectAlignedWithOriginal(const hls::StreamHls& stream, const std::string& rendition, std::int64_t frameMs) {
  const ParsedPlaylist original = playlistOf(stream, "original");
  const ParsedPlaylist other = playlistOf(stream, rendition);
  ASSERT_FALSE(original.segments.empty());
  ASSERT_EQ(other.segments.size(), original.segments.size()) << rendition;
  EXPECT_FALSE(original.segments.front().programDateTime.empty());
  for (std::size_t i = 0; i < original.segments.size(); ++i) {
    EXPECT_EQ(other.segments[i].sequence, original.segments[i].sequence) << rendition << " #" << i;
    EXPECT_EQ(other.segments[i].programDateTime, original.segments[i].programDateTime) << rendition << " #" << i;
    EXPECT_LE(std::abs(other.segments[i].durationMs - original.segments[i].durationMs), frameMs)
        << rendition << " #" << i << ": " << other.segments[i].durationMs << " vs " << original.segments[i].durationMs;
  }
  EXPECT_EQ(other.ended, original.ended);
}

TEST(TranscodePipeline, RenditionsCutWhereTheOriginalCutsAndDecodeAtTheirSize) {
  // A publisher's stream: B-frames, a keyframe every second, 30 fps, 8 s.
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 2});
  Publish publish;
  publish.videoConfig(source.config());
  const auto frames = source.encode(240, 1000);
  publish.feed(frames);
  EXPECT_EQ(publish.pipeline->activeRenditions(), 2u);
  publish.end();

  const hls::StreamHls& stream = *publish.stream;
  ASSERT_EQ(playlistOf(stream, "original").segments.size(), 4u);
  EXPECT_EQ(playlistOf(stream, "original").segments.front().sequence, kFirstSequence);
  // Exactly: the renditions' keyframes carry the input's decode times.
  for (const char* name : {"240p", "180p"}) expectAlignedWithOriginal(stream, name, 0);

  const std::vector<std::pair<std::string, std::pair<int, int>>> expected = {{"240p", {426, 240}},
                                                                             {"180p", {320, 180}}};
  for (const auto& [name, size] : expected) {
    int pictures = 0;
    for (const SegmentContent& s : inspectRendition(stream, name)) {
      EXPECT_TRUE(s.errors.empty()) << name << ": " << s.errors.front();
      EXPECT_TRUE(s.startsWithRandomAccess) << name;
      EXPECT_EQ(s.width, size.first) << name;
      EXPECT_EQ(s.height, size.second) << name;
      pictures += s.pictures;
    }
    EXPECT_EQ(pictures, 240) << name;  // every input picture, none lost in x264's lookahead
  }

  // Every rendition in the master, the original first, with what x264 made.
  const std::string master = *stream.master();
  const auto at = [&](const char* s) { return master.find(s); };
  ASSERT_NE(at("original/index.m3u8"), std::string::npos) << master;
  ASSERT_NE(at("240p/index.m3u8"), std::string::npos) << master;
  ASSERT_NE(at("180p/index.m3u8"), std::string::npos) << master;
  EXPECT_LT(at("original/index.m3u8"), at("240p/index.m3u8"));
  EXPECT_LT(at("240p/index.m3u8"), at("180p/index.m3u8"));
  EXPECT_NE(at("RESOLUTION=426x240,CODECS=\"avc1."), std::string::npos) << master;
  EXPECT_NE(at("RESOLUTION=320x180,CODECS=\"avc1."), std::string::npos) << master;
  EXPECT_NE(at(",mp4a.40.2\",FRAME-RATE=30.000\n240p/index.m3u8"), std::string::npos) << master;

  const auto snapshot = publish.stats.snapshot();
  EXPECT_EQ(snapshot.framesDecoded, 240u);
  ASSERT_EQ(snapshot.renditions.size(), 2u);
  for (const auto& r : snapshot.renditions) {
    EXPECT_EQ(r.framesEncoded, 240u) << r.name;
    EXPECT_EQ(r.state, RenditionState::kEnded) << r.name;
  }
}

TEST(TranscodePipeline, AudioIsTheOriginalsAndLandsInTheSameSegments) {
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  Publish publish;
  publish.videoConfig(source.config());
  publish.feed(source.encode(150, 1000));
  publish.end();

  const auto original = inspectRendition(*publish.stream, "original");
  const auto rendition = inspectRendition(*publish.stream, "180p");
  ASSERT_EQ(original.size(), 3u);
  ASSERT_EQ(rendition.size(), original.size());
  for (std::size_t i = 0; i < original.size(); ++i) {
    // Same AAC frames, byte for byte, with the same timestamps, segment by
    // segment: x264's lookahead delay did not push audio into an earlier one.
    EXPECT_EQ(rendition[i].audioPts, original[i].audioPts) << "segment " << i;
    EXPECT_EQ(rendition[i].audioPayloads, original[i].audioPayloads) << "segment " << i;
    EXPECT_EQ(rendition[i].videoPts, original[i].videoPts) << "segment " << i;
  }
}

TEST(TranscodePipeline, AnInputAtOrBelowTheSmallestRungGetsNothing) {
  H264TestSource source({.width = 320, .height = 180, .fps = 30, .gop = 30, .bframes = 0});
  Publish publish;
  publish.videoConfig(source.config());
  // Known from the SPS: no decoder is even opened.
  EXPECT_TRUE(publish.pipeline->idle());
  publish.feed(source.encode(60, 1000));
  publish.end();
  EXPECT_EQ(publish.stream->rendition("180p"), nullptr);
  EXPECT_EQ(publish.stream->rendition("240p"), nullptr);
  EXPECT_EQ(publish.stats.snapshot().framesDecoded, 0u);
  EXPECT_EQ(publish.stream->master()->find("180p"), std::string::npos);
}

TEST(TranscodePipeline, AResolutionChangeKeepsEveryRenditionPlayingNeverAboveTheInput) {
  H264TestSource wide({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  H264TestSource small({.width = 320, .height = 240, .fps = 30, .gop = 30, .bframes = 0});
  Publish publish;
  publish.videoConfig(wide.config());
  publish.feed(wide.encode(90, 1000));  // 3 s at 640x360: 240p and 180p
  EXPECT_EQ(publish.pipeline->activeRenditions(), 2u);

  // The publisher switches to 320x240 (4:3): 240p is no longer below it and
  // goes on at the input's size; 180p follows the new aspect ratio.
  publish.videoConfig(small.config());
  publish.feed(small.encode(90, 4000));
  EXPECT_EQ(publish.pipeline->activeRenditions(), 2u);
  EXPECT_FALSE(playlistOf(*publish.stream, "240p").ended);
  EXPECT_NE(publish.stream->master()->find("RESOLUTION=320x240,CODECS=\"avc1."), std::string::npos)
      << *publish.stream->master();

  // Back to 640x360: both return to their own sizes.
  H264TestSource wideAgain({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  publish.videoConfig(wideAgain.config());
  publish.feed(wideAgain.encode(90, 7000));
  EXPECT_EQ(publish.pipeline->activeRenditions(), 2u);
  publish.end();

  // Each played through, its segments starting with keyframes, every picture there.
  const std::vector<std::pair<std::string, std::vector<std::pair<int, int>>>> expected = {
      {"240p", {{426, 240}, {320, 240}, {426, 240}}},
      {"180p", {{320, 180}, {240, 180}, {320, 180}}},
  };
  for (const auto& [name, expectedSizes] : expected) {
    std::vector<std::pair<int, int>> sizes;
    int pictures = 0;
    for (const SegmentContent& s : inspectRendition(*publish.stream, name)) {
      if (sizes.empty() || sizes.back() != std::make_pair(s.width, s.height)) sizes.emplace_back(s.width, s.height);
      EXPECT_TRUE(s.startsWithRandomAccess) << name;
      pictures += s.pictures;
    }
    EXPECT_EQ(sizes, expectedSizes) << name;
    EXPECT_EQ(pictures, 270) << name;
    expectAlignedWithOriginal(*publish.stream, name, 0);
  }
  for (const auto& r : publish.stats.snapshot().renditions) EXPECT_EQ(r.state, RenditionState::kEnded) << r.name;
}

TEST(TranscodePipeline, SheddingDropsTheMostExpensiveRenditionFirst) {
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  Publish publish;
  publish.videoConfig(source.config());
  publish.feed(source.encode(90, 1000, false));
  ASSERT_NE(publish.stream->master()->find("240p/"), std::string::npos);

  EXPECT_TRUE(publish.pipeline->shedOne(2500));
  EXPECT_TRUE(playlistOf(*publish.stream, "240p").ended);
  EXPECT_EQ(publish.stream->master()->find("240p/"), std::string::npos);
  EXPECT_NE(publish.stream->master()->find("180p/"), std::string::npos);
  publish.feed(source.encode(60, 4000, false));
  EXPECT_FALSE(playlistOf(*publish.stream, "180p").ended);

  EXPECT_TRUE(publish.pipeline->shedOne(2500));
  EXPECT_TRUE(publish.pipeline->idle());
  EXPECT_FALSE(publish.pipeline->shedOne(2500));
  // The original never notices.
  publish.feed(source.encode(60, 6000));
  publish.end();
  EXPECT_EQ(playlistOf(*publish.stream, "original").segments.size(), 4u);
  const auto snapshot = publish.stats.snapshot();
  EXPECT_EQ(snapshot.count(RenditionState::kDropped), 2u);
}

TEST(TranscodePipeline, VideoOnlyStreams) {
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 2});
  Publish publish(false);
  publish.videoConfig(source.config());
  publish.feed(source.encode(90, 1000));
  publish.end();
  for (const SegmentContent& s : inspectRendition(*publish.stream, "240p")) {
    EXPECT_TRUE(s.audioPts.empty());
    EXPECT_FALSE(s.videoPts.empty());
  }
  EXPECT_NE(publish.stream->master()->find("CODECS=\"avc1."), std::string::npos);
  EXPECT_EQ(publish.stream->master()->find("mp4a"), std::string::npos);
}

TEST(TranscodePipeline, FinishingWithoutFlushEndsThePlaylistsAtOnce) {
  H264TestSource source({.width = 640, .height = 360, .fps = 30, .gop = 30, .bframes = 0});
  Publish publish;
  publish.videoConfig(source.config());
  publish.feed(source.encode(75, 1000, false));
  publish.original->onEnd();
  publish.pipeline->finish(false);
  EXPECT_TRUE(playlistOf(*publish.stream, "240p").ended);
  EXPECT_TRUE(playlistOf(*publish.stream, "180p").ended);
  // Whatever x264 still held is gone, but everything listed decodes.
  for (const SegmentContent& s : inspectRendition(*publish.stream, "180p")) EXPECT_TRUE(s.startsWithRandomAccess);
}

}  // namespace
}  // namespace ls::abr
