// Regenerates the seed corpora of the flv_tag, flv_file and ts_mux_input fuzz
// targets from a real ffmpeg stream. Skipped unless LS_WRITE_FUZZ_SEEDS names
// the corpus root, e.g.
//   LS_WRITE_FUZZ_SEEDS=$PWD/tests/fuzz/corpus media_ts_test --gtest_filter=FuzzSeeds.*
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "fuzz/ts_mux_input_format.hpp"
#include "media/flv/flv_file.hpp"
#include "media/flv/tag_parser.hpp"
#include "unit/media/flv/test_bytes.hpp"
#include "unit/media/ts/ffmpeg_test_util.hpp"

namespace ls::ts {
namespace {

namespace fs = std::filesystem;
using ls::testing::fromHex;

struct ParsedTag {
  flv::FlvTag tag;
  std::size_t endOffset = 0;  // file offset just after the tag
};

TEST(FuzzSeeds, WriteFromARealStream) {
  const char* root = std::getenv("LS_WRITE_FUZZ_SEEDS");
  if (root == nullptr) GTEST_SKIP() << "set LS_WRITE_FUZZ_SEEDS=<repo>/tests/fuzz/corpus to regenerate seeds";
  if (!testing::haveTool("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  const fs::path corpus(root);
  testing::TempDir dir;
  const fs::path flvPath = dir.path() / "tiny.flv";
  const testing::CommandResult encoded = testing::encodeTestFlv(flvPath, "64x48", 0.2, 3);
  ASSERT_EQ(encoded.exitCode, 0) << encoded.output;
  const std::vector<std::uint8_t> file = testing::readFile(flvPath);

  std::vector<ParsedTag> tags;
  flv::FlvFileReader reader;
  std::size_t offset = 0;
  while (offset < file.size()) {
    Result<flv::FlvFileReader::Event> event = reader.next(std::span(file).subspan(offset));
    ASSERT_TRUE(event.ok() && event->kind != flv::FlvFileReader::EventKind::kNeedMore);
    offset += event->consumed;
    if (event->kind == flv::FlvFileReader::EventKind::kTag) tags.push_back({event->tag, offset});
  }
  ASSERT_GE(tags.size(), 6U);

  // flv_file: the whole file and its head (header, metadata, both sequence headers).
  fs::create_directories(corpus / "flv_file");
  testing::writeFile(corpus / "flv_file" / "tiny_av.flv", file);
  testing::writeFile(
      corpus / "flv_file" / "head.flv",
      std::vector<std::uint8_t>(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(tags[2].endOffset)));

  // flv_tag: one body of each kind, plus SPS and AudioSpecificConfig variants.
  fs::create_directories(corpus / "flv_tag");
  auto writeTagSeed = [&](const std::string& name, std::span<const std::uint8_t> body) {
    testing::writeFile(corpus / "flv_tag" / name, {body.begin(), body.end()});
  };
  bool wroteKey = false, wroteInter = false, wroteAudio = false;
  for (const ParsedTag& t : tags) {
    if (t.tag.type == flv::kTagTypeVideo) {
      auto video = flv::parseVideoTag(t.tag.body, t.tag.timestamp);
      ASSERT_TRUE(video.ok());
      if (video->kind == flv::VideoTagKind::kSequenceHeader) writeTagSeed("video_sequence_header", t.tag.body);
      if (video->kind == flv::VideoTagKind::kFrame && video->frame.keyframe && !wroteKey) {
        writeTagSeed("video_keyframe", t.tag.body);
        wroteKey = true;
      }
      if (video->kind == flv::VideoTagKind::kFrame && !video->frame.keyframe && !wroteInter) {
        writeTagSeed("video_inter_frame", t.tag.body);
        wroteInter = true;
      }
    } else if (t.tag.type == flv::kTagTypeAudio) {
      auto audio = flv::parseAudioTag(t.tag.body, t.tag.timestamp);
      ASSERT_TRUE(audio.ok());
      if (audio->kind == flv::AudioTagKind::kSequenceHeader) writeTagSeed("audio_sequence_header", t.tag.body);
      if (audio->kind == flv::AudioTagKind::kFrame && !wroteAudio) {
        writeTagSeed("audio_frame", t.tag.body);
        wroteAudio = true;
      }
    }
  }
  // x264 SPS (High 4:2:2 with odd cropping; interlaced 1080 Main) and AAC configs (HE-AAC, explicit frequency).
  writeTagSeed("sps_high422", fromHex("677a000dbcd9415087888fc044000003000400000300c83c50a658"));
  writeTagSeed("sps_interlaced_1080", fromHex("674d4028f403c0227ef011000003000100000300321f162ea0"));
  writeTagSeed("asc_he_aac", fromHex("2b920800"));
  writeTagSeed("asc_explicit_frequency", fromHex("1780560c10"));

  // ts_mux_input: the stream as muxer calls, with tables at each keyframe.
  namespace seed = fuzz::ts_mux_input;
  media::VideoConfig videoConfig;
  media::AudioConfig audioConfig;
  for (const ParsedTag& t : tags) {
    if (t.tag.type == flv::kTagTypeVideo) {
      auto video = flv::parseVideoTag(t.tag.body, t.tag.timestamp);
      if (video.ok() && video->kind == flv::VideoTagKind::kSequenceHeader) videoConfig = video->config;
    } else if (t.tag.type == flv::kTagTypeAudio) {
      auto audio = flv::parseAudioTag(t.tag.body, t.tag.timestamp);
      if (audio.ok() && audio->kind == flv::AudioTagKind::kSequenceHeader) audioConfig = audio->config;
    }
  }
  fs::create_directories(corpus / "ts_mux_input");
  for (const auto& [name, video, audio] :
       {std::tuple{"av", true, true}, std::tuple{"video_only", true, false}, std::tuple{"audio_only", false, true}}) {
    seed::Writer w;
    w.header(video, audio, videoConfig, audioConfig);
    for (const ParsedTag& t : tags) {
      if (t.tag.type == flv::kTagTypeVideo && video) {
        auto parsed = flv::parseVideoTag(t.tag.body, t.tag.timestamp);
        if (!parsed.ok() || parsed->kind != flv::VideoTagKind::kFrame) continue;
        if (parsed->frame.keyframe) w.tables();
        w.videoFrame(parsed->frame);
      } else if (t.tag.type == flv::kTagTypeAudio && audio) {
        auto parsed = flv::parseAudioTag(t.tag.body, t.tag.timestamp);
        if (!parsed.ok() || parsed->kind != flv::AudioTagKind::kFrame) continue;
        if (!video && w.out.size() < 32) w.tables();
        w.audioFrame(parsed->frame);
      }
    }
    testing::writeFile(corpus / "ts_mux_input" / name, w.out);
  }
}

}  // namespace
}  // namespace ls::ts
