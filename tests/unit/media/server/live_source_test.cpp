#include "media/server/live_source.hpp"

#include <gtest/gtest.h>

#include "media/flv/tag_demuxer.hpp"
#include "media/flv/tag_writer.hpp"

namespace ls::media_server {
namespace {

// Records what reaches a sink, in order.
struct RecordingSink final : media::MediaSink {
  std::vector<std::string>* log;
  explicit RecordingSink(std::vector<std::string>* l) : log(l) {}
  void onVideoConfig(const media::VideoConfig& c) override { log->push_back("vcfg " + std::to_string(c.naluLengthSize)); }
  void onAudioConfig(const media::AudioConfig& c) override { log->push_back("acfg " + std::to_string(c.sampleRate)); }
  void onVideoFrame(const media::VideoFrame& f) override {
    log->push_back("v " + std::to_string(f.dts) + (f.keyframe ? " key" : "") + " " + std::to_string(f.avcc.size()));
  }
  void onAudioFrame(const media::AudioFrame& f) override {
    log->push_back("a " + std::to_string(f.pts) + " " + std::to_string(f.raw.size()));
  }
  void onEnd() override { log->push_back("end"); }
};

std::vector<std::uint8_t> videoHeader() {
  media::VideoConfig c;
  // A minimal baseline SPS/PPS pair; only the record's structure matters here.
  c.sps = {{0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8}};
  c.pps = {{0x68, 0xce, 0x3c, 0x80}};
  c.profileIdc = 0x42;
  c.levelIdc = 0x1e;
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(flv::appendAvcSequenceHeaderBody(c, out).isOk());
  return out;
}

std::vector<std::uint8_t> videoFrame(bool key) {
  static const std::vector<std::uint8_t> avcc = {0, 0, 0, 3, 0x65, 0x88, 0x84};
  media::VideoFrame f;
  f.keyframe = key;
  f.avcc = avcc;
  std::vector<std::uint8_t> out;
  flv::appendAvcFrameBody(f, out);
  return out;
}

std::vector<std::uint8_t> audioHeader() {
  media::AudioConfig c;
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(flv::appendAacSequenceHeaderBody(c, out).isOk());
  return out;
}

std::vector<std::uint8_t> audioFrame() {
  const std::vector<std::uint8_t> raw = {0x21, 0x10, 0x04};
  std::vector<std::uint8_t> out;
  flv::appendAacFrameBody(raw, out);
  return out;
}

TEST(LiveSource, SinksAreMadeAtTheFirstFrameForTheTracksSeen) {
  std::vector<std::string> log;
  int made = 0;
  bool sawVideo = false;
  bool sawAudio = false;
  LiveSource source([&](LiveSource& s, bool hasVideo, bool hasAudio) {
    ++made;
    sawVideo = hasVideo;
    sawAudio = hasAudio;
    s.addSink(std::make_unique<RecordingSink>(&log));
  });
  ASSERT_TRUE(flv::demuxVideoTag(0, videoHeader(), source).isOk());
  ASSERT_TRUE(flv::demuxAudioTag(0, audioHeader(), source).isOk());
  EXPECT_EQ(made, 0) << "no sink before the first frame";
  ASSERT_TRUE(flv::demuxVideoTag(0, videoFrame(true), source).isOk());
  ASSERT_TRUE(flv::demuxAudioTag(23, audioFrame(), source).isOk());
  ASSERT_TRUE(flv::demuxVideoTag(33, videoFrame(false), source).isOk());
  source.onEnd();
  source.onEnd();
  EXPECT_EQ(made, 1);
  EXPECT_TRUE(sawVideo);
  EXPECT_TRUE(sawAudio);
  EXPECT_EQ(log, (std::vector<std::string>{"vcfg 4", "acfg 44100", "v 0 key 7", "a 23 3", "v 33 7", "end"}));
  EXPECT_EQ(source.stats().videoFrames, 2u);
  EXPECT_EQ(source.stats().audioFrames, 1u);
}

TEST(LiveSource, AudioOnlyPublisherGetsAnAudioOnlySink) {
  bool sawVideo = true;
  LiveSource source([&](LiveSource&, bool hasVideo, bool) { sawVideo = hasVideo; });
  ASSERT_TRUE(flv::demuxAudioTag(0, audioHeader(), source).isOk());
  ASSERT_TRUE(flv::demuxAudioTag(0, audioFrame(), source).isOk());
  EXPECT_FALSE(sawVideo);
}

TEST(LiveSource, BadTagsAreCountedAndNeverForwarded) {
  std::vector<std::string> log;
  LiveSource source([&](LiveSource& s, bool, bool) { s.addSink(std::make_unique<RecordingSink>(&log)); });
  const std::vector<std::uint8_t> vp6 = {0x14, 0x00};  // codec 4: not H.264
  const std::vector<std::uint8_t> truncated = {0x17};
  const std::vector<std::uint8_t> mp3 = {0x2f, 0x00};
  EXPECT_FALSE(flv::demuxVideoTag(0, vp6, source).isOk());
  EXPECT_FALSE(flv::demuxVideoTag(0, truncated, source).isOk());
  EXPECT_FALSE(flv::demuxAudioTag(0, mp3, source).isOk());
  EXPECT_FALSE(flv::demuxVideoTag(0, {}, source).isOk());
  EXPECT_TRUE(log.empty());
}

TEST(LiveSource, NothingAfterTheEnd) {
  std::vector<std::string> log;
  LiveSource source([&](LiveSource& s, bool, bool) { s.addSink(std::make_unique<RecordingSink>(&log)); });
  ASSERT_TRUE(flv::demuxVideoTag(0, videoHeader(), source).isOk());
  ASSERT_TRUE(flv::demuxVideoTag(0, videoFrame(true), source).isOk());
  source.onEnd();
  ASSERT_TRUE(flv::demuxVideoTag(33, videoFrame(false), source).isOk());
  EXPECT_EQ(log.back(), "end");
  EXPECT_EQ(source.stats().videoFrames, 1u);
}

}  // namespace
}  // namespace ls::media_server
