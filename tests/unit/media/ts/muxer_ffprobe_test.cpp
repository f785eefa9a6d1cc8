// End to end against a real decoder: x264 + AAC from ffmpeg as FLV, read
// with our FLV reader and tag parser, muxed with our muxer, checked with
// ffprobe and decoded by ffmpeg without a single error.
#include <gtest/gtest.h>

#include "media/flv/flv_file.hpp"
#include "media/flv/tag_parser.hpp"
#include "media/ts/muxer.hpp"
#include "unit/media/ts/ffmpeg_test_util.hpp"

namespace ls::ts {
namespace {

namespace fs = std::filesystem;
using testing::encodeTestFlv;
using testing::haveTool;
using testing::readFile;
using testing::runCommand;
using testing::TempDir;
using testing::writeFile;

TEST(MuxerWithFfmpeg, FfprobeReadsTheSegmentAndFfmpegDecodesIt) {
  if (!haveTool("ffmpeg") || !haveTool("ffprobe")) GTEST_SKIP() << "ffmpeg/ffprobe not installed";
  TempDir dir;
  const fs::path flvPath = dir.path() / "in.flv";
  const fs::path tsPath = dir.path() / "out.ts";
  const testing::CommandResult encoded = encodeTestFlv(flvPath, "320x240", 1, 30);
  ASSERT_EQ(encoded.exitCode, 0) << encoded.output;

  const std::vector<std::uint8_t> flv = readFile(flvPath);
  flv::FlvFileReader reader;
  Muxer muxer(MuxerOptions{});
  TsBytes ts;
  muxer.writeTables(ts);
  std::span<const std::uint8_t> rest(flv);
  int videoFrames = 0;
  int audioFrames = 0;
  media::VideoConfig videoConfig;
  while (!rest.empty()) {
    Result<flv::FlvFileReader::Event> event = reader.next(rest);
    ASSERT_TRUE(event.ok()) << event.status().message();
    ASSERT_NE(event->kind, flv::FlvFileReader::EventKind::kNeedMore) << "truncated FLV";
    rest = rest.subspan(event->consumed);
    if (event->kind != flv::FlvFileReader::EventKind::kTag) continue;
    const flv::FlvTag& tag = event->tag;
    if (tag.type == flv::kTagTypeVideo) {
      Result<flv::VideoTag> video = flv::parseVideoTag(tag.body, tag.timestamp);
      ASSERT_TRUE(video.ok()) << video.status().message();
      if (video->kind == flv::VideoTagKind::kSequenceHeader) {
        videoConfig = video->config;
        muxer.setVideoConfig(video->config);
      } else if (video->kind == flv::VideoTagKind::kFrame) {
        ASSERT_TRUE(muxer.writeVideo(video->frame, ts).isOk());
        ++videoFrames;
      }
    } else if (tag.type == flv::kTagTypeAudio) {
      Result<flv::AudioTag> audio = flv::parseAudioTag(tag.body, tag.timestamp);
      ASSERT_TRUE(audio.ok()) << audio.status().message();
      if (audio->kind == flv::AudioTagKind::kSequenceHeader) {
        muxer.setAudioConfig(audio->config);
      } else {
        ASSERT_TRUE(muxer.writeAudio(audio->frame, ts).isOk());
        ++audioFrames;
      }
    }
  }
  EXPECT_EQ(videoFrames, 30);
  EXPECT_GT(audioFrames, 40);
  EXPECT_EQ(videoConfig.width, 320U);
  EXPECT_EQ(videoConfig.height, 240U);
  EXPECT_DOUBLE_EQ(videoConfig.frameRate, 30.0);
  writeFile(tsPath, ts);

  const testing::CommandResult probe = runCommand(
      "ffprobe -v error -count_frames -show_entries "
      "stream=codec_name,width,height,sample_rate,channels,nb_read_frames -of compact=p=0 " +
      tsPath.string());
  ASSERT_EQ(probe.exitCode, 0) << probe.output;
  EXPECT_NE(probe.output.find("codec_name=h264|width=320|height=240"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("nb_read_frames=30\n"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("codec_name=aac|sample_rate=44100|channels=2"), std::string::npos) << probe.output;

  // A full decode: any PES, ADTS or Annex B mistake shows up as an error line.
  const testing::CommandResult decoded = runCommand("ffmpeg -nostdin -v error -i " + tsPath.string() + " -f null -");
  EXPECT_EQ(decoded.exitCode, 0);
  EXPECT_EQ(decoded.output, "");
}

}  // namespace
}  // namespace ls::ts
