// End to end against real tools: x264 + AAC from ffmpeg as FLV, demuxed with
// our FLV reader, written as an init segment and fragments (a fragment per
// GOP, parts of 10 frames inside it), then read back with ffprobe and
// decoded by ffmpeg without a single error.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "media/flv/flv_file.hpp"
#include "media/flv/tag_parser.hpp"
#include "media/fmp4/box_reader.hpp"
#include "media/fmp4/fragment_builder.hpp"
#include "media/fmp4/init_segment.hpp"
#include "unit/media/ts/ffmpeg_test_util.hpp"

namespace ls::fmp4 {
namespace {

namespace fs = std::filesystem;
using ts::testing::encodeTestFlv;
using ts::testing::haveTool;
using ts::testing::readFile;
using ts::testing::runCommand;
using ts::testing::TempDir;
using ts::testing::writeFile;

struct Demuxed {
  media::VideoConfig videoConfig;
  media::AudioConfig audioConfig;
  std::vector<flv::FlvTag> tags;  // media frames in file order (views into the file bytes)
};

Demuxed demux(const std::vector<std::uint8_t>& file) {
  Demuxed out;
  flv::FlvFileReader reader;
  std::span<const std::uint8_t> rest(file);
  while (!rest.empty()) {
    Result<flv::FlvFileReader::Event> event = reader.next(rest);
    EXPECT_TRUE(event.ok() && event->kind != flv::FlvFileReader::EventKind::kNeedMore);
    if (!event.ok() || event->kind == flv::FlvFileReader::EventKind::kNeedMore) break;
    rest = rest.subspan(event->consumed);
    if (event->kind != flv::FlvFileReader::EventKind::kTag) continue;
    const flv::FlvTag& tag = event->tag;
    if (tag.type == flv::kTagTypeVideo) {
      Result<flv::VideoTag> video = flv::parseVideoTag(tag.body, tag.timestamp);
      if (video.ok() && video->kind == flv::VideoTagKind::kSequenceHeader) out.videoConfig = video->config;
      if (video.ok() && video->kind == flv::VideoTagKind::kFrame) out.tags.push_back(tag);
    } else if (tag.type == flv::kTagTypeAudio) {
      Result<flv::AudioTag> audio = flv::parseAudioTag(tag.body, tag.timestamp);
      if (audio.ok() && audio->kind == flv::AudioTagKind::kSequenceHeader) out.audioConfig = audio->config;
      if (audio.ok() && audio->kind != flv::AudioTagKind::kSequenceHeader) out.tags.push_back(tag);
    }
  }
  return out;
}

TEST(Fmp4WithFfmpeg, FfprobeReadsFragmentsAndFfmpegDecodesThem) {
  if (!haveTool("ffmpeg") || !haveTool("ffprobe")) GTEST_SKIP() << "ffmpeg/ffprobe not installed";
  TempDir dir;
  const fs::path flvPath = dir.path() / "in.flv";
  const fs::path mp4Path = dir.path() / "out.mp4";
  const ts::testing::CommandResult encoded = encodeTestFlv(flvPath, "320x240", 3, 30);
  ASSERT_EQ(encoded.exitCode, 0) << encoded.output;
  const std::vector<std::uint8_t> file = readFile(flvPath);
  const Demuxed in = demux(file);

  Result<Bytes> init = writeInitSegment(&in.videoConfig, &in.audioConfig);
  ASSERT_TRUE(init.ok()) << init.status().message();
  ASSERT_TRUE(checkBoxTree(*init).isOk());
  Bytes out = *init;

  FragmentBuilder builder(&in.videoConfig, &in.audioConfig);
  std::uint32_t sequence = 1;
  int videoFrames = 0;
  int audioFrames = 0;
  int framesInPart = 0;
  int independentFragments = 0;
  std::vector<std::int64_t> sourcePts;
  auto flush = [&](std::optional<std::int64_t> endMs) {
    if (builder.empty()) return;
    const Fragment f = builder.flush(endMs, sequence++);
    EXPECT_TRUE(checkFragment(f.bytes).isOk()) << checkFragment(f.bytes).message();
    if (f.independent) ++independentFragments;
    out.insert(out.end(), f.bytes.begin(), f.bytes.end());
    framesInPart = 0;
  };
  for (const flv::FlvTag& tag : in.tags) {
    if (tag.type == flv::kTagTypeVideo) {
      Result<flv::VideoTag> video = flv::parseVideoTag(tag.body, tag.timestamp);
      ASSERT_TRUE(video.ok());
      const media::VideoFrame& frame = video->frame;
      // A fragment per GOP, cut into parts of 10 frames.
      if (frame.keyframe || framesInPart == 10) flush(frame.dts);
      ASSERT_TRUE(builder.addVideo(frame));
      sourcePts.push_back(frame.pts());
      ++videoFrames;
      ++framesInPart;
    } else {
      Result<flv::AudioTag> audio = flv::parseAudioTag(tag.body, tag.timestamp);
      ASSERT_TRUE(audio.ok());
      ASSERT_TRUE(builder.addAudio(audio->frame));
      ++audioFrames;
    }
  }
  flush(std::nullopt);
  EXPECT_EQ(videoFrames, 90);
  EXPECT_EQ(independentFragments, 3);
  EXPECT_GT(sequence, 9U);
  writeFile(mp4Path, out);

  const ts::testing::CommandResult probe = runCommand(
      "ffprobe -v error -count_frames -show_entries "
      "stream=codec_name,width,height,sample_rate,channels,nb_read_frames -of compact=p=0 " +
      mp4Path.string());
  ASSERT_EQ(probe.exitCode, 0) << probe.output;
  EXPECT_NE(probe.output.find("codec_name=h264|width=320|height=240"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("nb_read_frames=" + std::to_string(videoFrames) + "\n"), std::string::npos)
      << probe.output;
  EXPECT_NE(probe.output.find("codec_name=aac|sample_rate=44100|channels=2|nb_read_frames=" +
                              std::to_string(audioFrames)),
            std::string::npos)
      << probe.output;

  // Video packets in decode order carry the source pts + kTimelineOffsetMs.
  const ts::testing::CommandResult packets = runCommand(
      "ffprobe -v error -select_streams v -show_entries packet=pts_time -of csv=p=0 " + mp4Path.string());
  ASSERT_EQ(packets.exitCode, 0) << packets.output;
  std::istringstream lines(packets.output);
  std::size_t i = 0;
  for (std::string line; std::getline(lines, line) && i < sourcePts.size(); ++i) {
    const double ms = std::stod(line) * 1000.0 - static_cast<double>(kTimelineOffsetMs);
    EXPECT_LE(std::abs(ms - static_cast<double>(sourcePts[i])), 1.0) << "packet " << i << ": " << line;
  }
  EXPECT_EQ(i, sourcePts.size());

  const ts::testing::CommandResult decoded =
      runCommand("ffmpeg -nostdin -v error -i " + mp4Path.string() + " -f null -");
  EXPECT_EQ(decoded.exitCode, 0);
  EXPECT_EQ(decoded.output, "");
}

}  // namespace
}  // namespace ls::fmp4
