#include "media/flv/tag_parser.hpp"

#include <gtest/gtest.h>

#include "media/flv/avc_decoder_config.hpp"
#include "media/flv/tag_writer.hpp"
#include "unit/media/flv/test_bytes.hpp"

namespace ls::flv {
namespace {

using testing::fromHex;

// The AVC sequence header ffmpeg 5.1 (libx264, 320x240 yuv420p, 30 fps)
// writes to FLV, with the High-profile extension bytes at the end.
const char* const kFfmpegAvcSequenceHeader =
    "17 00 000000"
    "01 64 00 0d ff e1 0019 6764000dacd94141fb0110000003001000000303c0f1429960"
    "01 0006 68ebe3cb22c0"
    "fdf8f800";

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(VideoTag, ParsesFfmpegSequenceHeader) {
  const auto body = fromHex(kFfmpegAvcSequenceHeader);
  Result<VideoTag> tag = parseVideoTag(body, 0);
  ASSERT_TRUE(tag.ok()) << tag.status().message();
  EXPECT_EQ(tag->kind, VideoTagKind::kSequenceHeader);
  EXPECT_EQ(tag->frameType, kFrameTypeKey);
  const media::VideoConfig& c = tag->config;
  ASSERT_EQ(c.sps.size(), 1U);
  ASSERT_EQ(c.pps.size(), 1U);
  EXPECT_EQ(c.sps[0], fromHex("6764000dacd94141fb0110000003001000000303c0f1429960"));
  EXPECT_EQ(c.pps[0], fromHex("68ebe3cb22c0"));
  EXPECT_EQ(c.naluLengthSize, 4);
  EXPECT_EQ(c.profileIdc, 0x64);
  EXPECT_EQ(c.constraintFlags, 0);
  EXPECT_EQ(c.levelIdc, 0x0d);
  EXPECT_EQ(c.width, 320U);
  EXPECT_EQ(c.height, 240U);
  EXPECT_DOUBLE_EQ(c.frameRate, 30.0);
  EXPECT_EQ(c.codecString(), "avc1.64000d");
}

TEST(VideoTag, ParsesFramesWithoutCopying) {
  const auto body = fromHex("27 01 fffff6 00000002 4101");  // inter frame, composition time -10 ms
  Result<VideoTag> tag = parseVideoTag(body, 1234);
  ASSERT_TRUE(tag.ok()) << tag.status().message();
  EXPECT_EQ(tag->kind, VideoTagKind::kFrame);
  EXPECT_FALSE(tag->frame.keyframe);
  EXPECT_EQ(tag->frame.dts, 1234);
  EXPECT_EQ(tag->frame.compositionOffset, -10);
  EXPECT_EQ(tag->frame.pts(), 1224);
  ASSERT_EQ(tag->frame.avcc.size(), 6U);
  EXPECT_EQ(tag->frame.avcc.data(), body.data() + 5);

  const auto key = fromHex("17 01 000043 00000002 6588");
  tag = parseVideoTag(key, 0);
  ASSERT_TRUE(tag.ok());
  EXPECT_TRUE(tag->frame.keyframe);
  EXPECT_EQ(tag->frame.compositionOffset, 0x43);
}

TEST(VideoTag, EndOfSequenceAndInfoFrames) {
  Result<VideoTag> tag = parseVideoTag(fromHex("17 02 000000"), 0);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->kind, VideoTagKind::kEndOfSequence);
  tag = parseVideoTag(fromHex("57 00"), 0);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->kind, VideoTagKind::kInfo);
}

TEST(VideoTag, ReportsUnsupportedCodecs) {
  Result<VideoTag> tag = parseVideoTag(fromHex("12 00 00"), 0);  // Sorenson H.263
  ASSERT_FALSE(tag.ok());
  EXPECT_EQ(tag.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(startsWith(tag.status().message(), "unsupported video codec id 2")) << tag.status().message();
  // Enhanced RTMP HEVC as OBS 30 sends it: IsExHeader | keyframe, PacketType 0, FourCC 'hvc1'.
  tag = parseVideoTag(fromHex("90 68766331 01"), 0);
  ASSERT_FALSE(tag.ok());
  EXPECT_TRUE(startsWith(tag.status().message(), "unsupported video codec")) << tag.status().message();
  EXPECT_NE(tag.status().message().find("hvc1"), std::string::npos);
}

TEST(VideoTag, RejectsMalformed) {
  EXPECT_FALSE(parseVideoTag({}, 0).ok());
  EXPECT_FALSE(parseVideoTag(fromHex("17"), 0).ok());
  EXPECT_FALSE(parseVideoTag(fromHex("17 01 0000"), 0).ok());       // short AVC header
  EXPECT_FALSE(parseVideoTag(fromHex("17 01 000000"), 0).ok());     // frame without NALUs
  EXPECT_FALSE(parseVideoTag(fromHex("17 03 000000 00"), 0).ok());  // AVCPacketType 3
  EXPECT_FALSE(parseVideoTag(fromHex("07 01 000000 00"), 0).ok());  // frame type 0
  EXPECT_FALSE(parseVideoTag(fromHex("17 00 000000 02 64 00 1f ff e1 0002 6700 01 0002 68ee"), 0).ok());  // version 2
  const auto header = fromHex(kFfmpegAvcSequenceHeader);
  for (std::size_t n = 0; n < 5 + 6 + 2 + 25 + 1 + 2 + 6; ++n) {  // every cut inside the SPS/PPS lists
    EXPECT_FALSE(parseVideoTag(std::span(header).first(n), 0).ok()) << n;
  }
}

TEST(VideoTag, UnreadableSpsStillGivesARemuxableConfig) {
  const auto body = fromHex("17 00 000000 01 64 00 1f ff e1 0002 6700 01 0002 68ee");
  Result<VideoTag> tag = parseVideoTag(body, 0);
  ASSERT_TRUE(tag.ok()) << tag.status().message();
  EXPECT_EQ(tag->config.sps[0], fromHex("6700"));
  EXPECT_EQ(tag->config.width, 0U);
}

TEST(VideoTag, WriterRoundTrip) {
  media::VideoConfig config;
  config.sps = {fromHex("6764000dacd94141fb0110000003001000000303c0f1429960")};
  config.pps = {fromHex("68ebe3cb22c0"), fromHex("68ee3c80")};
  config.naluLengthSize = 2;
  config.profileIdc = 0x64;
  config.levelIdc = 0x0d;
  std::vector<std::uint8_t> body;
  ASSERT_TRUE(appendAvcSequenceHeaderBody(config, body).isOk());
  Result<VideoTag> tag = parseVideoTag(body, 0);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->config.sps, config.sps);
  EXPECT_EQ(tag->config.pps, config.pps);
  EXPECT_EQ(tag->config.naluLengthSize, 2);

  const auto avcc = fromHex("0003 65 88 84");
  media::VideoFrame frame{.dts = 0, .compositionOffset = -33, .keyframe = true, .avcc = avcc};
  body.clear();
  appendAvcFrameBody(frame, body);
  tag = parseVideoTag(body, 100);
  ASSERT_TRUE(tag.ok());
  EXPECT_TRUE(tag->frame.keyframe);
  EXPECT_EQ(tag->frame.compositionOffset, -33);
  EXPECT_TRUE(std::equal(tag->frame.avcc.begin(), tag->frame.avcc.end(), avcc.begin(), avcc.end()));

  config.naluLengthSize = 3;
  EXPECT_FALSE(buildAvcDecoderConfigurationRecord(config).ok());
}

TEST(AudioTag, ParsesSequenceHeaderAndFrames) {
  Result<AudioTag> tag = parseAudioTag(fromHex("af 00 12 10 56 e5 00"), 0);
  ASSERT_TRUE(tag.ok()) << tag.status().message();
  EXPECT_EQ(tag->kind, AudioTagKind::kSequenceHeader);
  EXPECT_EQ(tag->config.objectType, 2);
  EXPECT_EQ(tag->config.sampleRate, 44100U);
  EXPECT_EQ(tag->config.channels, 2);

  const auto body = fromHex("af 01 de 02 00 4c");
  tag = parseAudioTag(body, 44);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->kind, AudioTagKind::kFrame);
  EXPECT_EQ(tag->frame.pts, 44);
  EXPECT_EQ(tag->frame.raw.data(), body.data() + 2);
  EXPECT_EQ(tag->frame.raw.size(), 4U);
}

TEST(AudioTag, RejectsUnsupportedAndMalformed) {
  Result<AudioTag> tag = parseAudioTag(fromHex("2f ff fb"), 0);  // MP3
  ASSERT_FALSE(tag.ok());
  EXPECT_TRUE(startsWith(tag.status().message(), "unsupported audio codec")) << tag.status().message();
  EXPECT_TRUE(startsWith(parseAudioTag(fromHex("9f 00"), 0).status().message(), "unsupported audio codec"));
  EXPECT_FALSE(parseAudioTag({}, 0).ok());
  EXPECT_FALSE(parseAudioTag(fromHex("af"), 0).ok());
  EXPECT_FALSE(parseAudioTag(fromHex("af 01"), 0).ok());     // empty frame
  EXPECT_FALSE(parseAudioTag(fromHex("af 02 00"), 0).ok());  // AACPacketType 2
  EXPECT_FALSE(parseAudioTag(fromHex("af 00"), 0).ok());     // empty AudioSpecificConfig
}

TEST(AudioTag, WriterRoundTrip) {
  media::AudioConfig config;
  config.objectType = 2;
  config.sampleRateIndex = 3;
  config.sampleRate = 48000;
  config.channels = 1;
  std::vector<std::uint8_t> body;
  ASSERT_TRUE(appendAacSequenceHeaderBody(config, body).isOk());
  EXPECT_EQ(body, fromHex("af 00 11 88"));
  body.clear();
  const auto raw = fromHex("21 10 04");
  appendAacFrameBody(raw, body);
  EXPECT_EQ(body, fromHex("af 01 21 10 04"));
}

}  // namespace
}  // namespace ls::flv
